#include "tests/transport/identity/hex.h"

#include <cstdio>
#include <cstdlib>

#include "transport/base/hex.h"

namespace p2pquic::test {
namespace {

int Nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  std::fprintf(stderr, "bad hex digit '%c' in a test vector\n", c);
  std::abort();
}

}  // namespace

std::vector<uint8_t> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    std::fprintf(stderr, "odd-length hex in a test vector\n");
    std::abort();
  }
  std::vector<uint8_t> bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    bytes.push_back(static_cast<uint8_t>(Nibble(hex[i]) << 4 | Nibble(hex[i + 1])));
  }
  return bytes;
}

std::string ToHex(std::span<const uint8_t> bytes) { return HexEncode(bytes); }

}  // namespace p2pquic::test
