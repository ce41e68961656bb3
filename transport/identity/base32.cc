#include "transport/identity/base32.h"

namespace p2pquic {
namespace {

constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz234567";
constexpr int kBitsPerChar = 5;
constexpr uint32_t kCharMask = 0x1f;

int DigitOf(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

}  // namespace

const char* ToString(Base32Status status) {
  switch (status) {
    case Base32Status::kOk:
      return "ok";
    case Base32Status::kBadCharacter:
      return "character outside the lowercase base32 alphabet";
    case Base32Status::kBadLength:
      return "base32 text has a length no byte string encodes to";
    case Base32Status::kNonZeroPadding:
      return "base32 text has non-zero padding bits";
  }
  return "unknown base32 status";
}

std::string Base32::Encode(std::span<const uint8_t> bytes) {
  std::string text;
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= kBitsPerChar) {
      bits -= kBitsPerChar;
      text.push_back(kAlphabet[(buffer >> bits) & kCharMask]);
    }
  }
  if (bits > 0) text.push_back(kAlphabet[(buffer << (kBitsPerChar - bits)) & kCharMask]);
  return text;
}

Base32Status Base32::Decode(std::string_view text, std::vector<uint8_t>* out) {
  std::vector<uint8_t> bytes;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int digit = DigitOf(c);
    if (digit < 0) return Base32Status::kBadCharacter;
    buffer = ((buffer << kBitsPerChar) | static_cast<uint32_t>(digit)) & 0xffff;
    bits += kBitsPerChar;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<uint8_t>(buffer >> bits));
    }
  }
  // Whole bytes leave fewer than 5 bits over; 5 or more means a stray character.
  if (bits >= kBitsPerChar) return Base32Status::kBadLength;
  if ((buffer & ((1u << bits) - 1)) != 0) return Base32Status::kNonZeroPadding;
  *out = std::move(bytes);
  return Base32Status::kOk;
}

}  // namespace p2pquic
