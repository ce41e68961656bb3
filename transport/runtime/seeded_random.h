// SeededRandom: a deterministic Random (xoshiro256**, seeded through
// splitmix64). The same seed yields the same byte stream on every machine.
// For the simulator and tests; not for keys an attacker must not predict.
// Each 64-bit output yields 8 bytes, most significant first; Fill hands them
// out in order however the calls are sized (Fill(3) then Fill(5) gives the
// same bytes as Fill(8)).
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "transport/runtime/random.h"

namespace p2pquic {

class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed);

  void Fill(std::span<uint8_t> out) override;

 private:
  uint64_t Next();

  std::array<uint64_t, 4> state_;
  // Bytes of the last output not yet handed out, next one in the top byte.
  uint64_t buffered_ = 0;
  int buffered_bytes_ = 0;
};

}  // namespace p2pquic
