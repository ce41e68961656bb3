#include "scenarios/runner/oracles/oracles.h"

#include <utility>

#include "transport/routing/routing_header.h"

namespace p2pquic::scenarios {

void Oracles::AddHost(const std::string& host, const ConnectionIdRegistry& registry,
                      size_t cid_length) {
  ledgers_.insert_or_assign(host, CidLedger(registry, cid_length));
}

void Oracles::OnHostRestarted(const std::string& host, const ConnectionIdRegistry& registry) {
  ledgers_.at(host).OnHostRestarted(registry);
  amplification_.OnHostRestarted(host);
  cid_sequence_.OnHostRestarted(host);
}

void Oracles::Report(const std::string& oracle, const std::string& host, Timestamp at,
                     std::string detail) {
  report_.Report(oracle, host, at, std::move(detail));
}

void Oracles::OnConnectionCreated(const std::string& host, ConnectionHandle connection,
                                  bool inbound, const NetworkPath& path) {
  ledgers_.at(host).OnConnectionCreated(connection, inbound);
  amplification_.OnConnectionCreated(host, path);
}

void Oracles::OnCidIssued(const std::string& host, ConnectionHandle connection,
                          const ConnectionId& cid, uint64_t sequence, Timestamp now) {
  report_.CountCheck(OracleCheck::kCidIssued);
  CidLedger& ledger = ledgers_.at(host);
  cid_sequence_.OnCidIssued(host, connection, cid, sequence, now);
  routing_.OnCidIssued(host, cid, ledger.FindCid(cid.ToHex()), now);
  ledger.Issue(cid, connection, sequence);
}

void Oracles::OnCidRetired(const std::string& host, ConnectionHandle connection,
                           const ConnectionId& cid, uint64_t sequence, Timestamp now) {
  report_.CountCheck(OracleCheck::kCidRetired);
  CidLedger& ledger = ledgers_.at(host);
  if (cid_retirement_.OnCidRetired(host, ledger.FindCid(cid.ToHex()), connection, cid, sequence,
                                   now) == RetirementCheck::kOfIssued) {
    ledger.MarkRetired(cid);
  }
}

void Oracles::OnConnectionRemoved(const std::string& host, ConnectionHandle connection,
                                  Timestamp now) {
  CidLedger& ledger = ledgers_.at(host);
  ledger.OnConnectionRemoved(connection);
  report_.CountCheck(OracleCheck::kConnectionRemoved);
  cid_lifetime_.OnConnectionRemoved(host, ledger.registry(), connection, now);
}

void Oracles::OnDatagramRouted(const std::string& host, const ReceivedDatagram& datagram,
                               const RouteResult& route, Timestamp now) {
  CidLedger& ledger = ledgers_.at(host);
  OnRouted(host, ledger, datagram, route, now);
  amplification_.OnArrived(host, datagram.payload.size());
  if (NamesConnection(route.outcome)) {
    amplification_.OnReceived(host, datagram.remote, datagram.payload.size());
  }
}

// Which oracles judge a routed datagram depends on what its DCID is: a
// client's Initial (routing, cid-lifetime), or a CID the host issued
// (cid-lifetime if its connection is gone, else routing and cid-retirement).
void Oracles::OnRouted(const std::string& host, CidLedger& ledger, const ReceivedDatagram& datagram,
                       const RouteResult& route, Timestamp now) {
  RoutingHeader header;
  if (ParseRoutingHeader(datagram.payload, ledger.cid_length(), &header) !=
      HeaderParseStatus::kOk) {
    return;
  }
  if (route.outcome == RouteOutcome::kMissInitial || route.outcome == RouteOutcome::kInitialHit) {
    const CidLedger::InitialKey key{header.dcid.ToHex(), datagram.remote.ToString()};
    if (route.outcome == RouteOutcome::kMissInitial) {
      ledger.OnInitialMissed(key);
      return;
    }
    const CidLedger::InitialOwner* owner = ledger.FindInitial(key);
    if (owner == nullptr) return;
    report_.CountCheck(owner->connection_gone ? OracleCheck::kRemovedInitialRouted
                                              : OracleCheck::kInitialRouted);
    if (owner->connection_gone) {
      cid_lifetime_.OnRemovedInitialRouted(host, key, now);
    } else {
      routing_.OnInitialRouted(host, key, *owner, route, now);
    }
    return;
  }
  const std::string cid_hex = header.dcid.ToHex();
  const CidLedger::CidOwner* owner = ledger.FindCid(cid_hex);
  if (owner == nullptr) return;
  report_.CountCheck(owner->connection_gone ? OracleCheck::kRemovedCidRouted
                                            : OracleCheck::kCidRouted);
  if (owner->connection_gone) {
    cid_lifetime_.OnRemovedCidRouted(host, cid_hex, route, now);
    return;
  }
  routing_.OnCidRouted(host, cid_hex, *owner, route, now);
  cid_retirement_.OnCidRouted(host, cid_hex, *owner, route, now);
}

void Oracles::OnDatagramSent(const std::string& host, const NetworkPath& path, size_t bytes,
                             Timestamp now) {
  amplification_.OnDatagramSent(host, path, bytes, now);
}

void Oracles::OnPathValidation(const std::string& host, const NetworkPath& path,
                               PathValidation result) {
  amplification_.OnPathValidation(host, path, result);
}

void Oracles::OnFrame(const std::string& host, ConnectionHandle connection,
                      FrameDirection direction, const TracedFrame& frame, Timestamp now) {
  cid_sequence_.OnFrame(host, ledgers_.at(host), connection, direction, frame, now);
}

void Oracles::OnStreamEnded(const std::string& stream, const std::string& receiver,
                            const StreamRecord* sent, const StreamRecord& received, Timestamp now) {
  stream_data_.OnStreamEnded(stream, receiver, sent, received, now);
}

void Oracles::CheckRegistries(Timestamp now) {
  for (const auto& [name, ledger] : ledgers_) {
    report_.CountCheck(OracleCheck::kRegistryAudit);
    cid_lifetime_.CheckRegistry(name, ledger.registry(), now);
  }
}

}  // namespace p2pquic::scenarios
