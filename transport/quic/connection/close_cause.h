// CloseCause: how a QUIC connection ended, as the transport saw it. The
// close reason string says it for people; this says it for programs (the
// scenario runner's `ended` expectation, metrics, an application deciding
// whether to redial).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace p2pquic {

enum class CloseCause : uint8_t {
  // The application called Close: we sent CONNECTION_CLOSE with its code.
  kLocalClose,
  // The peer's CONNECTION_CLOSE arrived (RFC 9000 §10.2.2): we drained.
  kPeerClose,
  // A stateless reset for one of the peer's CIDs arrived (RFC 9000 §10.3):
  // the peer lost its state; we drained without sending anything.
  kStatelessReset,
  // Nothing arrived for max_idle_timeout (RFC 9000 §10.1): closed silently.
  kIdleTimeout,
  // The handshake did not complete within the handshake timeout.
  kHandshakeTimeout,
  // We found a protocol, TLS or certificate error (or could not go on) and
  // sent CONNECTION_CLOSE with a transport error.
  kLocalError,
  // ngtcp2 dropped the connection silently (NGTCP2_ERR_DROP_CONN: e.g. a
  // server whose first Initial turned out unusable).
  kUnrecoverablePacket,
  // The endpoint could not create the connection at all (TLS or QUIC setup,
  // or its first CID was refused).
  kSetupFailed,
};
inline constexpr int kCloseCauseCount = 8;

// "local_close", "peer_close", ... (the names scenario files use).
const char* ToString(CloseCause cause);
// The cause whose ToString is `name`; nullopt for any other text.
std::optional<CloseCause> CloseCauseFromString(std::string_view name);

}  // namespace p2pquic
