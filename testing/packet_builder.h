// Hand-built QUIC datagrams for tests, benchmarks and demos: just enough
// header (RFC 9000 §17) for routing, followed by filler bytes. Nothing here
// is encrypted; these datagrams exercise routing, not connections.
#pragma once

#include <cstdint>
#include <vector>

#include "transport/base/connection_id.h"

namespace p2pquic::testing {

inline constexpr uint32_t kQuicV1 = 0x00000001;

// A 1-RTT packet: 0x40 | spin/key bits, DCID, then `payload_size` bytes.
std::vector<uint8_t> ShortHeaderPacket(const ConnectionId& dcid, size_t payload_size = 32);

// A short-header datagram whose last 16 bytes are `token` (a stateless reset).
std::vector<uint8_t> StatelessResetPacket(const StatelessResetToken& token, size_t size = 40);

enum class LongType : uint8_t { kInitial = 0, kZeroRtt = 1, kHandshake = 2, kRetry = 3 };

// A long-header packet of QUIC v1 (type bits as RFC 9000 numbers them),
// padded to `datagram_size` bytes (Initials from clients are >= 1200).
std::vector<uint8_t> LongHeaderPacket(LongType type, const ConnectionId& dcid,
                                      const ConnectionId& scid, size_t datagram_size = 1200,
                                      uint32_t version = kQuicV1);

// A CID of `length` bytes whose bytes spell `value` big-endian (zero-padded).
ConnectionId MakeCid(uint64_t value, size_t length = 8);

}  // namespace p2pquic::testing
