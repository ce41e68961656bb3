// /perf/1.0.0 (github.com/libp2p/specs, perf/perf.md): the client writes the
// number of bytes it wants back as a big-endian u64, uploads any number of
// bytes, and half-closes; the server reads to the end, then sends the
// requested bytes and closes. The payload bytes carry no meaning (zeros here).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

namespace p2pquic::protocols {

inline constexpr std::string_view kPerfProtocolId = "/perf/1.0.0";
inline constexpr size_t kPerfHeaderBytes = 8;
// Largest chunk NextChunk offers: bounds what a caller copies per write.
inline constexpr size_t kMaxPerfChunkBytes = 64 * 1024;
// The spec allows any u64, max included (timer-based download runs ask for
// it and close early), so a server serves any request unless configured not to.
inline constexpr uint64_t kPerfUnlimited = std::numeric_limits<uint64_t>::max();

enum class PerfResult : uint8_t {
  kOk,
  kShortHeader,        // Server: the client ended its side before the 8-byte header.
  kUnexpectedData,     // Bytes after the peer ended its side; client: beyond the bytes requested.
  kByteCountMismatch,  // Client: the server ended after fewer bytes than requested.
  kRequestTooLarge,    // Server: the client asked for more than the server's limit.
  kAdvanceTooFar,      // Caller: Advance past the end of the chunk offered.
};

const char* ToString(PerfResult result);

}  // namespace p2pquic::protocols
