// OracleReport: what the oracles found in one run: every violation (the
// first kMaxKept kept whole, the rest counted) and how many checks ran.
// Every oracle reports into the run's one OracleReport, so the violations
// keep the order in which the run broke them.
//
// Contract: single-threaded; one per run.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "transport/base/time.h"

namespace p2pquic::scenarios {

// What one oracle check examined: the explorer's coverage report counts
// each kind, so a campaign shows which checks it never reached.
enum class OracleCheck : uint8_t {
  kCidIssued,             // A CID a host issued (cid-sequence, routing).
  kCidRetired,            // A CID retired (cid-retirement).
  kConnectionRemoved,     // A connection left the registry (cid-lifetime).
  kInitialRouted,         // A datagram routed by a client's Initial DCID (routing).
  kRemovedInitialRouted,  // ... whose connection was gone (cid-lifetime).
  kCidRouted,             // A datagram routed by a CID the host issued (routing, cid-retirement).
  kRemovedCidRouted,      // ... whose connection was gone (cid-lifetime).
  kRegistryAudit,         // The registry's own audit (cid-lifetime).
  kAmplification,         // A datagram sent on an unvalidated path (amplification).
  kNewConnectionIdFrame,  // A NEW_CONNECTION_ID frame sent (cid-sequence).
  kStreamEnded,           // A transfer stream at the end of the run (stream-data).
};
inline constexpr int kOracleCheckCount = 11;
// snake_case names ("cid_issued", ...).
const char* ToString(OracleCheck check);

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
  void CountCheck(OracleCheck check) {
    ++checks_;
    ++checks_by_kind_[static_cast<size_t>(check)];
  }

  const std::vector<OracleViolation>& violations() const { return violations_; }
  uint64_t violation_count() const { return violation_count_; }
  uint64_t checks() const { return checks_; }
  const std::array<uint64_t, kOracleCheckCount>& checks_by_kind() const { return checks_by_kind_; }

 private:
  std::vector<OracleViolation> violations_;
  uint64_t violation_count_ = 0;
  uint64_t checks_ = 0;
  std::array<uint64_t, kOracleCheckCount> checks_by_kind_{};
};

}  // namespace p2pquic::scenarios
