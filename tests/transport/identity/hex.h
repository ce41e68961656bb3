// Hex helpers for test vectors: bytes from and to lowercase hex.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace p2pquic::test {

// Bytes of `hex` (upper or lower case, even length); aborts on bad input,
// since a bad vector is a bug in the test.
std::vector<uint8_t> FromHex(std::string_view hex);
std::string ToHex(std::span<const uint8_t> bytes);

}  // namespace p2pquic::test
