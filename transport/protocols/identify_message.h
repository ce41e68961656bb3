// IdentifyMessage: the /ipfs/id/1.0.0 message (github.com/libp2p/specs,
// identify/README.md), proto2 `message Identify`. Optional fields keep
// presence: absent and empty differ on the wire and in identify/push, where
// an absent field means "unchanged". Addresses stay binary multiaddrs here;
// parsing them is the multiaddr component's job.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace p2pquic::protocols {

inline constexpr std::string_view kIdentifyProtocolId = "/ipfs/id/1.0.0";
inline constexpr std::string_view kIdentifyPushProtocolId = "/ipfs/id/push/1.0.0";

// Largest encoded message accepted or produced. Real ones are a few hundred
// bytes to a few KiB (a signed peer record included).
inline constexpr size_t kMaxIdentifyMessageBytes = 64 * 1024;
inline constexpr size_t kMaxIdentifyListenAddrs = 64;
inline constexpr size_t kMaxIdentifyProtocols = 64;
// Messages merged from one stream: go-libp2p sends a large one as two (the
// signed peer record apart); its reader allows 10, and so do we.
inline constexpr size_t kMaxIdentifyMessagesPerStream = 10;

struct IdentifyMessage {
  std::optional<std::vector<uint8_t>> public_key;          // 1: the libp2p protobuf-encoded key.
  std::vector<std::vector<uint8_t>> listen_addrs;          // 2: binary multiaddrs.
  std::vector<std::string> protocols;                      // 3: protocol IDs served.
  std::optional<std::vector<uint8_t>> observed_addr;       // 4: binary multiaddr.
  std::optional<std::string> protocol_version;             // 5
  std::optional<std::string> agent_version;                // 6
  std::optional<std::vector<uint8_t>> signed_peer_record;  // 8: a signed envelope.

  bool operator==(const IdentifyMessage&) const = default;
};

}  // namespace p2pquic::protocols
