#include "transport/protocols/uvarint.h"

#include <gtest/gtest.h>

#include <vector>

#include "transport/runtime/seeded_random.h"

namespace p2pquic::protocols {
namespace {

std::vector<uint8_t> Encode(uint64_t value) {
  std::vector<uint8_t> out;
  EXPECT_EQ(AppendUvarint(value, out), UvarintStatus::kOk) << value;
  return out;
}

// Vectors from the multiformats unsigned-varint README.
TEST(UvarintTest, EncodesTheSpecVectors) {
  EXPECT_EQ(Encode(0), (std::vector<uint8_t>{0x00}));
  EXPECT_EQ(Encode(1), (std::vector<uint8_t>{0x01}));
  EXPECT_EQ(Encode(127), (std::vector<uint8_t>{0x7f}));
  EXPECT_EQ(Encode(128), (std::vector<uint8_t>{0x80, 0x01}));
  EXPECT_EQ(Encode(255), (std::vector<uint8_t>{0xff, 0x01}));
  EXPECT_EQ(Encode(300), (std::vector<uint8_t>{0xac, 0x02}));
  EXPECT_EQ(Encode(16384), (std::vector<uint8_t>{0x80, 0x80, 0x01}));
}

TEST(UvarintTest, TheLargest63BitValueTakesNineBytes) {
  const std::vector<uint8_t> expected{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
  EXPECT_EQ(Encode(kMaxUvarintValue), expected);
  const UvarintParse parse = ParseUvarint(expected);
  EXPECT_EQ(parse.status, UvarintStatus::kOk);
  EXPECT_EQ(parse.value, kMaxUvarintValue);
  EXPECT_EQ(parse.size, kMaxUvarintBytes);
}

TEST(UvarintTest, RefusesToEncodeValuesAbove63Bits) {
  std::vector<uint8_t> out{0xaa};
  EXPECT_EQ(AppendUvarint(kMaxUvarintValue + 1, out), UvarintStatus::kValueTooLarge);
  EXPECT_EQ(out, (std::vector<uint8_t>{0xaa}));
}

TEST(UvarintTest, RoundTripsEveryBitLengthAndItsNeighbours) {
  for (int bits = 0; bits < 63; ++bits) {
    const uint64_t power = uint64_t{1} << bits;
    for (uint64_t value : {power - 1, power, power + 1}) {
      const std::vector<uint8_t> encoded = Encode(value);
      EXPECT_EQ(encoded.size(), UvarintSize(value)) << value;
      const UvarintParse parse = ParseUvarint(encoded);
      ASSERT_EQ(parse.status, UvarintStatus::kOk) << value;
      EXPECT_EQ(parse.value, value);
      EXPECT_EQ(parse.size, encoded.size());
    }
  }
}

TEST(UvarintTest, ParseReadsOnlyTheFirstVarint) {
  const std::vector<uint8_t> bytes{0xac, 0x02, 0x05, 0x06};
  const UvarintParse parse = ParseUvarint(bytes);
  EXPECT_EQ(parse.status, UvarintStatus::kOk);
  EXPECT_EQ(parse.value, 300u);
  EXPECT_EQ(parse.size, 2u);
}

TEST(UvarintTest, ReportsTruncatedInput) {
  EXPECT_EQ(ParseUvarint({}).status, UvarintStatus::kTruncated);
  const std::vector<uint8_t> cut{0x80, 0x80};
  EXPECT_EQ(ParseUvarint(cut).status, UvarintStatus::kTruncated);
}

TEST(UvarintTest, RejectsNonMinimalEncodings) {
  const std::vector<uint8_t> zero_as_two{0x80, 0x00};
  EXPECT_EQ(ParseUvarint(zero_as_two).status, UvarintStatus::kOverlong);
  const std::vector<uint8_t> one_as_three{0x81, 0x80, 0x00};
  EXPECT_EQ(ParseUvarint(one_as_three).status, UvarintStatus::kOverlong);
  const std::vector<uint8_t> zero{0x00};
  EXPECT_EQ(ParseUvarint(zero).status, UvarintStatus::kOk);
}

TEST(UvarintTest, RejectsANinthByteThatSaysMoreFollows) {
  const std::vector<uint8_t> ten(9, 0xff);
  EXPECT_EQ(ParseUvarint(ten).status, UvarintStatus::kTooManyBytes);
}

TEST(UvarintTest, DecoderAcceptsOneByteAtATime) {
  UvarintDecoder decoder;
  EXPECT_EQ(decoder.Push(0x80), UvarintStatus::kTruncated);
  EXPECT_EQ(decoder.Push(0x80), UvarintStatus::kTruncated);
  EXPECT_EQ(decoder.Push(0x01), UvarintStatus::kOk);
  EXPECT_EQ(decoder.value(), 16384u);
  EXPECT_EQ(decoder.size(), 3u);
}

TEST(UvarintTest, DecoderStaysFailedUntilReset) {
  UvarintDecoder decoder;
  EXPECT_EQ(decoder.Push(0x80), UvarintStatus::kTruncated);
  EXPECT_EQ(decoder.Push(0x00), UvarintStatus::kOverlong);
  EXPECT_EQ(decoder.Push(0x01), UvarintStatus::kOverlong);
  decoder.Reset();
  EXPECT_EQ(decoder.Push(0x05), UvarintStatus::kOk);
  EXPECT_EQ(decoder.value(), 5u);
}

TEST(UvarintTest, RandomValuesRoundTrip) {
  SeededRandom random(7);
  for (int i = 0; i < 10000; ++i) {
    const uint64_t value = random.NextU64() >> (1 + random.NextU64() % 63);  // 1..63 bits.
    const std::vector<uint8_t> encoded = Encode(value);
    const UvarintParse parse = ParseUvarint(encoded);
    ASSERT_EQ(parse.status, UvarintStatus::kOk);
    ASSERT_EQ(parse.value, value);
  }
}

TEST(UvarintTest, AppendLengthPrefixedWritesLengthThenPayload) {
  const std::vector<uint8_t> payload(200, 0x5a);
  std::vector<uint8_t> out;
  AppendLengthPrefixed(payload, out);
  ASSERT_EQ(out.size(), 202u);
  EXPECT_EQ(out[0], 0xc8);  // 200 = 0b1_1001000 -> 0xc8 0x01.
  EXPECT_EQ(out[1], 0x01);
  EXPECT_EQ(out[2], 0x5a);
}

TEST(UvarintTest, EveryStatusHasAName) {
  for (UvarintStatus status :
       {UvarintStatus::kOk, UvarintStatus::kTruncated, UvarintStatus::kOverlong,
        UvarintStatus::kTooManyBytes, UvarintStatus::kValueTooLarge}) {
    EXPECT_STRNE(ToString(status), "unknown");
  }
}

}  // namespace
}  // namespace p2pquic::protocols
