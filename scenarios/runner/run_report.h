// RunReport: what one scenario run found, and its two renderings: the
// short human summary p2pquic-sim prints and the JSON form (--json) that
// scripts and check-determinism read.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/runner/oracles/oracle_report.h"
#include "scenarios/runner/run_outcomes.h"
#include "transport/base/time.h"

namespace p2pquic::scenarios {

struct ExpectationResult {
  std::string what;  // "connection c1 established", ...
  bool met = false;
  std::string detail;  // What was actually seen.
};

struct RunReport {
  std::string scenario;
  uint64_t seed = 0;
  bool passed = false;  // Every expectation met, no oracle violated, no action failed.
  std::vector<ExpectationResult> expectations;
  std::vector<OracleViolation> violations;  // The first Oracles::kMaxKept; `at` since the start.
  uint64_t violation_count = 0;
  uint64_t oracle_checks = 0;
  std::vector<std::string> failed_actions;  // "t=1.200s migrate client: <reason>".
  uint64_t digest = 0;                      // Over every delivered datagram.
  Duration virtual_time{};
  std::chrono::duration<double> wall_time{};
  uint64_t events = 0;  // Discrete events run.
  uint64_t datagrams_sent = 0;
  // Extra copies the links made (`duplicate`): delivered counts copies, so
  // it is at most sent + duplicated.
  uint64_t datagrams_duplicated = 0;
  uint64_t datagrams_delivered = 0;
  uint64_t trace_lines = 0;
  std::string metrics_text;  // Prometheus text per host, when asked for.
  RunOutcomes outcomes;      // How every connection, stream and host ended.
};

// A few lines: verdict, one line per expectation, violations, digest, times.
std::string FormatSummary(const RunReport& report);
// One JSON object with every field above (times in seconds, digest in hex).
std::string FormatJson(const RunReport& report);
// 16 lowercase hex digits.
std::string DigestHex(uint64_t digest);

}  // namespace p2pquic::scenarios
