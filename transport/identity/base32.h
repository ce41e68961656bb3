// Base32: RFC 4648 base32, lowercase, no padding — the multibase 'b'
// encoding libp2p uses for peer IDs written as CIDs ("bafz...").
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace p2pquic {

enum class Base32Status : uint8_t {
  kOk,
  kBadCharacter,    // Not in "abcdefghijklmnopqrstuvwxyz234567" (uppercase and '=' included).
  kBadLength,       // A length no byte string encodes to (1, 3 or 6 characters mod 8).
  kNonZeroPadding,  // The unused low bits of the last character are not zero.
};

const char* ToString(Base32Status status);

class Base32 {
 public:
  static std::string Encode(std::span<const uint8_t> bytes);

  // Strict decoding: exactly one text per byte string. On error `out` is
  // unchanged.
  static Base32Status Decode(std::string_view text, std::vector<uint8_t>* out);
};

}  // namespace p2pquic
