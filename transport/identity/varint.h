// Varint: the multiformats unsigned varint (LEB128, 7 bits per byte, least
// significant group first) used in multihashes, multiaddrs and CIDs. Decoding
// follows the multiformats rules: at most 9 bytes (63 bits) and minimal form
// only, so every value has exactly one encoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace p2pquic {

inline constexpr size_t kMaxVarintBytes = 9;

enum class VarintStatus : uint8_t {
  kOk,
  kTruncated,   // The input ends inside the varint (or is empty).
  kTooLong,     // More than kMaxVarintBytes bytes.
  kNotMinimal,  // A longer encoding than needed (a trailing 0x00 group).
};

const char* ToString(VarintStatus status);

class Varint {
 public:
  // Appends the encoding of `value` (< 2^63) to `out`.
  static void Append(uint64_t value, std::vector<uint8_t>* out);

  // Reads one varint from the front of `bytes`. On kOk sets `value` and
  // `consumed`; otherwise leaves both unchanged.
  static VarintStatus Read(std::span<const uint8_t> bytes, uint64_t* value, size_t* consumed);
};

}  // namespace p2pquic
