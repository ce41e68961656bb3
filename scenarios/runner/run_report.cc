#include "scenarios/runner/run_report.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "scenarios/runner/run_time.h"

namespace p2pquic::scenarios {
namespace {

std::string FormatSeconds(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.3fs", seconds);
  return buffer;
}

}  // namespace

std::string DigestHex(uint64_t digest) {
  char buffer[17];
  std::snprintf(buffer, sizeof(buffer), "%016llx", static_cast<unsigned long long>(digest));
  return buffer;
}

std::string FormatSummary(const RunReport& r) {
  std::ostringstream out;
  out << (r.passed ? "PASS " : "FAIL ") << r.scenario << " (seed " << r.seed << ")\n";
  for (const ExpectationResult& e : r.expectations) {
    out << "  [" << (e.met ? "ok" : "FAILED") << "] " << e.what;
    if (!e.detail.empty()) out << ": " << e.detail;
    out << '\n';
  }
  for (const std::string& action : r.failed_actions) out << "  [FAILED] action " << action << '\n';
  out << "  oracles: " << r.oracle_checks << " checks, " << r.violation_count << " violations\n";
  for (const OracleViolation& v : r.violations) {
    out << "    " << v.oracle << " on " << v.host << " at "
        << FormatSeconds(Seconds(v.at.time_since_epoch())) << ": " << v.detail << '\n';
  }
  // Copies on both sides of the slash, so duplication never shows more
  // delivered than sent.
  out << "  digest " << DigestHex(r.digest) << ", " << r.datagrams_delivered << "/"
      << r.datagrams_sent + r.datagrams_duplicated << " datagrams delivered";
  if (r.datagrams_duplicated > 0) {
    out << " (" << r.datagrams_sent << " sent + " << r.datagrams_duplicated << " duplicates)";
  }
  out << ", " << r.events << " events\n";
  out << "  virtual " << FormatSeconds(Seconds(r.virtual_time)) << ", wall "
      << FormatSeconds(r.wall_time.count()) << '\n';
  return out.str();
}

std::string FormatJson(const RunReport& r) {
  nlohmann::ordered_json json;
  json["scenario"] = r.scenario;
  json["seed"] = r.seed;
  json["verdict"] = r.passed ? "pass" : "fail";
  json["digest"] = DigestHex(r.digest);
  auto& expectations = json["expectations"] = nlohmann::ordered_json::array();
  for (const ExpectationResult& e : r.expectations) {
    expectations.push_back({{"what", e.what}, {"met", e.met}, {"detail", e.detail}});
  }
  json["failed_actions"] = r.failed_actions;
  json["oracle_checks"] = r.oracle_checks;
  json["violation_count"] = r.violation_count;
  auto& violations = json["violations"] = nlohmann::ordered_json::array();
  for (const OracleViolation& v : r.violations) {
    violations.push_back({{"oracle", v.oracle},
                          {"host", v.host},
                          {"at_s", Seconds(v.at.time_since_epoch())},
                          {"detail", v.detail}});
  }
  json["virtual_s"] = Seconds(r.virtual_time);
  json["wall_s"] = r.wall_time.count();
  json["events"] = r.events;
  json["datagrams_sent"] = r.datagrams_sent;
  json["datagrams_duplicated"] = r.datagrams_duplicated;
  json["datagrams_delivered"] = r.datagrams_delivered;
  json["trace_lines"] = r.trace_lines;
  if (!r.metrics_text.empty()) json["metrics"] = r.metrics_text;
  return json.dump(2) + "\n";
}

}  // namespace p2pquic::scenarios
