#include "scenarios/runner/oracles/cid_lifetime_oracle.h"

namespace p2pquic::scenarios {

namespace {
constexpr char kOracle[] = "cid-lifetime";
}  // namespace

void CidLifetimeOracle::OnConnectionRemoved(const std::string& host,
                                            const ConnectionIdRegistry& registry,
                                            ConnectionHandle connection, Timestamp now) {
  if (registry.CidCount(connection) != 0) {
    report_.Report(kOracle, host, now,
                   std::to_string(registry.CidCount(connection)) +
                       " CIDs still registered for a removed connection");
  }
  CheckRegistry(host, registry, now);
}

void CidLifetimeOracle::OnRemovedCidRouted(const std::string& host, const std::string& cid_hex,
                                           const RouteResult& route, Timestamp now) {
  // A fallback names a live connection on the same 4-tuple as a candidate
  // only: nothing is bound unless that connection authenticates the
  // packet, which a removed connection's packet cannot pass (a client that
  // reuses its socket for a new connection to a restarted server sends
  // its old connection's CIDs from the new one's tuple).
  if (!NamesConnection(route.outcome) || route.outcome == RouteOutcome::kFallback) return;
  report_.Report(
      kOracle, host, now,
      "CID " + cid_hex + " of a removed connection routed as " + ToString(route.outcome));
}

void CidLifetimeOracle::OnRemovedInitialRouted(const std::string& host,
                                               const CidLedger::InitialKey& key, Timestamp now) {
  report_.Report(kOracle, host, now,
                 "Initial DCID " + key.first + " from " + key.second +
                     " routed after its connection was removed");
}

void CidLifetimeOracle::CheckRegistry(const std::string& host, const ConnectionIdRegistry& registry,
                                      Timestamp now) {
  const InvariantReport report = registry.CheckInvariants();
  if (!report.ok()) report_.Report(kOracle, host, now, "registry invariant: " + report.violation);
}

}  // namespace p2pquic::scenarios
