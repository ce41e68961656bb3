#include "testing/byte_mutation.h"

namespace p2pquic::testing {

std::vector<uint8_t> MutateBytes(Random& random, std::vector<uint8_t> bytes, int max_edits) {
  const int edits = 1 + static_cast<int>(random.NextU64() % static_cast<uint64_t>(max_edits));
  for (int i = 0; i < edits && !bytes.empty(); ++i) {
    const size_t at = random.NextU64() % bytes.size();
    switch (random.NextU64() % 4) {
      case 0:
        bytes[at] ^= static_cast<uint8_t>(1u << (random.NextU64() % 8));
        break;
      case 1:
        bytes[at] = static_cast<uint8_t>(random.NextU64());
        break;
      case 2:
        bytes.resize(at);
        break;
      default:
        bytes.insert(bytes.begin() + static_cast<long>(at), static_cast<uint8_t>(random.NextU64()));
        break;
    }
  }
  return bytes;
}

}  // namespace p2pquic::testing
