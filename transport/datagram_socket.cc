#include "transport/datagram_socket.h"

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
