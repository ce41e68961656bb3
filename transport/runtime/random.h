// Random: the only source of randomness for transport code (CID bytes,
// hash keys, ngtcp2's rand callback). Production binds it to the OS;
// the simulator to one seed, so a run replays byte for byte.
#pragma once

#include <cstdint>
#include <span>

namespace p2pquic {

class Random {
 public:
  virtual ~Random() = default;

  // Fills every byte of `out`. Never fails: an implementation that cannot
  // obtain entropy aborts rather than return predictable bytes.
  virtual void Fill(std::span<uint8_t> out) = 0;

  uint64_t NextU64() {
    uint8_t bytes[8];
    Fill(bytes);
    uint64_t value = 0;
    for (uint8_t b : bytes) value = (value << 8) | b;
    return value;
  }
};

}  // namespace p2pquic
