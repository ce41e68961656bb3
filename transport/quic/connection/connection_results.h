// The states of a QuicConnection and the outcome of each of its operations,
// with their names for logs and errors. One enum per operation whose
// outcomes differ, so a caller's switch lists exactly what that operation
// can say (an enum shared by every stream operation made each caller guess
// which of its values could come back).
#pragma once

#include <cstdint>

namespace p2pquic {

// kHandshaking -> kEstablished -> (kClosing | kDraining) -> kClosed; any
// state but kClosed may also end at once in kClosed (QuicConnection's header).
enum class ConnectionState : uint8_t { kHandshaking, kEstablished, kClosing, kDraining, kClosed };
const char* ToString(ConnectionState state);

enum class CreateResult : uint8_t { kOk, kTlsSetupFailed, kQuicSetupFailed, kCidRefused };
const char* ToString(CreateResult result);

// QuicConnection::SubmitNewToken.
enum class NewTokenResult : uint8_t {
  kOk,
  kNotServer,  // Only a server sends NEW_TOKEN (RFC 9000 §19.7).
  kEmpty,      // An empty token is a protocol violation (§19.7).
  kFailed,     // ngtcp2 could not queue it (out of memory).
};
const char* ToString(NewTokenResult result);

enum class ReadResult : uint8_t {
  // A short-header (1-RTT) packet in it decrypted: the peer sent it, from
  // whatever address it came (only this may confirm an address-fallback
  // route: the registry's contract). Initial keys are public, so nothing less proves it.
  kAuthenticated,
  // Taken without error, but it proves nothing about its sender: a handshake
  // (long header) datagram, or a short-header one that ngtcp2 buffered until
  // its keys arrive, discarded as undecryptable, or ignored (unknown path).
  kUnauthenticated,
  kDropped,   // Not for this connection, or we drain: ignored, counted.
  kClosing,   // We closed: not processed; may earn the saved CONNECTION_CLOSE.
  kDraining,  // The peer closed the connection (CONNECTION_CLOSE); it drains now.
  kClosed,    // A fatal error: the connection closed (see close_reason()).
  // A stateless reset from the peer (RFC 9000 §10.3.1): the peer lost the
  // connection, so it is closed at once, with no draining period (nothing
  // is left to drain) and close_reason() "stateless reset".
  kReset,
};
const char* ToString(ReadResult result);

enum class MigrateResult : uint8_t {
  kOk,            // Path validation started; the new path is used once it succeeds.
  kNotClient,     // Only a client migrates (RFC 9000 §9).
  kNotConfirmed,  // The handshake is not confirmed yet (RFC 9000 §9).
  kNoSpareCid,    // The peer left us no unused CID for the new path.
  kSameAddress,   // Already there.
  kNotConnected,  // Closing, draining or closed.
  // The peer sent disable_active_migration (RFC 9000 §18.2): we must not
  // move. js-libp2p's and rust-libp2p's QUIC servers do.
  kPeerDisallows,
  kError,
  // Endpoint::Migrate only.
  kRebindFailed,   // The socket could not move to the new address.
  kServesInbound,  // The endpoint has inbound connections: a server does not move.
  // Endpoint::Migrate only: a connection is not confirmed yet or has no
  // spare CID of the peer's: nothing moved; the endpoint moves once the
  // peer's packets (HANDSHAKE_DONE, NEW_CONNECTION_ID) remove the blocker.
  kDeferred,
};
const char* ToString(MigrateResult result);

// kProbeFirst keeps using the old path until the new one is validated (the
// old address still works); kImmediate switches at once and validates the
// new path while using it (the old address is gone).
enum class MigrationMode : uint8_t { kProbeFirst, kImmediate };

// Whether the connection writes datagrams at the size PMTUD reached, or at
// the base size after a black hole.
enum class PathMtuMode : uint8_t { kProbed, kBaseFallback };
const char* ToString(PathMtuMode mode);

// QuicConnection::OpenStream.
enum class StreamOpenResult : uint8_t {
  kOk,
  kNotConnected,  // Handshake not completed, or the connection is ending.
  kPeerLimit,     // The peer's stream limit (MAX_STREAMS): try after more credit.
  kLocalLimit,    // Our own max_outbound_streams: close one first.
  kError,         // ngtcp2 refused for another reason.
};
const char* ToString(StreamOpenResult result);

// QuicConnection::WriteStream.
enum class StreamWriteResult : uint8_t {
  kOk,             // `*accepted` bytes were buffered (possibly 0: no room).
  kNotConnected,   // Handshake not completed, or the connection is ending.
  kUnknownStream,  // Never opened, or already closed.
  kWriteClosed,    // The write side is finishing or finished (FIN asked or sent), or reset.
};
const char* ToString(StreamWriteResult result);

// QuicConnection::ShutdownStream.
enum class StreamShutdownResult : uint8_t {
  kOk,             // The FIN goes out after the buffered bytes.
  kUnknownStream,  // Never opened, or already closed.
  kWriteClosed,    // The write side is already finishing, finished or reset.
};
const char* ToString(StreamShutdownResult result);

// QuicConnection::ResetStream and StopSending: one direction abandoned with
// an application error code.
enum class StreamAbortResult : uint8_t {
  kOk,
  kUnknownStream,  // Never opened, or already closed.
  kError,          // ngtcp2 refused.
};
const char* ToString(StreamAbortResult result);

// QuicConnection::ConsumeStream.
enum class StreamConsumeResult : uint8_t {
  kOk,             // The credit goes to the peer with the next Write.
  kUnknownStream,  // Never opened, or already closed.
};
const char* ToString(StreamConsumeResult result);

}  // namespace p2pquic
