#include "scenarios/format/traced_frame.h"

namespace p2pquic::scenarios {

bool HasSequence(FrameType type) {
  return type == FrameType::kNewConnectionId || type == FrameType::kRetireConnectionId;
}

const char* ToString(FrameType type) {
  switch (type) {
    case FrameType::kNewConnectionId:
      return "new_connection_id";
    case FrameType::kRetireConnectionId:
      return "retire_connection_id";
    case FrameType::kPathChallenge:
      return "path_challenge";
    case FrameType::kPathResponse:
      return "path_response";
    case FrameType::kNewToken:
      return "new_token";
    case FrameType::kConnectionClose:
      return "connection_close";
    case FrameType::kStatelessReset:
      return "stateless_reset";
    case FrameType::kRetry:
      return "retry";
  }
  return "unknown";
}

const char* ToString(FrameDirection direction) {
  switch (direction) {
    case FrameDirection::kSent:
      return "sent";
    case FrameDirection::kReceived:
      return "received";
  }
  return "unknown";
}

std::optional<FrameType> FrameTypeFromString(std::string_view name) {
  for (int i = 0; i < kFrameTypeCount; ++i) {
    if (name == ToString(static_cast<FrameType>(i))) return static_cast<FrameType>(i);
  }
  return std::nullopt;
}

std::optional<FrameDirection> FrameDirectionFromString(std::string_view name) {
  for (int i = 0; i < kFrameDirectionCount; ++i) {
    if (name == ToString(static_cast<FrameDirection>(i))) return static_cast<FrameDirection>(i);
  }
  return std::nullopt;
}

}  // namespace p2pquic::scenarios
