#include "tests/transport/protocols/test_bytes.h"

#include <algorithm>

#include "transport/protocols/multistream_message.h"

namespace p2pquic::protocols::testing {

std::vector<uint8_t> Messages(std::initializer_list<std::string_view> texts) {
  std::vector<uint8_t> out;
  for (std::string_view text : texts) AppendMultistreamMessage(text, out);
  return out;
}

std::vector<uint8_t> Bytes(std::string_view text) { return {text.begin(), text.end()}; }

std::vector<uint8_t> Concat(std::initializer_list<std::span<const uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (std::span<const uint8_t> part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

size_t Below(SeededRandom& random, size_t bound) {
  return static_cast<size_t>(random.NextU64() % bound);
}

std::vector<std::span<const uint8_t>> SplitRandomly(std::span<const uint8_t> bytes,
                                                    SeededRandom& random, size_t max_piece) {
  std::vector<std::span<const uint8_t>> pieces;
  while (!bytes.empty()) {
    const size_t size = std::min(bytes.size(), Below(random, max_piece + 1));
    pieces.push_back(bytes.first(size));
    bytes = bytes.subspan(size);
  }
  return pieces;
}

}  // namespace p2pquic::protocols::testing
