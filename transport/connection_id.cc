#include "transport/connection_id.h"

namespace p2pquic {

std::string ConnectionId::ToHex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length_);
  for (uint8_t b : bytes()) {
    hex.push_back(kDigits[b >> 4]);
    hex.push_back(kDigits[b & 0xf]);
  }
  return hex;
}

}  // namespace p2pquic
