#include "transport/identity/key_protobuf.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/transport/identity/hex.h"
#include "transport/identity/key_limits.h"

namespace p2pquic {
namespace {

using test::FromHex;
using test::ToHex;
using Kind = KeyProtobuf::Kind;

KeyStatus DecodeHex(std::string_view hex, KeyType* type = nullptr,
                    std::vector<uint8_t>* data = nullptr) {
  KeyType ignored_type;
  std::vector<uint8_t> ignored_data;
  return KeyProtobuf::Decode(Kind::kPublicKey, FromHex(hex), type ? type : &ignored_type,
                             data ? data : &ignored_data);
}

TEST(KeyProtobufTest, EncodesTypeThenDataMinimally) {
  const std::vector<uint8_t> data = {0xaa, 0xbb};
  EXPECT_EQ(ToHex(KeyProtobuf::Encode(Kind::kPublicKey, KeyType::kEd25519, data)), "08011202aabb");
  EXPECT_EQ(ToHex(KeyProtobuf::Encode(Kind::kPrivateKey, KeyType::kSecp256k1, data)),
            "08021202aabb");
}

TEST(KeyProtobufTest, WritesTheRsaTypeEvenThoughItIsZero) {
  // proto2 required field: present on the wire even at its default value.
  EXPECT_EQ(ToHex(KeyProtobuf::Encode(Kind::kPublicKey, KeyType::kRsa, std::vector<uint8_t>{1})),
            "0800120101");
}

TEST(KeyProtobufTest, DecodesTypeAndData) {
  KeyType type = KeyType::kRsa;
  std::vector<uint8_t> data;
  ASSERT_EQ(DecodeHex("08031203010203", &type, &data), KeyStatus::kOk);
  EXPECT_EQ(type, KeyType::kEcdsa);
  EXPECT_EQ(data, (std::vector<uint8_t>{1, 2, 3}));
}

TEST(KeyProtobufTest, ReportsMissingFields) {
  EXPECT_EQ(DecodeHex(""), KeyStatus::kMissingField);
  EXPECT_EQ(DecodeHex("0801"), KeyStatus::kMissingField);  // No Data.
  EXPECT_EQ(DecodeHex("1200"), KeyStatus::kMissingField);  // No Type.
}

TEST(KeyProtobufTest, ReportsUnknownKeyTypes) {
  EXPECT_EQ(DecodeHex("08041200"), KeyStatus::kUnknownKeyType);
  EXPECT_EQ(DecodeHex("08ff011200"), KeyStatus::kUnknownKeyType);
  EXPECT_STREQ(ToString(KeyStatus::kUnknownKeyType),
               "unknown key type (libp2p defines RSA=0, Ed25519=1, Secp256k1=2, ECDSA=3)");
}

TEST(KeyProtobufTest, ReportsMalformedProtobuf) {
  EXPECT_EQ(DecodeHex("ffff"), KeyStatus::kMalformedProtobuf);
  EXPECT_EQ(DecodeHex("0801122000"),
            KeyStatus::kMalformedProtobuf);                   // Data shorter than its length.
  EXPECT_EQ(DecodeHex("08"), KeyStatus::kMalformedProtobuf);  // Truncated varint.
}

TEST(KeyProtobufTest, RefusesInputLargerThanAnyKeyBeforeParsing) {
  KeyType type;
  std::vector<uint8_t> data;
  const std::vector<uint8_t> huge(kMaxEncodedKeyBytes + 1, 0);
  EXPECT_EQ(KeyProtobuf::Decode(Kind::kPrivateKey, huge, &type, &data), KeyStatus::kTooLarge);
}

TEST(KeyProtobufTest, LeavesOutputsUnchangedOnError) {
  KeyType type = KeyType::kSecp256k1;
  std::vector<uint8_t> data = {9};
  EXPECT_EQ(DecodeHex("08041200", &type, &data), KeyStatus::kUnknownKeyType);
  EXPECT_EQ(type, KeyType::kSecp256k1);
  EXPECT_EQ(data, std::vector<uint8_t>{9});
}

}  // namespace
}  // namespace p2pquic
