#include "transport/runtime/datagram_socket.h"

#include <algorithm>

namespace p2pquic {

const char* ToString(SendResult result) {
  switch (result) {
    case SendResult::kSent:
      return "sent";
    case SendResult::kWouldBlock:
      return "would block";
    case SendResult::kMessageTooLong:
      return "message too long";
    case SendResult::kFamilyMismatch:
      return "address family mismatch";
    case SendResult::kUnreachable:
      return "unreachable";
    case SendResult::kClosed:
      return "closed";
    case SendResult::kError:
      return "error";
  }
  return "unknown";
}

SendResult DatagramSocket::SendSegments(const SocketAddress& remote,
                                        std::span<const uint8_t> payload, size_t segment_size,
                                        size_t* sent) {
  *sent = 0;
  for (size_t offset = 0; offset < payload.size(); offset += segment_size) {
    const SendResult result =
        SendTo(remote, payload.subspan(offset, std::min(segment_size, payload.size() - offset)));
    // Stop at the first refusal: after kWouldBlock the rest would be refused
    // too, or (worse) overtake the refused one once space frees.
    if (result != SendResult::kSent) return result;
    ++*sent;
  }
  return SendResult::kSent;
}

const char* ToString(RebindResult result) {
  switch (result) {
    case RebindResult::kRebound:
      return "rebound";
    case RebindResult::kAddressInUse:
      return "address in use";
    case RebindResult::kAddressUnavailable:
      return "address unavailable";
    case RebindResult::kError:
      return "error";
  }
  return "unknown";
}

}  // namespace p2pquic
