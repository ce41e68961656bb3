#include "transport/base/hex.h"

#include <utility>

namespace p2pquic {

std::string HexEncode(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * bytes.size());
  for (uint8_t b : bytes) {
    hex.push_back(kDigits[b >> 4]);
    hex.push_back(kDigits[b & 0xf]);
  }
  return hex;
}

namespace {
int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

HexDecodeResult HexDecode(std::string_view hex, std::vector<uint8_t>* out) {
  if (hex.size() % 2 != 0) return HexDecodeResult::kOddLength;
  std::vector<uint8_t> bytes(hex.size() / 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    const int high = DigitValue(hex[2 * i]), low = DigitValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) return HexDecodeResult::kBadDigit;
    bytes[i] = static_cast<uint8_t>(high << 4 | low);
  }
  *out = std::move(bytes);
  return HexDecodeResult::kOk;
}

}  // namespace p2pquic
