// OracleReport: what the oracles found in one run: every violation (the
// first kMaxKept kept whole, the rest counted) and how many checks ran.
// Every oracle reports into the run's one OracleReport, so the violations
// keep the order in which the run broke them.
//
// Contract: single-threaded; one per run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "transport/base/time.h"

namespace p2pquic::scenarios {

struct OracleViolation {
  std::string oracle;  // "routing", "cid-lifetime", ...
  std::string host;
  Timestamp at;
  std::string detail;
};

class OracleReport {
 public:
  // Violations beyond this many are counted, not kept (a broken run can
  // produce one per datagram).
  static constexpr size_t kMaxKept = 32;

  void Report(const std::string& oracle, const std::string& host, Timestamp at, std::string detail);
  // One event examined by an oracle (what RunReport::oracle_checks counts).
  void CountCheck() { ++checks_; }

  const std::vector<OracleViolation>& violations() const { return violations_; }
  uint64_t violation_count() const { return violation_count_; }
  uint64_t checks() const { return checks_; }

 private:
  std::vector<OracleViolation> violations_;
  uint64_t violation_count_ = 0;
  uint64_t checks_ = 0;
};

}  // namespace p2pquic::scenarios
