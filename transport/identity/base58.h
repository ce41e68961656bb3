// Base58: the base58btc text encoding (bitcoin alphabet) that libp2p uses for
// peer IDs. Leading zero bytes become leading '1's and back, so the encoding
// is a bijection between byte strings and valid texts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace p2pquic {

// Decoding is quadratic in the length; nothing libp2p puts in base58 comes
// near this (a peer ID is at most ~60 characters).
inline constexpr size_t kMaxBase58TextLength = 1024;

enum class Base58Status : uint8_t {
  kOk,
  kBadCharacter,  // A character outside the alphabet (0, O, I, l and non-ASCII are not in it).
  kTooLong,       // More than kMaxBase58TextLength characters.
};

const char* ToString(Base58Status status);

class Base58 {
 public:
  static std::string Encode(std::span<const uint8_t> bytes);

  // Decodes `text` into `out`. On error `out` is unchanged and, when
  // `bad_index` is given, it receives the offset of the first bad character.
  static Base58Status Decode(std::string_view text, std::vector<uint8_t>* out,
                             size_t* bad_index = nullptr);
};

}  // namespace p2pquic
