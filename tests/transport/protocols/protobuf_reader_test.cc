#include "transport/protocols/protobuf_reader.h"

#include <gtest/gtest.h>

#include <vector>

#include "transport/protocols/protobuf_writer.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::protocols {
namespace {

TEST(ProtobufReaderTest, ReadsWhatTheWriterWrote) {
  std::vector<uint8_t> bytes;
  ProtobufWriter writer(bytes);
  writer.Tag(1, WireType::kVarint);
  writer.Varint(150);
  writer.BytesField(2, std::vector<uint8_t>{0xde, 0xad});
  writer.StringField(kMaxProtobufFieldNumber, "hi");
  // 150 is the protobuf documentation's example: 08 96 01.
  EXPECT_EQ(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 3),
            (std::vector<uint8_t>{0x08, 0x96, 0x01}));

  ProtobufReader reader(bytes);
  uint32_t field = 0;
  WireType type = WireType::kFixed32;
  uint64_t value = 0;
  std::span<const uint8_t> view;
  ASSERT_EQ(reader.ReadTag(field, type), ProtobufStatus::kOk);
  EXPECT_EQ(field, 1u);
  EXPECT_EQ(type, WireType::kVarint);
  ASSERT_EQ(reader.ReadVarint(value), ProtobufStatus::kOk);
  EXPECT_EQ(value, 150u);
  ASSERT_EQ(reader.ReadTag(field, type), ProtobufStatus::kOk);
  ASSERT_EQ(reader.ReadLengthDelimited(view), ProtobufStatus::kOk);
  EXPECT_EQ(std::vector<uint8_t>(view.begin(), view.end()), (std::vector<uint8_t>{0xde, 0xad}));
  ASSERT_EQ(reader.ReadTag(field, type), ProtobufStatus::kOk);
  EXPECT_EQ(field, kMaxProtobufFieldNumber);
  ASSERT_EQ(reader.ReadLengthDelimited(view), ProtobufStatus::kOk);
  EXPECT_EQ(view.size(), 2u);
  EXPECT_TRUE(reader.AtEnd());
}

TEST(ProtobufReaderTest, AcceptsTenByteVarintsAndNonMinimalOnes) {
  std::vector<uint8_t> max(9, 0xff);
  max.push_back(0x01);
  ProtobufReader reader(max);
  uint64_t value = 0;
  ASSERT_EQ(reader.ReadVarint(value), ProtobufStatus::kOk);
  EXPECT_EQ(value, ~uint64_t{0});

  const std::vector<uint8_t> padded_one{0x81, 0x80, 0x00};
  ProtobufReader padded(padded_one);
  ASSERT_EQ(padded.ReadVarint(value), ProtobufStatus::kOk);
  EXPECT_EQ(value, 1u);
}

TEST(ProtobufReaderTest, RejectsVarintsBeyond64Bits) {
  std::vector<uint8_t> overflow(9, 0xff);
  overflow.push_back(0x02);
  uint64_t value = 0;
  EXPECT_EQ(ProtobufReader(overflow).ReadVarint(value), ProtobufStatus::kBadVarint);
  const std::vector<uint8_t> eleven(11, 0x80);
  EXPECT_EQ(ProtobufReader(eleven).ReadVarint(value), ProtobufStatus::kBadVarint);
}

TEST(ProtobufReaderTest, ReportsTruncation) {
  uint64_t value = 0;
  std::span<const uint8_t> view;
  const std::vector<uint8_t> cut_varint{0x80};
  EXPECT_EQ(ProtobufReader(cut_varint).ReadVarint(value), ProtobufStatus::kTruncated);
  const std::vector<uint8_t> short_value{0x05, 'a', 'b'};
  EXPECT_EQ(ProtobufReader(short_value).ReadLengthDelimited(view), ProtobufStatus::kTruncated);
  const std::vector<uint8_t> short_fixed{1, 2, 3};
  EXPECT_EQ(ProtobufReader(short_fixed).SkipValue(WireType::kFixed32), ProtobufStatus::kTruncated);
  EXPECT_EQ(ProtobufReader(short_fixed).SkipValue(WireType::kFixed64), ProtobufStatus::kTruncated);
}

TEST(ProtobufReaderTest, RejectsBadKeys) {
  uint32_t field = 0;
  WireType type = WireType::kVarint;
  const std::vector<uint8_t> field_zero{0x02};
  EXPECT_EQ(ProtobufReader(field_zero).ReadTag(field, type), ProtobufStatus::kBadFieldNumber);
  const std::vector<uint8_t> huge_field{0x80, 0x80, 0x80, 0x80, 0x10};  // Field 2^29.
  EXPECT_EQ(ProtobufReader(huge_field).ReadTag(field, type), ProtobufStatus::kBadFieldNumber);
  const std::vector<uint8_t> type_six{0x0e};
  EXPECT_EQ(ProtobufReader(type_six).ReadTag(field, type), ProtobufStatus::kUnsupportedWireType);
  const std::vector<uint8_t> type_seven{0x0f};
  EXPECT_EQ(ProtobufReader(type_seven).ReadTag(field, type), ProtobufStatus::kUnsupportedWireType);
}

TEST(ProtobufReaderTest, SkipsEveryScalarWireTypeButNotGroups) {
  const std::vector<uint8_t> bytes{0x96, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x01, 'x'};
  ProtobufReader reader(bytes);
  EXPECT_EQ(reader.SkipValue(WireType::kVarint), ProtobufStatus::kOk);
  EXPECT_EQ(reader.SkipValue(WireType::kFixed64), ProtobufStatus::kOk);
  EXPECT_EQ(reader.SkipValue(WireType::kFixed32), ProtobufStatus::kOk);
  EXPECT_EQ(reader.SkipValue(WireType::kLengthDelimited), ProtobufStatus::kOk);
  EXPECT_TRUE(reader.AtEnd());
  EXPECT_EQ(reader.SkipValue(WireType::kStartGroup), ProtobufStatus::kUnsupportedWireType);
  EXPECT_EQ(reader.SkipValue(WireType::kEndGroup), ProtobufStatus::kUnsupportedWireType);
}

TEST(ProtobufReaderTest, RandomBytesNeverReadOutOfBounds) {
  SeededRandom random(99);
  for (int i = 0; i < 3000; ++i) {
    std::vector<uint8_t> bytes(random.NextU64() % 64);
    random.Fill(bytes);
    ProtobufReader reader(bytes);
    for (int fields = 0; fields < 64 && !reader.AtEnd(); ++fields) {
      uint32_t field = 0;
      WireType type = WireType::kVarint;
      if (reader.ReadTag(field, type) != ProtobufStatus::kOk) break;
      if (reader.SkipValue(type) != ProtobufStatus::kOk) break;
    }
  }
  EXPECT_STRNE(ToString(ProtobufStatus::kUnsupportedWireType), "unknown");
}

}  // namespace
}  // namespace p2pquic::protocols
