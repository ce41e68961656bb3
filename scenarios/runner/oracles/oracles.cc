#include "scenarios/runner/oracles/oracles.h"

#include "transport/routing/routing_header.h"

namespace p2pquic::scenarios {

void Oracles::AddHost(const std::string& host, const ConnectionIdRegistry& registry,
                      size_t cid_length) {
  Host& entry = hosts_[host];
  entry.registry = &registry;
  entry.cid_length = cid_length;
}

void Oracles::OnHostRestarted(const std::string& host, const ConnectionIdRegistry& registry) {
  Host& entry = hosts_.at(host);
  entry.registry = &registry;
  entry.accepting.reset();
  for (auto& [hex, owner] : entry.cids) owner.connection_gone = true;
  for (auto& [key, owner] : entry.initials) owner.connection_gone = true;
  entry.paths.clear();
}

void Oracles::Report(const std::string& oracle, const std::string& host, Timestamp at,
                     std::string detail) {
  ++violation_count_;
  if (violations_.size() < kMaxKept) violations_.push_back({oracle, host, at, std::move(detail)});
}

void Oracles::OnConnectionCreated(const std::string& host, ConnectionHandle connection,
                                  bool inbound, const NetworkPath& path) {
  Host& h = hosts_.at(host);
  if (inbound && h.accepting) h.initials[*h.accepting] = InitialOwner{connection};
  h.accepting.reset();
  // The handshake's own path: its amplification limit is the handshake's
  // (address validation by the handshake), not a migration's; and a
  // client's peer is the address it chose.
  h.paths[path.remote.ToString()].validated = true;
}

void Oracles::OnCidIssued(const std::string& host, ConnectionHandle connection,
                          const ConnectionId& cid, uint64_t sequence, Timestamp now) {
  ++checks_;
  Host& h = hosts_.at(host);
  const auto [last, first] =
      h.last_issued.try_emplace({connection.index, connection.generation}, sequence);
  if (!first) {
    if (sequence <= last->second) {
      Report("cid-sequence", host, now,
             "CID " + cid.ToHex() + " issued with sequence " + std::to_string(sequence) +
                 " after sequence " + std::to_string(last->second));
    }
    last->second = sequence;
  }
  auto [it, fresh] = h.cids.try_emplace(cid.ToHex(), CidOwner{connection, sequence});
  if (!fresh && !it->second.connection_gone) {
    Report("routing", host, now,
           "CID " + cid.ToHex() + " issued twice (live owner sequence " +
               std::to_string(it->second.sequence) + ")");
  }
  it->second = CidOwner{connection, sequence};
}

void Oracles::OnCidRetired(const std::string& host, ConnectionHandle connection,
                           const ConnectionId& cid, uint64_t sequence, Timestamp now) {
  ++checks_;
  Host& h = hosts_.at(host);
  auto it = h.cids.find(cid.ToHex());
  if (it == h.cids.end() || it->second.connection != connection ||
      it->second.sequence != sequence) {
    Report("cid-retirement", host, now,
           "retired CID " + cid.ToHex() + " (sequence " + std::to_string(sequence) +
               ") that this connection never issued");
    return;
  }
  if (it->second.retired) {
    Report("cid-retirement", host, now,
           "CID " + cid.ToHex() + " (sequence " + std::to_string(sequence) + ") retired twice");
  }
  it->second.retired = true;
}

void Oracles::OnConnectionRemoved(const std::string& host, ConnectionHandle connection,
                                  Timestamp now) {
  Host& h = hosts_.at(host);
  for (auto& [hex, owner] : h.cids) {
    if (owner.connection == connection) owner.connection_gone = true;
  }
  for (auto& [key, owner] : h.initials) {
    if (owner.connection == connection) owner.connection_gone = true;
  }
  ++checks_;
  if (h.registry->CidCount(connection) != 0) {
    Report("cid-lifetime", host, now,
           std::to_string(h.registry->CidCount(connection)) +
               " CIDs still registered for a removed connection");
  }
  const InvariantReport report = h.registry->CheckInvariants();
  if (!report.ok()) Report("cid-lifetime", host, now, "registry invariant: " + report.violation);
}

void Oracles::OnDatagramRouted(const std::string& host, const ReceivedDatagram& datagram,
                               const RouteResult& route, Timestamp now) {
  Host& h = hosts_.at(host);
  CheckRoute(h, host, datagram, route, now);
  if (!NamesConnection(route.outcome)) return;
  // A routed datagram from an address the host has not seen opens a path
  // whose budget is what arrives on it.
  h.paths[datagram.remote.ToString()].received += datagram.payload.size();
}

void Oracles::CheckRoute(Host& h, const std::string& host, const ReceivedDatagram& datagram,
                         const RouteResult& route, Timestamp now) {
  RoutingHeader header;
  if (ParseRoutingHeader(datagram.payload, h.cid_length, &header) != HeaderParseStatus::kOk) {
    return;
  }
  if (route.outcome == RouteOutcome::kMissInitial || route.outcome == RouteOutcome::kInitialHit) {
    const InitialKey key{header.dcid.ToHex(), datagram.remote.ToString()};
    if (route.outcome == RouteOutcome::kMissInitial) {
      h.accepting = key;
    } else {
      CheckInitialRoute(h, host, key, route, now);
    }
    return;
  }
  auto it = h.cids.find(header.dcid.ToHex());
  if (it == h.cids.end()) return;
  ++checks_;
  const CidOwner& owner = it->second;
  const bool routed = NamesConnection(route.outcome);
  if (owner.connection_gone) {
    if (routed) {
      Report("cid-lifetime", host, now,
             "CID " + header.dcid.ToHex() + " of a removed connection routed as " +
                 ToString(route.outcome));
    }
    return;
  }
  if (routed && route.connection != owner.connection) {
    Report("routing", host, now,
           "CID " + header.dcid.ToHex() + " (sequence " + std::to_string(owner.sequence) +
               ") routed to another connection as " + ToString(route.outcome));
  }
  if (owner.retired && route.outcome == RouteOutcome::kCidHit) {
    Report("cid-retirement", host, now,
           "retired CID " + header.dcid.ToHex() + " routed as an active CID");
  }
}

void Oracles::CheckInitialRoute(Host& h, const std::string& host, const InitialKey& key,
                                const RouteResult& route, Timestamp now) {
  auto it = h.initials.find(key);
  if (it == h.initials.end()) return;
  ++checks_;
  if (it->second.connection_gone) {
    Report("cid-lifetime", host, now,
           "Initial DCID " + key.first + " from " + key.second +
               " routed after its connection was removed");
  } else if (route.connection != it->second.connection) {
    Report("routing", host, now,
           "Initial DCID " + key.first + " from " + key.second +
               " routed to a connection another client's Initial made");
  }
}

void Oracles::OnDatagramSent(const std::string& host, const NetworkPath& path, size_t bytes,
                             Timestamp now) {
  Host& h = hosts_.at(host);
  auto it = h.paths.find(path.remote.ToString());
  if (it == h.paths.end() || it->second.validated) return;
  PathBudget& budget = it->second;
  budget.sent += bytes;
  ++checks_;
  if (budget.sent > kAmplificationFactor * budget.received) {
    Report("amplification", host, now,
           "sent " + std::to_string(budget.sent) + " bytes to unvalidated " +
               path.remote.ToString() + " after receiving " + std::to_string(budget.received));
  }
}

void Oracles::OnPathValidation(const std::string& host, const NetworkPath& path,
                               PathValidation result) {
  if (result == PathValidation::kSucceeded) {
    hosts_.at(host).paths[path.remote.ToString()].validated = true;
  }
}

void Oracles::OnFrame(const std::string& host, ConnectionHandle connection,
                      FrameDirection direction, const TracedFrame& frame, Timestamp now) {
  if (direction != FrameDirection::kSent || frame.type != FrameType::kNewConnectionId) return;
  ++checks_;
  const Host& h = hosts_.at(host);
  const std::string announced =
      "NEW_CONNECTION_ID sequence " + std::to_string(frame.sequence) + " with CID " + frame.cid;
  const auto it = h.cids.find(frame.cid);
  if (it == h.cids.end() || it->second.connection_gone) {
    Report("cid-sequence", host, now, announced + ": the registry never issued that CID");
  } else if (it->second.connection != connection) {
    Report("cid-sequence", host, now, announced + ": the registry issued it to another connection");
  } else if (it->second.sequence != frame.sequence) {
    Report(
        "cid-sequence", host, now,
        announced + ": the registry holds it as sequence " + std::to_string(it->second.sequence));
  }
}

void Oracles::CheckRegistries(Timestamp now) {
  for (const auto& [name, host] : hosts_) {
    ++checks_;
    const InvariantReport report = host.registry->CheckInvariants();
    if (!report.ok()) Report("cid-lifetime", name, now, "registry invariant: " + report.violation);
  }
}

}  // namespace p2pquic::scenarios
