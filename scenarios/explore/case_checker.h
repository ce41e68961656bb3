// CheckCase: runs one scenario and lists everything it broke, each under
// its signature (case_failure.h), in a fixed order: the run itself, the
// oracles (one failure per oracle), the file's failed expectations, then
// the exploration properties if asked for (otherwise every failed action).
// The first failure's signature is the case's: the one the explorer
// de-duplicates by and the shrinker keeps while it cuts.
//
// Every check reads frames (FrameRecording::kAlways): the cid-sequence
// oracle then checks every NEW_CONNECTION_ID, and the connection-end
// property sees which CONNECTION_CLOSE and resets arrived.
//
// Contract: one check at a time per process (RunScenario's contract).
#pragma once

#include <string>
#include <vector>

#include "scenarios/explore/case_failure.h"
#include "scenarios/explore/exploration_properties.h"
#include "scenarios/explore/wire_observer.h"
#include "scenarios/format/scenario.h"
#include "scenarios/runner/run_options.h"
#include "scenarios/runner/run_report.h"
#include "scenarios/runner/scenario_runner.h"

namespace p2pquic::scenarios {

struct CaseVerdict {
  RunStatus status = RunStatus::kCompleted;
  std::string error;  // When status is not kCompleted.
  RunReport report;
  WireObserver wire;  // What the wire saw (fates, loss runs).
  std::vector<CaseFailure> failures;

  bool failed() const { return !failures.empty(); }
  // The case's signature: its first failure's; empty when it passed.
  std::string signature() const { return failures.empty() ? "" : failures.front().signature; }
};

// `base` may ask for a trace, qlogs, a key log, metrics, a seed and a wire
// observer (e.g. a pcap writer), which still sees every datagram; frames
// are always read.
CaseVerdict CheckCase(const Scenario& scenario, PropertySet properties,
                      const RunOptions& base = RunOptions{});

}  // namespace p2pquic::scenarios
