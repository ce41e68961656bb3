#include "transport/identity/base58.h"

#include <algorithm>
#include <array>

namespace p2pquic {
namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr int kBase = 58;
constexpr int8_t kNotInAlphabet = -1;

constexpr std::array<int8_t, 256> MakeDigitTable() {
  std::array<int8_t, 256> table{};
  table.fill(kNotInAlphabet);
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}

constexpr std::array<int8_t, 256> kDigitOf = MakeDigitTable();

// Multiplies the little-endian base-`from` number in `digits` by `from` and
// adds `carry`, keeping it in base `to`. The schoolbook step of both
// directions of the conversion.
void MultiplyAdd(std::vector<uint8_t>& digits, int to, int from, int carry) {
  for (uint8_t& digit : digits) {
    carry += digit * from;
    digit = static_cast<uint8_t>(carry % to);
    carry /= to;
  }
  while (carry > 0) {
    digits.push_back(static_cast<uint8_t>(carry % to));
    carry /= to;
  }
}

}  // namespace

const char* ToString(Base58Status status) {
  switch (status) {
    case Base58Status::kOk:
      return "ok";
    case Base58Status::kBadCharacter:
      return "character outside the base58btc alphabet (0, O, I and l are not used)";
    case Base58Status::kTooLong:
      return "base58 text is too long";
  }
  return "unknown base58 status";
}

std::string Base58::Encode(std::span<const uint8_t> bytes) {
  const size_t zeros =
      std::find_if(bytes.begin(), bytes.end(), [](uint8_t b) { return b != 0; }) - bytes.begin();
  std::vector<uint8_t> digits;  // Base 58, least significant first.
  for (size_t i = zeros; i < bytes.size(); ++i) MultiplyAdd(digits, kBase, 256, bytes[i]);
  std::string text(zeros, kAlphabet[0]);
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) text.push_back(kAlphabet[*it]);
  return text;
}

Base58Status Base58::Decode(std::string_view text, std::vector<uint8_t>* out, size_t* bad_index) {
  if (text.size() > kMaxBase58TextLength) return Base58Status::kTooLong;
  const size_t ones = text.find_first_not_of(kAlphabet[0]) == std::string_view::npos
                          ? text.size()
                          : text.find_first_not_of(kAlphabet[0]);
  std::vector<uint8_t> bytes;  // Base 256, least significant first.
  for (size_t i = ones; i < text.size(); ++i) {
    const int8_t digit = kDigitOf[static_cast<uint8_t>(text[i])];
    if (digit == kNotInAlphabet) {
      if (bad_index != nullptr) *bad_index = i;
      return Base58Status::kBadCharacter;
    }
    MultiplyAdd(bytes, 256, kBase, digit);
  }
  std::vector<uint8_t> decoded(ones, 0);
  decoded.insert(decoded.end(), bytes.rbegin(), bytes.rend());
  *out = std::move(decoded);
  return Base58Status::kOk;
}

}  // namespace p2pquic
