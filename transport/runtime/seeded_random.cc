#include "transport/runtime/seeded_random.h"

#include <bit>

namespace p2pquic {
namespace {

uint64_t SplitMix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

SeededRandom::SeededRandom(uint64_t seed) {
  for (uint64_t& word : state_) word = SplitMix64(seed);
}

uint64_t SeededRandom::Next() {
  const uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = std::rotl(state_[3], 45);
  return result;
}

void SeededRandom::Fill(std::span<uint8_t> out) {
  for (uint8_t& byte : out) {
    if (buffered_bytes_ == 0) {
      buffered_ = Next();
      buffered_bytes_ = 8;
    }
    byte = static_cast<uint8_t>(buffered_ >> 56);
    buffered_ <<= 8;
    --buffered_bytes_;
  }
}

}  // namespace p2pquic
