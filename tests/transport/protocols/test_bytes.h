// Byte helpers shared by the protocol tests: text as bytes, and a stream cut
// at random points, as a network would deliver it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

#include "transport/runtime/seeded_random.h"

namespace p2pquic::protocols::testing {

std::vector<uint8_t> Bytes(std::string_view text);
std::vector<uint8_t> Concat(std::initializer_list<std::span<const uint8_t>> parts);
// Multistream messages (uvarint length, text, newline) back to back.
std::vector<uint8_t> Messages(std::initializer_list<std::string_view> texts);

// A number in [0, bound) from `random` (bound > 0).
size_t Below(SeededRandom& random, size_t bound);

// `bytes` cut into consecutive pieces of 0 to `max_piece` bytes (empty
// pieces included: a state machine must accept an empty read).
std::vector<std::span<const uint8_t>> SplitRandomly(std::span<const uint8_t> bytes,
                                                    SeededRandom& random, size_t max_piece);

}  // namespace p2pquic::protocols::testing
