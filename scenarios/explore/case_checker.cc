#include "scenarios/explore/case_checker.h"

#include <set>

#include "scenarios/explore/wire_observer.h"
#include "scenarios/runner/run_options.h"

namespace p2pquic::scenarios {

CaseVerdict CheckCase(const Scenario& scenario, PropertySet properties, const RunOptions& base) {
  CaseVerdict verdict;
  RunOptions options = base;
  options.frames = FrameRecording::kAlways;
  verdict.wire.Forward(base.wire);
  options.wire = &verdict.wire;
  verdict.status = RunScenario(scenario, options, &verdict.report, &verdict.error);
  if (verdict.status != RunStatus::kCompleted) {
    verdict.failures.push_back(
        {std::string("run:") + WithoutNumbers(ToString(verdict.status)), verdict.error});
    return verdict;
  }
  const RunReport& report = verdict.report;
  std::set<std::string> oracles;
  for (const OracleViolation& v : report.violations) {
    if (oracles.insert(v.oracle).second) {
      verdict.failures.push_back({"oracle:" + v.oracle, v.host + ": " + v.detail});
    }
  }
  for (const ExpectationResult& e : report.expectations) {
    if (!e.met) verdict.failures.push_back({"expectation:" + e.what, e.detail});
  }
  if (properties == PropertySet::kNone) {
    for (const std::string& failed : report.failed_actions) {
      verdict.failures.push_back({FailedActionSignature(failed), failed});
    }
  }
  ExplorationProperties::Check(scenario, report, verdict.wire, properties, &verdict.failures);
  return verdict;
}

}  // namespace p2pquic::scenarios
