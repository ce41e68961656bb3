// SeededRandom: a deterministic Random (xoshiro256**, seeded through
// splitmix64). The same seed yields the same byte stream on every machine.
// For the simulator and tests; not for keys an attacker must not predict.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "transport/random.h"

namespace p2pquic {

class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed);

  void Fill(std::span<uint8_t> out) override;

 private:
  uint64_t Next();

  std::array<uint64_t, 4> state_;
};

}  // namespace p2pquic
