// The cid-retirement oracle: every retirement is of a sequence the
// connection was issued, once, and a retired CID never routes as an active
// one again. Peers may retire CIDs in any order (RFC 9000 §5.1.2) and
// ngtcp2 uses new CIDs in arrival order, so "in order" is checked where we
// control it: the registry never revives or double-retires a sequence.
//
// Contract: single-threaded.
#pragma once

#include <cstdint>
#include <string>

#include "scenarios/runner/oracles/cid_ledger.h"
#include "scenarios/runner/oracles/oracle_report.h"
#include "transport/base/time.h"
#include "transport/routing/registry_result.h"

namespace p2pquic::scenarios {

enum class RetirementCheck : uint8_t {
  kOfIssued,     // The ledger should mark it retired.
  kNeverIssued,  // Reported; the ledger has nothing to mark.
};

class CidRetirementOracle {
 public:
  explicit CidRetirementOracle(OracleReport& report) : report_(report) {}

  // `connection` retired `cid` (`sequence`); `owner` is what the ledger
  // holds for that CID (null: never issued).
  RetirementCheck OnCidRetired(const std::string& host, const CidLedger::CidOwner* owner,
                               ConnectionHandle connection, const ConnectionId& cid,
                               uint64_t sequence, Timestamp now);
  // A datagram to a CID of a live connection was routed as `route`.
  void OnCidRouted(const std::string& host, const std::string& cid_hex,
                   const CidLedger::CidOwner& owner, const RouteResult& route, Timestamp now);

 private:
  OracleReport& report_;
};

}  // namespace p2pquic::scenarios
