// EndpointTracer: an optional observer of everything an Endpoint does with
// datagrams, CIDs and paths, for tools that must see inside a run (the
// simulator's trace and oracles). Production passes none.
//
// Contract: called synchronously on the endpoint's thread, from inside
// Endpoint calls; an implementation records and returns. It must not call
// back into the endpoint or its connections, and must outlive the endpoint.
// Spans are valid during the call only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "transport/base/connection_id.h"
#include "transport/base/network_path.h"
#include "transport/quic/connection/connection_end.h"
#include "transport/quic/connection/connection_observer.h"
#include "transport/quic/connection/connection_trace.h"
#include "transport/routing/connection_handle.h"
#include "transport/routing/registry_result.h"
#include "transport/runtime/datagram_socket.h"

namespace p2pquic {

class EndpointTracer {
 public:
  virtual ~EndpointTracer() = default;

  // Every datagram received, with its header as routing parsed it (complete
  // when route.parse_status is kOk) and the registry's routing decision.
  virtual void OnDatagramRouted(const ReceivedDatagram& datagram, const RoutingHeader& header,
                                const RouteResult& route) = 0;
  // Every datagram handed to the socket (one call per datagram of a GSO batch).
  virtual void OnDatagramSent(const NetworkPath& path, std::span<const uint8_t> datagram) = 0;
  // A connection exists (before its first packet). Returns its per-connection
  // diagnostics (qlog, TLS secrets) or null.
  virtual ConnectionTrace* OnConnectionCreated(ConnectionHandle connection, bool inbound,
                                               const NetworkPath& path) = 0;
  virtual void OnHandshakeCompleted(ConnectionHandle connection) = 0;
  // A CID of ours was issued; `registered` is false while its registrar
  // deferred its entry (EndpointConfig::cid_registrar).
  virtual void OnCidIssued(ConnectionHandle connection, const ConnectionId& cid, uint64_t sequence,
                           bool registered) = 0;
  // A deferred entry was made (or the CID was confirmed by fallback).
  virtual void OnCidRegistered(ConnectionHandle connection, const ConnectionId& cid,
                               uint64_t sequence) = 0;
  // The peer retired a CID of ours; it stays routable for the grace period.
  virtual void OnCidRetired(ConnectionHandle connection, const ConnectionId& cid,
                            uint64_t sequence) = 0;
  virtual void OnPathValidation(ConnectionHandle connection, const NetworkPath& path,
                                PathValidation result) = 0;
  // The connection found a path MTU black hole on `path` and sends
  // `base_size`-byte datagrams instead of `probed_size`-byte ones.
  virtual void OnPathMtuBlackHole(ConnectionHandle connection, const NetworkPath& path,
                                  size_t probed_size, size_t base_size) = 0;
  // The connection and every CID, tuple and token it had are gone.
  virtual void OnConnectionRemoved(ConnectionHandle connection, const ConnectionEnd& end) = 0;
  // The endpoint answered a datagram for `dcid`, a CID no connection of its
  // owns, with a stateless reset on `path` (a reset belongs to no
  // connection, so no ConnectionTrace can report it).
  virtual void OnStatelessResetSent(const NetworkPath& path, const ConnectionId& dcid) = 0;
};

}  // namespace p2pquic
