#include "transport/identity/varint.h"

#include <gtest/gtest.h>

#include <vector>

namespace p2pquic {
namespace {

std::vector<uint8_t> Encoded(uint64_t value) {
  std::vector<uint8_t> bytes;
  Varint::Append(value, &bytes);
  return bytes;
}

TEST(VarintTest, EncodesMultiformatsExamples) {
  EXPECT_EQ(Encoded(0), (std::vector<uint8_t>{0x00}));
  EXPECT_EQ(Encoded(1), (std::vector<uint8_t>{0x01}));
  EXPECT_EQ(Encoded(127), (std::vector<uint8_t>{0x7f}));
  EXPECT_EQ(Encoded(128), (std::vector<uint8_t>{0x80, 0x01}));
  EXPECT_EQ(Encoded(255), (std::vector<uint8_t>{0xff, 0x01}));
  EXPECT_EQ(Encoded(300), (std::vector<uint8_t>{0xac, 0x02}));
  EXPECT_EQ(Encoded(16384), (std::vector<uint8_t>{0x80, 0x80, 0x01}));
  // Multicodec codes used by QUIC multiaddrs.
  EXPECT_EQ(Encoded(0x0111), (std::vector<uint8_t>{0x91, 0x02}));
  EXPECT_EQ(Encoded(0x01cd), (std::vector<uint8_t>{0xcd, 0x03}));
  EXPECT_EQ(Encoded(0x01a5), (std::vector<uint8_t>{0xa5, 0x03}));
}

TEST(VarintTest, ReadsBackWhatItWritesUpTo63Bits) {
  for (uint64_t value :
       {uint64_t{0}, uint64_t{1}, uint64_t{300}, uint64_t{1} << 35, (uint64_t{1} << 63) - 1}) {
    const std::vector<uint8_t> bytes = Encoded(value);
    ASSERT_LE(bytes.size(), kMaxVarintBytes);
    uint64_t read = 0;
    size_t consumed = 0;
    ASSERT_EQ(Varint::Read(bytes, &read, &consumed), VarintStatus::kOk) << value;
    EXPECT_EQ(read, value);
    EXPECT_EQ(consumed, bytes.size());
  }
}

TEST(VarintTest, ReadStopsAtTheEndOfTheVarint) {
  const std::vector<uint8_t> bytes = {0xcd, 0x03, 0xff, 0xff};
  uint64_t value = 0;
  size_t consumed = 0;
  ASSERT_EQ(Varint::Read(bytes, &value, &consumed), VarintStatus::kOk);
  EXPECT_EQ(value, 0x01cdu);
  EXPECT_EQ(consumed, 2u);
}

TEST(VarintTest, RejectsTruncatedInput) {
  uint64_t value = 7;
  size_t consumed = 7;
  EXPECT_EQ(Varint::Read({}, &value, &consumed), VarintStatus::kTruncated);
  EXPECT_EQ(Varint::Read(std::vector<uint8_t>{0x80}, &value, &consumed), VarintStatus::kTruncated);
  EXPECT_EQ(value, 7u);
  EXPECT_EQ(consumed, 7u);
}

TEST(VarintTest, RejectsNonMinimalEncodings) {
  uint64_t value = 0;
  size_t consumed = 0;
  EXPECT_EQ(Varint::Read(std::vector<uint8_t>{0x80, 0x00}, &value, &consumed),
            VarintStatus::kNotMinimal);
  EXPECT_EQ(Varint::Read(std::vector<uint8_t>{0x81, 0x80, 0x00}, &value, &consumed),
            VarintStatus::kNotMinimal);
}

TEST(VarintTest, RejectsMoreThanNineBytes) {
  uint64_t value = 0;
  size_t consumed = 0;
  const std::vector<uint8_t> nine_continued(9, 0xff);
  EXPECT_EQ(Varint::Read(nine_continued, &value, &consumed), VarintStatus::kTooLong);
  std::vector<uint8_t> ten = nine_continued;
  ten.push_back(0x01);
  EXPECT_EQ(Varint::Read(ten, &value, &consumed), VarintStatus::kTooLong);
  EXPECT_STREQ(ToString(VarintStatus::kTooLong), "varint is longer than 9 bytes");
}

}  // namespace
}  // namespace p2pquic
