#include "scenarios/runner/oracles/routing_oracle.h"

namespace p2pquic::scenarios {

namespace {
constexpr char kOracle[] = "routing";
}  // namespace

void RoutingOracle::OnCidIssued(const std::string& host, const ConnectionId& cid,
                                const CidLedger::CidOwner* previous, Timestamp now) {
  if (previous == nullptr || previous->connection_gone) return;
  report_.Report(kOracle, host, now,
                 "CID " + cid.ToHex() + " issued twice (live owner sequence " +
                     std::to_string(previous->sequence) + ")");
}

void RoutingOracle::OnCidRouted(const std::string& host, const std::string& cid_hex,
                                const CidLedger::CidOwner& owner, const RouteResult& route,
                                Timestamp now) {
  if (!NamesConnection(route.outcome) || route.connection == owner.connection) return;
  report_.Report(kOracle, host, now,
                 "CID " + cid_hex + " (sequence " + std::to_string(owner.sequence) +
                     ") routed to another connection as " + ToString(route.outcome));
}

void RoutingOracle::OnInitialRouted(const std::string& host, const CidLedger::InitialKey& key,
                                    const CidLedger::InitialOwner& owner, const RouteResult& route,
                                    Timestamp now) {
  if (route.connection == owner.connection) return;
  report_.Report(kOracle, host, now,
                 "Initial DCID " + key.first + " from " + key.second +
                     " routed to a connection another client's Initial made");
}

}  // namespace p2pquic::scenarios
