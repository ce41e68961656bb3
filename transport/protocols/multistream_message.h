// multistream-select 1.0 messages (github.com/multiformats/multistream-select):
// each is <uvarint length><UTF-8 text>'\n', the newline counted in the
// length. Protocol IDs, "na" and "ls" are such messages; the reply to "ls"
// is one message whose text is the supported protocols, each itself a
// message, followed by the closing '\n' (as go-multistream and rust-libp2p
// write it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace p2pquic::protocols {

inline constexpr std::string_view kMultistreamHeader = "/multistream/1.0.0";
inline constexpr std::string_view kMultistreamNotAvailable = "na";
inline constexpr std::string_view kMultistreamList = "ls";

// Longest message accepted from a peer, newline included. Protocol IDs are
// short paths; 1 KiB leaves room for any real one and bounds buffering.
inline constexpr size_t kMaxMultistreamMessageBytes = 1024;
// Most proposals ("ls" included) a listener answers on one stream before
// giving up on the peer; also the most protocols a dialer may propose.
inline constexpr size_t kMaxMultistreamProposals = 32;
// Most protocols a listener serves (bounds the "ls" reply).
inline constexpr size_t kMaxMultistreamListenerProtocols = 64;

// Appends <uvarint len(text)+1><text>'\n'.
void AppendMultistreamMessage(std::string_view text, std::vector<uint8_t>& out);

// Appends the reply to "ls" listing `protocols`.
void AppendMultistreamListReply(std::span<const std::string> protocols, std::vector<uint8_t>& out);

// A protocol ID this side may propose or serve: non-empty, no '\n', not one
// of the reserved words "na" / "ls", and short enough that its message fits
// kMaxMultistreamMessageBytes.
bool IsValidProtocolId(std::string_view id);

// IsValidProtocolId holds for every element of `ids`.
bool AllValidProtocolIds(std::span<const std::string> ids);

}  // namespace p2pquic::protocols
