#include "transport/protocols/perf_output.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace p2pquic::protocols {
namespace {

TEST(PerfOutputTest, TheHeaderIsBigEndianAndComesFirst) {
  PerfOutput output = PerfOutput::WithHeader(0x0102030405060708, 3);
  const std::span<const uint8_t> header = output.NextChunk();
  EXPECT_EQ(std::vector<uint8_t>(header.begin(), header.end()),
            (std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8}));
  ASSERT_EQ(output.Advance(8), PerfResult::kOk);
  EXPECT_EQ(output.NextChunk().size(), 3u);
  EXPECT_EQ(output.body_bytes_sent(), 0u);
}

TEST(PerfOutputTest, PartialWritesResumeWhereTheyStopped) {
  PerfOutput output = PerfOutput::WithHeader(0xaabbccddeeff0011, 0);
  ASSERT_EQ(output.Advance(3), PerfResult::kOk);
  const std::span<const uint8_t> rest = output.NextChunk();
  EXPECT_EQ(std::vector<uint8_t>(rest.begin(), rest.end()),
            (std::vector<uint8_t>{0xdd, 0xee, 0xff, 0x00, 0x11}));
  ASSERT_EQ(output.Advance(5), PerfResult::kOk);
  EXPECT_TRUE(output.Done());
  EXPECT_TRUE(output.NextChunk().empty());
}

TEST(PerfOutputTest, TheBodyComesInBoundedChunksOfZeros) {
  const uint64_t body = 3 * kMaxPerfChunkBytes + 10;
  PerfOutput output = PerfOutput::BodyOnly(body);
  uint64_t written = 0;
  while (!output.Done()) {
    const std::span<const uint8_t> chunk = output.NextChunk();
    ASSERT_FALSE(chunk.empty());
    ASSERT_LE(chunk.size(), kMaxPerfChunkBytes);
    ASSERT_TRUE(std::all_of(chunk.begin(), chunk.end(), [](uint8_t b) { return b == 0; }));
    const size_t wrote = chunk.size() > 7 ? chunk.size() - 7 : chunk.size();  // Short writes.
    ASSERT_EQ(output.Advance(wrote), PerfResult::kOk);
    written += wrote;
  }
  EXPECT_EQ(written, body);
  EXPECT_EQ(output.body_bytes_sent(), body);
}

TEST(PerfOutputTest, AdvancingPastTheChunkIsRefused) {
  PerfOutput output = PerfOutput::WithHeader(1, 100);
  EXPECT_EQ(output.Advance(9), PerfResult::kAdvanceTooFar);  // The header chunk is 8.
  EXPECT_EQ(output.NextChunk().size(), 8u);
  PerfOutput empty;
  EXPECT_TRUE(empty.Done());
  EXPECT_EQ(empty.Advance(1), PerfResult::kAdvanceTooFar);
  EXPECT_EQ(empty.Advance(0), PerfResult::kOk);
}

TEST(PerfOutputTest, AMaximalRequestIsOfferedWithoutOverflow) {
  PerfOutput output = PerfOutput::BodyOnly(kPerfUnlimited);
  EXPECT_EQ(output.NextChunk().size(), kMaxPerfChunkBytes);
  ASSERT_EQ(output.Advance(kMaxPerfChunkBytes), PerfResult::kOk);
  EXPECT_FALSE(output.Done());
  EXPECT_STRNE(ToString(PerfResult::kAdvanceTooFar), "unknown");
}

}  // namespace
}  // namespace p2pquic::protocols
