#include "scenarios/explore/case_random.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <numeric>

namespace p2pquic::scenarios {

CaseRandom::CaseRandom(uint64_t seed) : random_(seed) {}

uint64_t CaseRandom::Next() { return random_.NextU64(); }

uint64_t CaseRandom::Uniform(uint64_t min, uint64_t max) {
  const uint64_t span = max - min + 1;
  const uint64_t draw = Next();
  return span == 0 ? draw : min + draw % span;  // span 0: the whole uint64 range.
}

bool CaseRandom::Percent(uint32_t percent) { return Uniform(0, 99) < percent; }

Duration CaseRandom::Millis(uint64_t min_ms, uint64_t max_ms) {
  return std::chrono::milliseconds(Uniform(min_ms, max_ms));
}

size_t CaseRandom::Index(size_t count) { return static_cast<size_t>(Uniform(0, count - 1)); }

size_t CaseRandom::Weighted(std::span<const uint32_t> weights) {
  const uint64_t total = std::accumulate(weights.begin(), weights.end(), uint64_t{0});
  uint64_t pick = Uniform(0, total - 1);
  for (size_t i = 0; i < weights.size(); ++i) {
    if (pick < weights[i]) return i;
    pick -= weights[i];
  }
  return weights.size() - 1;  // Unreachable: pick < total.
}

uint64_t CaseRandom::LogUniform(uint64_t min, uint64_t max) {
  const int low = std::bit_width(min) - 1;  // The octave [2^low, 2^(low+1)) holds min.
  const int high = std::bit_width(max) - 1;
  const int octave = static_cast<int>(Uniform(low, high));
  const uint64_t from = std::max(min, uint64_t{1} << octave);
  const uint64_t to = octave >= 63 ? max : std::min(max, (uint64_t{1} << (octave + 1)) - 1);
  return Uniform(from, to);
}

}  // namespace p2pquic::scenarios
