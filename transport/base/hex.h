// HexEncode: bytes as lowercase hex, two digits a byte, for logs, traces
// and error messages (CIDs, tokens, TLS key log lines).
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace p2pquic {

std::string HexEncode(std::span<const uint8_t> bytes);

}  // namespace p2pquic
