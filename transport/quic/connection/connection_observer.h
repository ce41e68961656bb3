// What a QuicConnection tells its owners, in two parts: CidObserver (the
// endpoint: CID registration and paths) and ConnectionObserver (the
// application: handshake and streams). Called from inside QuicConnection::Read, Write
// and HandleExpiry, on the connection's thread.
//
// Contract: a callback may call the connection's stream operations
// (WriteStream, ConsumeStream, ShutdownStream, ResetStream, StopSending,
// OpenStream) but never Read, Write, HandleExpiry or Close, and must not
// destroy the connection; the owner does those after the call returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "transport/base/connection_id.h"
#include "transport/base/network_path.h"
#include "transport/routing/cid_registration.h"

namespace p2pquic {

// How a path validation (PATH_CHALLENGE / PATH_RESPONSE, RFC 9000 §8.2)
// ended: on the client after Migrate, on the server after the client's
// address changed (NAT rebinding or migration).
enum class PathValidation : uint8_t { kSucceeded, kFailed, kAborted };
const char* ToString(PathValidation result);

// What happened to one of the peer's CIDs (ngtcp2's dcid_status callback).
enum class PeerCidUse : uint8_t {
  kActivated,    // We started sending to it.
  kDeactivated,  // We retired it and ngtcp2 stopped accepting resets for it.
};
const char* ToString(PeerCidUse use);

class CidObserver {
 public:
  virtual ~CidObserver() = default;
  // A new CID of ours, about to be announced: register it now (before the
  // NEW_CONNECTION_ID frame can leave). kCollision makes the connection draw
  // another; kRefused fails the connection.
  virtual CidRegistration OnIssueCid(const ConnectionId& cid, uint64_t sequence,
                                     const StatelessResetToken& token) = 0;
  // The peer retired one of our CIDs.
  virtual void OnRetireCid(const ConnectionId& cid) = 0;
  // A path validation ended. On success the connection now uses `path`
  // (the endpoint binds its 4-tuple for address fallback); until then it
  // sent at most three times what it received on it (RFC 9000 §8.1).
  virtual void OnPathValidation(const NetworkPath& path, PathValidation result) = 0;
  // One of the peer's CIDs came into use or went out of it, with the
  // stateless reset token the peer bound to it: the server's
  // stateless_reset_token transport parameter for its sequence 0, else the
  // token of the NEW_CONNECTION_ID frame that announced it; none for a
  // client's first CID (a client sends no such parameter). RFC 9000 §10.3.1:
  // a datagram that ends in the token of a CID in use is a stateless reset
  // of this connection, so the owner makes the token routable while the CID
  // is in use. Facts of ngtcp2 0.12.1 an owner must tolerate: it reports
  // only CIDs it uses (never the spare ones), the server's transport
  // parameter token once the handshake completes, a retired CID a PTO after
  // retirement (or sooner when its retired list is full), and it may
  // deactivate a CID it never reported active (one it bound to a path the
  // peer only probed).
  virtual void OnPeerCid(PeerCidUse use, uint64_t sequence, const ConnectionId& cid,
                         const std::optional<StatelessResetToken>& token) = 0;
  // `path` stopped carrying the `probed_size`-byte datagrams PMTUD had
  // validated on it (a path MTU black hole, RFC 8899 §4.3): the connection
  // sends `base_size`-byte ones from now on (QuicConnection says until when).
  virtual void OnPathMtuBlackHole(const NetworkPath& path, size_t probed_size,
                                  size_t base_size) = 0;
};

class ConnectionObserver {
 public:
  virtual ~ConnectionObserver() = default;

  virtual void OnHandshakeCompleted() = 0;
  // The peer opened a stream.
  virtual void OnStreamOpened(int64_t stream_id) = 0;
  // In-order stream data; `fin` marks the end of the peer's direction. The
  // bytes are only valid during the call; flow-control credit returns only
  // through QuicConnection::ConsumeStream.
  virtual void OnStreamData(int64_t stream_id, std::span<const uint8_t> data, bool fin) = 0;
  // Send-buffer space freed on a stream that pushed back.
  virtual void OnStreamWritable(int64_t stream_id) = 0;
  // The peer reset its direction (RESET_STREAM): no more data will come.
  virtual void OnStreamReset(int64_t stream_id, uint64_t app_error_code) = 0;
  // Our direction was shut by the peer (its STOP_SENDING; ngtcp2 0.12.1
  // answers with RESET_STREAM itself and does not report the code). Noticed
  // when the connection next tries to send on the stream.
  virtual void OnStreamWriteStopped(int64_t stream_id) = 0;
  // Both directions done; the stream id is dead afterwards.
  virtual void OnStreamClosed(int64_t stream_id, uint64_t app_error_code) = 0;
  // Client: the server sent a token (NEW_TOKEN, RFC 9000 §8.1.3) for our
  // next connection to it; valid only during the call. Most observers have
  // no use for it (the endpoint keeps it), hence the default.
  virtual void OnNewToken(std::span<const uint8_t> /*token*/) {}
};

}  // namespace p2pquic
