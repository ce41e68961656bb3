// SystemRandom: Random from the kernel's CSPRNG (getrandom(2)).
#pragma once

#include "transport/runtime/random.h"

namespace p2pquic {

class SystemRandom final : public Random {
 public:
  // Aborts if the kernel cannot supply entropy: predictable CIDs, tokens
  // or hash keys would be worse than stopping.
  void Fill(std::span<uint8_t> out) override;
};

}  // namespace p2pquic
