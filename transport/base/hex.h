// HexEncode: bytes as lowercase hex, two digits a byte, for logs, traces
// and error messages (CIDs, tokens, TLS key log lines). HexDecode: the
// reverse, for secrets an operator writes in a file.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace p2pquic {

std::string HexEncode(std::span<const uint8_t> bytes);

enum class HexDecodeResult : uint8_t {
  kOk,
  kOddLength,  // An odd number of digits.
  kBadDigit,   // Something other than 0-9, a-f, A-F.
};
// On kOk `*out` holds the bytes; otherwise it is unchanged.
HexDecodeResult HexDecode(std::string_view hex, std::vector<uint8_t>* out);

}  // namespace p2pquic
