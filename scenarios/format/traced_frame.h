// TracedFrame: one CID-relevant QUIC frame a simulated host sent or
// received, as the run records it (read from ngtcp2's qlog by
// QlogFrameReader, kept by FrameLog, written as a "frame" trace line and
// counted or ordered by the `frames` / `frame_order` expectations).
//
// Only the frames that matter to CID routing and connection lifetime are
// traced: NEW_CONNECTION_ID, RETIRE_CONNECTION_ID, PATH_CHALLENGE,
// PATH_RESPONSE, NEW_TOKEN, CONNECTION_CLOSE, plus two packets that are no
// frames: the stateless reset (what ends a connection the peer forgot) and
// the Retry (address validation: what a client must answer before the
// server keeps any state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace p2pquic::scenarios {

// Names as written in scenario files and trace lines (qlog's frame_type).
enum class FrameType : uint8_t {
  kNewConnectionId,
  kRetireConnectionId,
  kPathChallenge,
  kPathResponse,
  kNewToken,
  kConnectionClose,
  kStatelessReset,  // The packet: sent by the endpoint, received = recognised by a connection.
  // The packet: sent by the server's endpoint (no connection exists yet),
  // received = routed to the client's connection.
  kRetry,
};
inline constexpr int kFrameTypeCount = 8;

enum class FrameDirection : uint8_t { kSent, kReceived };
inline constexpr int kFrameDirectionCount = 2;

// Whether frames of this type carry a sequence number (NEW_ / RETIRE_CONNECTION_ID).
bool HasSequence(FrameType type);

struct TracedFrame {
  FrameType type = FrameType::kNewConnectionId;
  // NEW_CONNECTION_ID and RETIRE_CONNECTION_ID: the CID's sequence number.
  uint64_t sequence = 0;
  // NEW_CONNECTION_ID only. ngtcp2 0.12.1 always sends 0 (it has no API to
  // retire our own CIDs early), so a non-zero value comes from a foreign peer.
  uint64_t retire_prior_to = 0;
  // NEW_CONNECTION_ID: the CID, lowercase hex.
  std::string cid;
  // PATH_CHALLENGE / PATH_RESPONSE: the 8 data bytes; NEW_TOKEN: the token;
  // a received stateless reset: its token. Lowercase hex.
  std::string data;
  // CONNECTION_CLOSE: the code and its space ("transport" or "application").
  uint64_t error_code = 0;
  std::string error_space;

  friend bool operator==(const TracedFrame&, const TracedFrame&) = default;
};

const char* ToString(FrameType type);
const char* ToString(FrameDirection direction);
std::optional<FrameType> FrameTypeFromString(std::string_view name);
std::optional<FrameDirection> FrameDirectionFromString(std::string_view name);

}  // namespace p2pquic::scenarios
