#include "transport/quic/connection/close_cause.h"

namespace p2pquic {

const char* ToString(CloseCause cause) {
  switch (cause) {
    case CloseCause::kLocalClose:
      return "local_close";
    case CloseCause::kPeerClose:
      return "peer_close";
    case CloseCause::kStatelessReset:
      return "stateless_reset";
    case CloseCause::kIdleTimeout:
      return "idle_timeout";
    case CloseCause::kHandshakeTimeout:
      return "handshake_timeout";
    case CloseCause::kLocalError:
      return "local_error";
    case CloseCause::kUnrecoverablePacket:
      return "unrecoverable_packet";
    case CloseCause::kSetupFailed:
      return "setup_failed";
  }
  return "unknown";
}

std::optional<CloseCause> CloseCauseFromString(std::string_view name) {
  for (int i = 0; i < kCloseCauseCount; ++i) {
    const auto cause = static_cast<CloseCause>(i);
    if (name == ToString(cause)) return cause;
  }
  return std::nullopt;
}

}  // namespace p2pquic
