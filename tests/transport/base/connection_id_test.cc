#include "transport/base/connection_id.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace p2pquic {
namespace {

std::vector<uint8_t> Bytes(size_t n, uint8_t start = 1) {
  std::vector<uint8_t> bytes(n);
  for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<uint8_t>(start + i);
  return bytes;
}

std::vector<uint8_t> ToVector(const ConnectionId& cid) {
  return {cid.bytes().begin(), cid.bytes().end()};
}

ConnectionId Cid(const std::vector<uint8_t>& bytes) {
  ConnectionId cid;
  EXPECT_EQ(ConnectionId::FromBytes(bytes, &cid), CidParseStatus::kOk);
  return cid;
}

TEST(ConnectionIdTest, DefaultIsZeroLength) {
  const ConnectionId cid;
  EXPECT_TRUE(cid.empty());
  EXPECT_EQ(cid.size(), 0u);
  EXPECT_TRUE(cid.bytes().empty());
  EXPECT_EQ(cid.ToHex(), "");
}

TEST(ConnectionIdTest, FromBytesAcceptsEveryLengthFromZeroToTwenty) {
  for (size_t length = 0; length <= kMaxConnectionIdLength; ++length) {
    const std::vector<uint8_t> bytes = Bytes(length, 0xa0);
    ConnectionId cid = Cid(Bytes(5, 0x10));  // Overwritten on success.
    ASSERT_EQ(ConnectionId::FromBytes(bytes, &cid), CidParseStatus::kOk) << length;
    EXPECT_EQ(cid.size(), length);
    EXPECT_EQ(cid.empty(), length == 0);
    EXPECT_EQ(ToVector(cid), bytes);
  }
}

TEST(ConnectionIdTest, FromBytesRejectsTwentyOneBytesAndLeavesOutputUntouched) {
  const ConnectionId original = Cid(Bytes(8, 0x42));
  for (size_t length : {kMaxConnectionIdLength + 1, size_t{32}, size_t{255}}) {
    ConnectionId cid = original;
    EXPECT_EQ(ConnectionId::FromBytes(Bytes(length), &cid), CidParseStatus::kTooLong) << length;
    EXPECT_EQ(cid, original);
    EXPECT_EQ(ToVector(cid), Bytes(8, 0x42));
  }
}

TEST(ConnectionIdTest, FromBytesCopiesTheInput) {
  std::vector<uint8_t> bytes = Bytes(8);
  const ConnectionId cid = Cid(bytes);
  bytes[0] = 0xff;
  EXPECT_EQ(ToVector(cid), Bytes(8));
}

TEST(ConnectionIdTest, EqualityComparesLengthAndBytes) {
  EXPECT_EQ(Cid(Bytes(8)), Cid(Bytes(8)));
  EXPECT_EQ(Cid({}), ConnectionId());
  EXPECT_NE(Cid(Bytes(8)), Cid(Bytes(8, 2)));
  // A prefix is not equal, even when the longer one's extra bytes are zero.
  EXPECT_NE(Cid({1, 2, 3}), Cid({1, 2, 3, 0}));
  EXPECT_NE(Cid({0}), ConnectionId());
  EXPECT_NE(Cid(Bytes(20)), Cid(Bytes(19)));
  std::vector<uint8_t> last_differs = Bytes(20);
  last_differs[19] ^= 1;
  EXPECT_NE(Cid(Bytes(20)), Cid(last_differs));
}

TEST(ConnectionIdTest, ShorterCidReusingALongerOnesStorageEqualsAFreshOne) {
  // Assigning a short CID over a long one must not leave stale bytes that
  // affect comparison.
  ConnectionId reused = Cid(Bytes(20, 0x90));
  ASSERT_EQ(ConnectionId::FromBytes(Bytes(4), &reused), CidParseStatus::kOk);
  EXPECT_EQ(reused, Cid(Bytes(4)));
}

TEST(ConnectionIdTest, ToHexIsLowercaseTwoDigitsPerByte) {
  EXPECT_EQ(Cid({0x00}).ToHex(), "00");
  EXPECT_EQ(Cid({0x0f, 0xa0, 0xff, 0x12}).ToHex(), "0fa0ff12");
  EXPECT_EQ(Cid({0xde, 0xad, 0xbe, 0xef, 0x01, 0x23, 0x45, 0x67}).ToHex(), "deadbeef01234567");
  const std::string hex = Cid(Bytes(20)).ToHex();
  EXPECT_EQ(hex, "0102030405060708090a0b0c0d0e0f1011121314");
}

}  // namespace
}  // namespace p2pquic
