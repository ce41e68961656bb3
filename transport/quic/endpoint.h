// Endpoint: one UDP socket serving many QUIC connections. Every datagram is
// demultiplexed through the ConnectionIdRegistry (DESIGN.md, "Routing one
// datagram"): hits go to their connection in arrival order; an unknown
// Initial may start a server connection (within limits); an unknown version
// gets Version Negotiation; an unknown short header gets a rate-limited
// stateless reset; everything else is dropped and counted.
//
// Runs entirely on the seams (DatagramSocket, Clock, Random), so the same
// code runs over Boost.Asio and in the simulator.
//
// Contract: single-threaded; all calls and callbacks happen on the runtime's
// thread. The delegate, socket, clock, random, credentials and verifier
// factory must outlive the endpoint. A delegate callback must not destroy
// the endpoint.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "transport/clock.h"
#include "transport/connection_id_registry.h"
#include "transport/datagram_socket.h"
#include "transport/quic/connection_end.h"
#include "transport/quic/endpoint_tracer.h"
#include "transport/quic/quic_connection.h"
#include "transport/random.h"

namespace p2pquic {

struct EndpointConfig {
  QuicConfig quic;
  RegistrySettings registry;
  // Connections still handshaking, and connections in all: Initials beyond
  // either are dropped (and counted).
  size_t max_pending_handshakes = 256;
  size_t max_connections = 4096;
  // Whether this endpoint accepts inbound connections at all.
  bool accept_inbound = true;
  // Stateless resets sent per second at most (token bucket, burst = rate).
  uint32_t stateless_resets_per_second = 64;
};

struct EndpointStats {
  uint64_t datagrams_received = 0;
  uint64_t datagrams_sent = 0;
  uint64_t send_failures = 0;
  uint64_t version_negotiations_sent = 0;
  uint64_t stateless_resets_sent = 0;
  uint64_t stateless_resets_suppressed = 0;  // Rate limit or too small to answer.
  uint64_t initials_refused = 0;             // Limits, or not acceptable.
  uint64_t handshakes_started = 0;
  uint64_t handshakes_completed = 0;
  uint64_t connections_closed = 0;
  uint64_t dropped = 0;         // Malformed, unknown long headers, undecryptable.
  uint64_t bytes_received = 0;  // UDP payload bytes.
  uint64_t bytes_sent = 0;
  uint64_t streams_accepted = 0;  // Streams the peers opened.
  uint64_t migrations = 0;        // Connections this endpoint migrated (client side).
  uint64_t path_validations_succeeded = 0;
  uint64_t path_validations_failed = 0;  // Failed or aborted.
  // Closing period (RFC 9000 §10.2.1): datagrams that reached a connection
  // we were closing, and the saved CONNECTION_CLOSEs re-sent to answer them
  // (rate-limited: ClosingPeriod).
  uint64_t closing_datagrams_received = 0;
  uint64_t connection_closes_resent = 0;

  void Accumulate(const EndpointStats& other);
};

// What the application provides.
class EndpointDelegate {
 public:
  virtual ~EndpointDelegate() = default;
  // A connection is being created (inbound: on its first Initial; outbound:
  // in Dial). Return the observer for its handshake and stream events and
  // the verifier for its peer's certificate; both must live until
  // OnConnectionClosed for this handle.
  struct ConnectionParts {
    ConnectionObserver* observer;
    PeerCertificateVerifier* verifier;
  };
  virtual ConnectionParts OnConnectionCreated(ConnectionHandle handle, bool inbound,
                                              const NetworkPath& path) = 0;
  // The connection is gone (its CIDs removed), so this comes when its
  // closing or draining period is over, not when it began. `end` says how it
  // ended (the first cause and reason it had). The handle is stale now.
  virtual void OnConnectionClosed(ConnectionHandle handle, const ConnectionEnd& end) = 0;
};

enum class DialResult : uint8_t { kOk, kLimitExceeded, kSetupFailed };
const char* ToString(DialResult result);

class Endpoint {
 public:
  Endpoint(const EndpointConfig& config, DatagramSocket& socket, Clock& clock, Random& random,
           const TlsCredentials& credentials, EndpointDelegate& delegate);
  ~Endpoint();
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  // Installs the socket's receive handler.
  void Start();
  DialResult Dial(const SocketAddress& remote, ConnectionHandle* handle);
  // The live connection, or null.
  QuicConnection* Find(ConnectionHandle handle);
  // Sends what the application queued on the connection's streams and
  // re-arms its timer. Call after stream operations outside callbacks.
  void Flush(ConnectionHandle handle);
  void Close(ConnectionHandle handle, uint64_t app_error_code);

  // Client active migration: moves the socket to `new_local` and migrates
  // every established outbound connection there at once (the old address
  // is gone; the new path is validated while in use, with a fresh DCID).
  // Refused, with nothing changed, while the endpoint serves inbound
  // connections (servers do not move, RFC 9000 §9: kServesInbound) or any
  // connection cannot start (kNotConfirmed, kPeerDisallows, ...: see
  // QuicConnection::MigrationBlocker). If no connection can follow for want
  // of a spare CID of the peer's (kNoSpareCid, which only ngtcp2 knows),
  // the socket moves back; if only some can, the others stay on the old
  // path and the first failure is returned.
  MigrateResult Migrate(const SocketAddress& new_local);

  // Optional; set before Start. See endpoint_tracer.h.
  void SetTracer(EndpointTracer* tracer) { tracer_ = tracer; }
  // A test hook that breaks "register before announce" on purpose: CIDs
  // issued after sequence 0 are announced at once but entered in the
  // registry `delay` later, as a registry updated across threads would be.
  // Packets that use them meanwhile take the address-fallback path. Zero
  // (the default) restores immediate registration for later CIDs.
  void SetCidRegistrationDelay(Duration delay) { cid_registration_delay_ = delay; }

  const EndpointStats& stats() const { return stats_; }
  const ConnectionIdRegistry& registry() const { return registry_; }
  SocketAddress local_address() const { return socket_.LocalAddress(); }
  size_t connection_count() const { return connections_.size(); }

 private:
  class Link;  // Per-connection glue: CID observer, event forwarding, timer.
  class SocketSink;

  void OnDatagram(const ReceivedDatagram& datagram);
  // After a burst: one write pass per connection the burst touched.
  void OnBurstEnd();
  void Deliver(Link& link, const ReceivedDatagram& datagram, const RouteResult& route);
  void Accept(const ReceivedDatagram& datagram);
  void SendVersionNegotiation(const ReceivedDatagram& datagram);
  void MaybeSendStatelessReset(const ReceivedDatagram& datagram);
  bool TakeResetToken(Timestamp now);
  // Write, re-arm the timer, remove the connection when it is closed.
  void Service(Link& link);
  void ArmTimer(Link& link);
  void ArmSweep();
  void Remove(Link& link);
  Link* FindLink(ConnectionHandle handle);
  // Moves `handle`'s 4-tuple binding in the registry to `path`.
  void Rebind(Link& link, const NetworkPath& path);

  EndpointConfig config_;
  DatagramSocket& socket_;
  Clock& clock_;
  Random& random_;
  // Parsed once for every connection's TLS session; null if GnuTLS refused
  // the credentials (then every connection attempt fails).
  std::unique_ptr<GnutlsCredentials> tls_;
  EndpointDelegate& delegate_;
  ResetSecret reset_secret_;
  ConnectionIdRegistry registry_;
  std::unique_ptr<SocketSink> sink_;
  std::map<uint32_t, std::unique_ptr<Link>> connections_;  // By handle index.
  std::vector<ConnectionHandle> touched_;  // Read during this burst, not yet serviced.
  size_t pending_handshakes_ = 0;          // Connections whose handshake is not done.
  TimerId sweep_timer_;
  Timestamp sweep_deadline_ = Timestamp::max();
  double reset_tokens_ = 0;
  Timestamp reset_refill_ = Timestamp{};
  EndpointStats stats_;
  std::vector<uint8_t> scratch_;
  EndpointTracer* tracer_ = nullptr;
  Duration cid_registration_delay_ = Duration::zero();
};

}  // namespace p2pquic
