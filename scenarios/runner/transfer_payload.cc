#include "scenarios/runner/transfer_payload.h"

namespace p2pquic::scenarios {
namespace {

uint64_t SplitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t PayloadWord(uint64_t tag, uint64_t word_index) {
  return SplitMix(tag * 0x100000001b3ULL + word_index);
}

}  // namespace

void StreamHash::Update(std::span<const uint8_t> bytes) {
  for (uint8_t b : bytes) {
    value_ ^= b;
    value_ *= 1099511628211ULL;
  }
}

uint8_t PayloadByte(uint64_t tag, uint64_t offset) {
  return static_cast<uint8_t>(PayloadWord(tag, offset / 8) >> (8 * (offset % 8)));
}

// One SplitMix per 8 bytes (the per-byte form was most of a busy
// simulation's time, sim_bench).
void FillPayload(uint64_t tag, uint64_t offset, std::span<uint8_t> out) {
  size_t i = 0;
  while (i < out.size()) {
    const uint64_t word = PayloadWord(tag, (offset + i) / 8);
    for (size_t b = (offset + i) % 8; b < 8 && i < out.size(); ++b, ++i) {
      out[i] = static_cast<uint8_t>(word >> (8 * b));
    }
  }
}

}  // namespace p2pquic::scenarios
