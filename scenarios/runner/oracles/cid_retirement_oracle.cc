#include "scenarios/runner/oracles/cid_retirement_oracle.h"

namespace p2pquic::scenarios {

namespace {
constexpr char kOracle[] = "cid-retirement";
}  // namespace

RetirementCheck CidRetirementOracle::OnCidRetired(const std::string& host,
                                                  const CidLedger::CidOwner* owner,
                                                  ConnectionHandle connection,
                                                  const ConnectionId& cid, uint64_t sequence,
                                                  Timestamp now) {
  if (owner == nullptr || owner->connection != connection || owner->sequence != sequence) {
    report_.Report(kOracle, host, now,
                   "retired CID " + cid.ToHex() + " (sequence " + std::to_string(sequence) +
                       ") that this connection never issued");
    return RetirementCheck::kNeverIssued;
  }
  if (owner->retired) {
    report_.Report(
        kOracle, host, now,
        "CID " + cid.ToHex() + " (sequence " + std::to_string(sequence) + ") retired twice");
  }
  return RetirementCheck::kOfIssued;
}

void CidRetirementOracle::OnCidRouted(const std::string& host, const std::string& cid_hex,
                                      const CidLedger::CidOwner& owner, const RouteResult& route,
                                      Timestamp now) {
  if (!owner.retired || route.outcome != RouteOutcome::kCidHit) return;
  report_.Report(kOracle, host, now, "retired CID " + cid_hex + " routed as an active CID");
}

}  // namespace p2pquic::scenarios
