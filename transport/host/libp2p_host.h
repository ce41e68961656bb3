// Libp2pHost: a libp2p host over QUIC. It holds the identity, shows a
// libp2p TLS certificate made from it, runs an Endpoint, learns each peer's
// ID from its certificate (refusing a dialed peer that is not the one in
// the /p2p/ address), negotiates every stream with multistream-select 1.0
// and hands it to the handler registered for the agreed protocol.
//
// Sans I/O like the rest of transport/: the socket, clock and random source
// are handed in. Single-threaded; callbacks run on the runtime's thread and
// must not destroy the host.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "transport/base/handle_slots.h"
#include "transport/host/stream_handler.h"
#include "transport/identity/peer_id.h"
#include "transport/identity/private_key.h"
#include "transport/multiaddr/multiaddr.h"
#include "transport/quic/endpoint/endpoint.h"

namespace p2pquic {

struct HostOptions {
  EndpointConfig endpoint;
  std::string agent_version = "p2pquic/0.1.0";
  std::string protocol_version = "ipfs/0.1.0";
};

enum class HostStatus : uint8_t {
  kOk,
  kCertificateFailed,
  kBadEndpointConfig,  // CheckEndpointConfig(options.endpoint) says why.
};
enum class OpenStreamResult : uint8_t { kOk, kNotConnected, kStreamLimit, kError };
const char* ToString(OpenStreamResult result);

class Libp2pHost final : public EndpointDelegate {
 public:
  using HandlerFactory = std::function<std::unique_ptr<StreamHandler>()>;
  // On success `peer` is set and `error` empty; on failure the reverse.
  using ConnectCallback =
      std::function<void(ConnectionHandle handle, const PeerId* peer, const std::string& error)>;
  using ConnectionEvent = std::function<void(ConnectionHandle handle, const std::string& detail)>;
  using CreatedEvent =
      std::function<void(ConnectionHandle handle, bool inbound, const NetworkPath& path)>;
  using ClosedEvent = std::function<void(ConnectionHandle handle, const ConnectionEnd& end)>;

  static HostStatus Create(const HostOptions& options, PrivateKey identity, DatagramSocket& socket,
                           Clock& clock, Random& random, std::unique_ptr<Libp2pHost>* out);
  ~Libp2pHost() override;

  void Start() { endpoint_->Start(); }
  const PeerId& peer_id() const { return peer_id_; }
  const PrivateKey& identity() const { return identity_; }
  const HostOptions& options() const { return options_; }
  Multiaddr ListenAddress() const;
  Clock& clock() { return clock_; }
  Random& random() { return random_; }
  Endpoint& endpoint() { return *endpoint_; }

  // Serve `protocol` on inbound streams.
  void Handle(std::string protocol, HandlerFactory factory);
  std::vector<std::string> Protocols() const;

  // Dials `address` (which must carry /p2p/<id> unless `allow_any_peer`).
  // Returns the new connection's handle (valid from now on: it may be
  // closed before it is ready), or an invalid handle when the dial failed
  // at once, after `callback` has reported why (with an invalid handle).
  ConnectionHandle Connect(const Multiaddr& address, ConnectCallback callback,
                           bool allow_any_peer = false);
  // Opens a stream and negotiates the first of `protocols` the peer speaks.
  OpenStreamResult OpenStream(ConnectionHandle connection, std::vector<std::string> protocols,
                              std::unique_ptr<StreamHandler> handler);
  void Disconnect(ConnectionHandle connection, uint64_t app_error_code = 0);
  // Closes every connection (graceful: CONNECTION_CLOSE with code 0).
  void DisconnectAll();

  // Client active migration (RFC 9000 §9): moves this host's socket to
  // `new_local` (port 0 picks a free port; the old address stops receiving)
  // and migrates every outbound connection there at once; each keeps its
  // streams, its peer and its handle, and validates the new path while
  // using it (Endpoint::Migrate). kOk when every connection moved, else the
  // first failure: kServesInbound (the host has inbound connections: a
  // listener does not move), kRebindFailed (the socket could not bind
  // `new_local`), or a connection's own refusal checked before the socket
  // moves: kPeerDisallows (the peer forbids migration); in all of these
  // nothing changed. kDeferred: a connection is not confirmed yet
  // (HANDSHAKE_DONE comes about a round trip after it is ready) or has no
  // spare CID of the peer's; the move happens by itself once the peer's
  // packets remove that (Endpoint::pending_migration() says where to).
  // With no connection at all it only moves the socket.
  // Call it from the runtime loop (e.g. a clock timer), never from inside a
  // callback of this host (stream handlers, connection events): a
  // connection must not start migrating while it is reading a packet.
  MigrateResult Migrate(const SocketAddress& new_local);
  // The address the host's socket is bound to now (it changes on Migrate).
  SocketAddress LocalAddress() const { return endpoint_->local_address(); }

  const PeerId* PeerOf(ConnectionHandle connection) const;
  // The peer's address on the path the connection uses now: once the peer
  // migrated (or its NAT rebound), its new address, which identify then
  // reports as the observed address.
  std::optional<SocketAddress> RemoteAddressOf(ConnectionHandle connection) const;
  size_t connection_count() const { return connections_.size(); }

  // A connection exists (an inbound one from the peer's first Initial, an
  // outbound one from Connect, before Connect returns); `path` is the one
  // it starts on.
  CreatedEvent on_connection_created;
  // Inbound or outbound connection ready (handshake done, peer known);
  // `detail` is the peer's ID.
  ConnectionEvent on_connection_ready;
  // The connection is gone: how and why (ConnectionEnd), after every stream
  // handler of it was told.
  ClosedEvent on_connection_closed;

  // EndpointDelegate.
  ConnectionParts OnConnectionCreated(ConnectionHandle handle, bool inbound,
                                      const NetworkPath& path) override;
  void OnConnectionClosed(ConnectionHandle handle, const ConnectionEnd& end) override;

 private:
  class Connection;
  class Stream;

  Libp2pHost(const HostOptions& options, PrivateKey identity, Clock& clock, Random& random);
  Connection* FindConnection(ConnectionHandle handle) const;
  std::unique_ptr<StreamHandler> MakeHandler(const std::string& protocol) const;

  HostOptions options_;
  PrivateKey identity_;
  PeerId peer_id_;
  Clock& clock_;
  Random& random_;
  TlsCredentials credentials_;
  std::unique_ptr<Endpoint> endpoint_;
  std::map<std::string, HandlerFactory> handlers_;
  HandleSlots<ConnectionHandle, Connection> connections_;
  // Set by Connect just before Dial, consumed by OnConnectionCreated.
  std::optional<PeerId> dial_expected_peer_;
  ConnectCallback dial_callback_;
  // While Dial runs: the connection it created, if any. Should that one
  // close before Dial returns (its setup failed), its callback comes back
  // to dial_callback_ with the reason in dial_closed_reason_, so that
  // Connect reports a failed dial with an invalid handle and its reason, as
  // its contract says, instead of a handle Connect never returns.
  enum class DialPhase : uint8_t { kIdle, kDialing };
  DialPhase dial_phase_ = DialPhase::kIdle;
  ConnectionHandle dialing_;
  std::string dial_closed_reason_;
};

}  // namespace p2pquic
