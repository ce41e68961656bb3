// The routing oracle: a datagram whose DCID is a live CID of ours reaches
// the connection that owns it and no other; a client's Initial reaches the
// connection its (DCID, address) made; no live CID is issued twice.
//
// Contract: single-threaded; each call judges one event against the
// host's CidLedger before the ledger records it.
#pragma once

#include <string>

#include "scenarios/runner/oracles/cid_ledger.h"
#include "scenarios/runner/oracles/oracle_report.h"
#include "transport/base/time.h"
#include "transport/routing/registry_result.h"

namespace p2pquic::scenarios {

class RoutingOracle {
 public:
  explicit RoutingOracle(OracleReport& report) : report_(report) {}

  // `cid` is being issued; `previous` is its earlier owner, if any.
  void OnCidIssued(const std::string& host, const ConnectionId& cid,
                   const CidLedger::CidOwner* previous, Timestamp now);
  // A datagram to a live CID of `owner` was routed as `route`.
  void OnCidRouted(const std::string& host, const std::string& cid_hex,
                   const CidLedger::CidOwner& owner, const RouteResult& route, Timestamp now);
  // An Initial whose (DCID, address) made `owner`'s live connection.
  void OnInitialRouted(const std::string& host, const CidLedger::InitialKey& key,
                       const CidLedger::InitialOwner& owner, const RouteResult& route,
                       Timestamp now);

 private:
  OracleReport& report_;
};

}  // namespace p2pquic::scenarios
