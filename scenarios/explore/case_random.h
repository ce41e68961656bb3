// CaseRandom: the explorer generator's draws, on the project's deterministic
// PRNG (SeededRandom: xoshiro256** seeded through splitmix64). Every method
// consumes a fixed number of 64-bit outputs, stated on it, so the sequence
// of draws a generator makes (and hence the scenario) depends only on the
// seed and on the generator's code: the same seed gives the same draws on
// every machine and in every process. No floating point is involved.
#pragma once

#include <cstdint>
#include <span>

#include "transport/base/time.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::scenarios {

class CaseRandom {
 public:
  explicit CaseRandom(uint64_t seed);

  // One output, whole.
  uint64_t Next();
  // One output: uniform in [min, max] (inclusive; max >= min). The modulo
  // bias is below 2^-40 for every range the generator uses.
  uint64_t Uniform(uint64_t min, uint64_t max);
  // One output: true with probability percent / 100 (percent in 0..100).
  bool Percent(uint32_t percent);
  // One output: milliseconds uniform in [min_ms, max_ms].
  Duration Millis(uint64_t min_ms, uint64_t max_ms);
  // One output: an index in [0, count) (count > 0).
  size_t Index(size_t count);
  // One output: an index into `weights`, each chosen with probability
  // proportional to its weight (the weights' sum > 0).
  size_t Weighted(std::span<const uint32_t> weights);
  // Two outputs: a value spread evenly over the powers of two in
  // [min, max] (min > 0): first the octave, then a value within it, so a
  // range of KiB to MiB gives as many small values as large ones.
  uint64_t LogUniform(uint64_t min, uint64_t max);

 private:
  SeededRandom random_;
};

}  // namespace p2pquic::scenarios
