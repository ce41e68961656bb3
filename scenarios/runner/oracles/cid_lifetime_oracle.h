// The cid-lifetime oracle: no CID (nor client Initial) routes to a
// connection after that connection is gone, a removed connection leaves no
// CID registered, and the registry's own invariants hold at every removal
// and at every audit.
//
// Contract: single-threaded.
#pragma once

#include <string>

#include "scenarios/runner/oracles/cid_ledger.h"
#include "scenarios/runner/oracles/oracle_report.h"
#include "transport/base/time.h"
#include "transport/routing/connection_id_registry.h"

namespace p2pquic::scenarios {

class CidLifetimeOracle {
 public:
  explicit CidLifetimeOracle(OracleReport& report) : report_(report) {}

  // `connection` was removed from `registry`.
  void OnConnectionRemoved(const std::string& host, const ConnectionIdRegistry& registry,
                           ConnectionHandle connection, Timestamp now);
  // A datagram to a CID of a removed connection was routed as `route`.
  void OnRemovedCidRouted(const std::string& host, const std::string& cid_hex,
                          const RouteResult& route, Timestamp now);
  // An Initial whose connection was removed reached a connection.
  void OnRemovedInitialRouted(const std::string& host, const CidLedger::InitialKey& key,
                              Timestamp now);
  // The registry's own audit (ConnectionIdRegistry::CheckInvariants).
  void CheckRegistry(const std::string& host, const ConnectionIdRegistry& registry, Timestamp now);

 private:
  OracleReport& report_;
};

}  // namespace p2pquic::scenarios
