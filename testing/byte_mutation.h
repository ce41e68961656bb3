// Small random edits of a valid encoding, for fuzz tests: inputs that are
// almost right get past a parser's first checks and exercise the deep ones.
#pragma once

#include <cstdint>
#include <vector>

#include "transport/runtime/random.h"

namespace p2pquic::testing {

// Applies 1 to `max_edits` edits: flip a bit, overwrite a byte, truncate, or
// insert a byte. An empty input stays empty.
std::vector<uint8_t> MutateBytes(Random& random, std::vector<uint8_t> bytes, int max_edits);

}  // namespace p2pquic::testing
