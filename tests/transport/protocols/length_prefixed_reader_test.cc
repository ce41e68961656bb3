#include "transport/protocols/length_prefixed_reader.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/transport/protocols/test_bytes.h"

namespace p2pquic::protocols {
namespace {

using testing::Bytes;

std::vector<uint8_t> FrameBytes(const LengthPrefixedReader& reader) {
  return {reader.frame().begin(), reader.frame().end()};
}

TEST(LengthPrefixedReaderTest, StopsAtTheEndOfEachFrameAndLeavesTheRest) {
  LengthPrefixedReader reader(16);
  const std::vector<uint8_t> bytes{0x02, 'a', 'b', 0x01, 'c', 0x05};
  std::span<const uint8_t> in(bytes);
  ASSERT_EQ(reader.Next(in), FrameStatus::kComplete);
  EXPECT_EQ(FrameBytes(reader), Bytes("ab"));
  EXPECT_EQ(in.size(), 3u);
  ASSERT_EQ(reader.Next(in), FrameStatus::kComplete);
  EXPECT_EQ(FrameBytes(reader), Bytes("c"));
  EXPECT_EQ(reader.Next(in), FrameStatus::kNeedMore);
  EXPECT_TRUE(in.empty());
  EXPECT_TRUE(reader.InsideFrame());
}

TEST(LengthPrefixedReaderTest, ReassemblesAFrameFedOneByteAtATime) {
  LengthPrefixedReader reader(300);
  std::vector<uint8_t> bytes{0xac, 0x02};  // 300.
  bytes.resize(2 + 300, 0x42);
  for (size_t i = 0; i + 1 < bytes.size(); ++i) {
    std::span<const uint8_t> one(&bytes[i], 1);
    ASSERT_EQ(reader.Next(one), FrameStatus::kNeedMore) << i;
    ASSERT_TRUE(reader.InsideFrame());
  }
  std::span<const uint8_t> last(&bytes.back(), 1);
  ASSERT_EQ(reader.Next(last), FrameStatus::kComplete);
  EXPECT_EQ(reader.frame().size(), 300u);
  EXPECT_FALSE(reader.InsideFrame());
}

TEST(LengthPrefixedReaderTest, AZeroLengthFrameCompletesAtItsPrefix) {
  LengthPrefixedReader reader(4);
  const std::vector<uint8_t> bytes{0x00};
  std::span<const uint8_t> in(bytes);
  EXPECT_EQ(reader.Next(in), FrameStatus::kComplete);
  EXPECT_TRUE(reader.frame().empty());
}

TEST(LengthPrefixedReaderTest, RejectsALengthAboveTheMaximumBeforeReadingThePayload) {
  LengthPrefixedReader reader(1024);
  const std::vector<uint8_t> bytes{0x81, 0x08, 'a', 'b'};  // 1025.
  std::span<const uint8_t> in(bytes);
  EXPECT_EQ(reader.Next(in), FrameStatus::kTooLong);
  EXPECT_EQ(in.size(), 2u);  // Only the prefix was consumed.
  EXPECT_FALSE(reader.InsideFrame());
}

TEST(LengthPrefixedReaderTest, AcceptsALengthOfExactlyTheMaximum) {
  LengthPrefixedReader reader(3);
  const std::vector<uint8_t> bytes{0x03, 'a', 'b', 'c'};
  std::span<const uint8_t> in(bytes);
  EXPECT_EQ(reader.Next(in), FrameStatus::kComplete);
}

TEST(LengthPrefixedReaderTest, RejectsMalformedPrefixesAndStaysFailed) {
  LengthPrefixedReader overlong(16);
  const std::vector<uint8_t> zero_as_two{0x80, 0x00, 0x01, 'a'};
  std::span<const uint8_t> in(zero_as_two);
  EXPECT_EQ(overlong.Next(in), FrameStatus::kLengthOverlong);
  const std::vector<uint8_t> fine{0x01, 'a'};
  std::span<const uint8_t> again(fine);
  EXPECT_EQ(overlong.Next(again), FrameStatus::kLengthOverlong);
  EXPECT_EQ(again.size(), 2u);

  LengthPrefixedReader too_many(16);
  const std::vector<uint8_t> ten(10, 0x80);
  std::span<const uint8_t> long_prefix(ten);
  EXPECT_EQ(too_many.Next(long_prefix), FrameStatus::kLengthTooManyBytes);
}

TEST(LengthPrefixedReaderTest, InsideFrameIsFalseBetweenFrames) {
  LengthPrefixedReader reader(16);
  EXPECT_FALSE(reader.InsideFrame());
  const std::vector<uint8_t> prefix_only{0x05};
  std::span<const uint8_t> in(prefix_only);
  EXPECT_EQ(reader.Next(in), FrameStatus::kNeedMore);
  EXPECT_TRUE(reader.InsideFrame());
}

}  // namespace
}  // namespace p2pquic::protocols
