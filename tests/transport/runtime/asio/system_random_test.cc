#include "transport/runtime/asio/system_random.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <set>
#include <vector>

namespace p2pquic {
namespace {

TEST(SystemRandomTest, TwoFillsDiffer) {
  SystemRandom random;
  std::array<uint8_t, 32> a{};
  std::array<uint8_t, 32> b{};
  random.Fill(a);
  random.Fill(b);
  // Equal by chance with probability 2^-256.
  EXPECT_NE(a, b);
  EXPECT_NE(a, (std::array<uint8_t, 32>{}));
}

TEST(SystemRandomTest, FillsEveryByteOfALargeBuffer) {
  // A buffer well over getrandom(2)'s 256-byte atomic size: every 64-byte
  // block of it must have been written (an all-zero block has probability
  // 2^-512).
  SystemRandom random;
  std::vector<uint8_t> buffer(1 << 20, 0);
  random.Fill(buffer);
  for (size_t block = 0; block < buffer.size(); block += 64) {
    bool any_set = false;
    for (size_t i = block; i < block + 64; ++i) any_set |= buffer[i] != 0;
    ASSERT_TRUE(any_set) << "block at " << block << " left zero";
  }
}

TEST(SystemRandomTest, FillsEmptySpanAndSingleBytes) {
  SystemRandom random;
  random.Fill(std::span<uint8_t>());
  std::set<uint8_t> seen;
  for (int i = 0; i < 1000; ++i) {
    uint8_t byte = 0;
    random.Fill(std::span<uint8_t>(&byte, 1));
    seen.insert(byte);
  }
  // 1000 uniform draws from 256 values hit ~250 of them; 100 is far below.
  EXPECT_GT(seen.size(), 100u);
}

TEST(SystemRandomTest, NextU64Varies) {
  SystemRandom random;
  std::set<uint64_t> values;
  for (int i = 0; i < 16; ++i) values.insert(random.NextU64());
  EXPECT_EQ(values.size(), 16u);
}

}  // namespace
}  // namespace p2pquic
