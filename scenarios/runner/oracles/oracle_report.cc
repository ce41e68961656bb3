#include "scenarios/runner/oracles/oracle_report.h"

#include <utility>

namespace p2pquic::scenarios {

void OracleReport::Report(const std::string& oracle, const std::string& host, Timestamp at,
                          std::string detail) {
  ++violation_count_;
  if (violations_.size() < kMaxKept) violations_.push_back({oracle, host, at, std::move(detail)});
}

const char* ToString(OracleCheck check) {
  switch (check) {
    case OracleCheck::kCidIssued:
      return "cid_issued";
    case OracleCheck::kCidRetired:
      return "cid_retired";
    case OracleCheck::kConnectionRemoved:
      return "connection_removed";
    case OracleCheck::kInitialRouted:
      return "initial_routed";
    case OracleCheck::kRemovedInitialRouted:
      return "removed_initial_routed";
    case OracleCheck::kCidRouted:
      return "cid_routed";
    case OracleCheck::kRemovedCidRouted:
      return "removed_cid_routed";
    case OracleCheck::kRegistryAudit:
      return "registry_audit";
    case OracleCheck::kAmplification:
      return "amplification";
    case OracleCheck::kNewConnectionIdFrame:
      return "new_connection_id_frame";
    case OracleCheck::kStreamEnded:
      return "stream_ended";
  }
  return "unknown";
}

}  // namespace p2pquic::scenarios
