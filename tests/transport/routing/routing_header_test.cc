#include "transport/routing/routing_header.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace p2pquic {
namespace {

constexpr uint32_t kQuicV1 = 0x00000001;
// draft-ietf-quic-v2-01, NGTCP2_PROTO_VER_V2_DRAFT in ngtcp2 0.x.
constexpr uint32_t kQuicV2Draft = 0x709a50c4;
constexpr uint32_t kReservedVersion = 0x1a2a3a4a;  // RFC 9000 §15: forces version negotiation.
constexpr size_t kMinInitialDatagram = 1200;

std::vector<uint8_t> Bytes(size_t n, uint8_t start) {
  std::vector<uint8_t> bytes(n);
  for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<uint8_t>(start + i);
  return bytes;
}

ConnectionId Cid(const std::vector<uint8_t>& bytes) {
  ConnectionId cid;
  EXPECT_EQ(ConnectionId::FromBytes(bytes, &cid), CidParseStatus::kOk);
  return cid;
}

// A QUIC long header (RFC 9000 §17.2, RFC 8999 §5.1): first byte, version,
// DCID length and bytes, SCID length and bytes; then, for an Initial, a
// zero token length and a two-byte Length varint; then filler up to `total`.
std::vector<uint8_t> LongPacket(uint8_t first_byte, uint32_t version,
                                const std::vector<uint8_t>& dcid, const std::vector<uint8_t>& scid,
                                size_t total, bool initial_fields = false) {
  std::vector<uint8_t> p = {first_byte,
                            static_cast<uint8_t>(version >> 24),
                            static_cast<uint8_t>(version >> 16),
                            static_cast<uint8_t>(version >> 8),
                            static_cast<uint8_t>(version),
                            static_cast<uint8_t>(dcid.size())};
  p.insert(p.end(), dcid.begin(), dcid.end());
  p.push_back(static_cast<uint8_t>(scid.size()));
  p.insert(p.end(), scid.begin(), scid.end());
  if (initial_fields) {
    p.push_back(0x00);  // Token Length: varint 0.
    const size_t rest = total > p.size() + 2 ? total - p.size() - 2 : 0;
    p.push_back(static_cast<uint8_t>(0x40 | ((rest >> 8) & 0x3f)));  // Length: 2-byte varint.
    p.push_back(static_cast<uint8_t>(rest & 0xff));
  }
  uint8_t filler = 0;
  while (p.size() < total) p.push_back(filler++);
  return p;
}

std::vector<uint8_t> V1Initial(const std::vector<uint8_t>& dcid, const std::vector<uint8_t>& scid,
                               size_t total = kMinInitialDatagram) {
  return LongPacket(0xc3, kQuicV1, dcid, scid, total, /*initial_fields=*/true);
}

// A 1-RTT packet: 0x40 | spin/reserved/key-phase/pn-length bits, DCID, payload.
std::vector<uint8_t> ShortPacket(const std::vector<uint8_t>& dcid, size_t payload = 24,
                                 uint8_t flags = 0x01) {
  std::vector<uint8_t> p = {static_cast<uint8_t>(0x40 | flags)};
  p.insert(p.end(), dcid.begin(), dcid.end());
  for (size_t i = 0; i < payload; ++i) p.push_back(static_cast<uint8_t>(0xee - i));
  return p;
}

void ExpectCoversWholeDatagram(const RoutingHeader& header, const std::vector<uint8_t>& datagram) {
  EXPECT_EQ(header.datagram.data(), datagram.data());
  EXPECT_EQ(header.datagram.size(), datagram.size());
}

TEST(RoutingHeaderTest, ParsesShortHeaderWithLocalCidLength) {
  const std::vector<uint8_t> dcid = Bytes(8, 0xa0);
  const std::vector<uint8_t> datagram = ShortPacket(dcid);
  RoutingHeader header;
  ASSERT_EQ(ParseRoutingHeader(datagram, dcid.size(), &header), HeaderParseStatus::kOk);
  EXPECT_EQ(header.form, PacketForm::kShort);
  EXPECT_EQ(header.type, LongPacketType::kNone);
  EXPECT_EQ(header.version, 0u);
  EXPECT_EQ(header.dcid, Cid(dcid));
  EXPECT_TRUE(header.scid.empty());
  ExpectCoversWholeDatagram(header, datagram);
}

TEST(RoutingHeaderTest, ShortHeaderDcidLengthComesFromTheCaller) {
  const std::vector<uint8_t> datagram = ShortPacket(Bytes(20, 1), 30);
  for (size_t length = 0; length <= kMaxConnectionIdLength; ++length) {
    RoutingHeader header;
    ASSERT_EQ(ParseRoutingHeader(datagram, length, &header), HeaderParseStatus::kOk) << length;
    EXPECT_EQ(header.dcid, Cid(Bytes(length, 1))) << length;
  }
}

TEST(RoutingHeaderTest, ShortHeaderFlagBitsDoNotMatter) {
  const std::vector<uint8_t> dcid = Bytes(8, 3);
  for (uint8_t flags : {0x00, 0x01, 0x04, 0x20, 0x3f}) {
    const std::vector<uint8_t> datagram = ShortPacket(dcid, 24, flags);
    RoutingHeader header;
    ASSERT_EQ(ParseRoutingHeader(datagram, 8, &header), HeaderParseStatus::kOk) << int{flags};
    EXPECT_EQ(header.form, PacketForm::kShort);
    EXPECT_EQ(header.dcid, Cid(dcid));
  }
}

TEST(RoutingHeaderTest, ShortHeaderWithZeroLengthCidNeedsOnlyTheFirstByte) {
  const std::vector<uint8_t> datagram = {0x41};
  RoutingHeader header;
  ASSERT_EQ(ParseRoutingHeader(datagram, 0, &header), HeaderParseStatus::kOk);
  EXPECT_EQ(header.form, PacketForm::kShort);
  EXPECT_TRUE(header.dcid.empty());
  ExpectCoversWholeDatagram(header, datagram);
}

TEST(RoutingHeaderTest, TruncatedShortHeaderIsTruncated) {
  // First byte plus 7 of the 8 DCID bytes.
  const std::vector<uint8_t> datagram = ShortPacket(Bytes(7, 1), 0);
  RoutingHeader header;
  EXPECT_EQ(ParseRoutingHeader(datagram, 8, &header), HeaderParseStatus::kTruncated);
  // Exactly first byte plus DCID is enough.
  EXPECT_EQ(ParseRoutingHeader(datagram, 7, &header), HeaderParseStatus::kOk);
}

TEST(RoutingHeaderTest, EmptyDatagramIsEmpty) {
  const std::vector<uint8_t> datagram;
  RoutingHeader header;
  EXPECT_EQ(ParseRoutingHeader(datagram, 8, &header), HeaderParseStatus::kEmpty);
  EXPECT_EQ(ParseRoutingHeader(datagram, 0, &header), HeaderParseStatus::kEmpty);
}

TEST(RoutingHeaderTest, LocalCidLengthOverTwentyIsCidTooLong) {
  const std::vector<uint8_t> datagram = ShortPacket(Bytes(21, 1), 30);
  RoutingHeader header;
  EXPECT_EQ(ParseRoutingHeader(datagram, 21, &header), HeaderParseStatus::kCidTooLong);
}

TEST(RoutingHeaderTest, ParsesV1Initial) {
  const std::vector<uint8_t> dcid = Bytes(8, 0x10);
  const std::vector<uint8_t> scid = Bytes(5, 0x20);
  const std::vector<uint8_t> datagram = V1Initial(dcid, scid);
  ASSERT_EQ(datagram.size(), kMinInitialDatagram);
  RoutingHeader header;
  ASSERT_EQ(ParseRoutingHeader(datagram, 4, &header), HeaderParseStatus::kOk);
  EXPECT_EQ(header.form, PacketForm::kLong);
  EXPECT_EQ(header.type, LongPacketType::kInitial);
  EXPECT_EQ(header.version, kQuicV1);
  EXPECT_EQ(header.dcid, Cid(dcid));  // Long headers carry their own length.
  EXPECT_EQ(header.scid, Cid(scid));
  ExpectCoversWholeDatagram(header, datagram);
}

TEST(RoutingHeaderTest, LongHeaderCidsMayBeZeroOrTwentyBytes) {
  for (size_t dcid_length : {size_t{0}, size_t{20}}) {
    for (size_t scid_length : {size_t{0}, size_t{20}}) {
      const std::vector<uint8_t> dcid = Bytes(dcid_length, 0x30);
      const std::vector<uint8_t> scid = Bytes(scid_length, 0x60);
      const std::vector<uint8_t> datagram = V1Initial(dcid, scid);
      RoutingHeader header;
      ASSERT_EQ(ParseRoutingHeader(datagram, 8, &header), HeaderParseStatus::kOk)
          << dcid_length << "/" << scid_length;
      EXPECT_EQ(header.dcid, Cid(dcid));
      EXPECT_EQ(header.scid, Cid(scid));
    }
  }
}

TEST(RoutingHeaderTest, SupportedVersionNeedsNoMinimumDatagramSize) {
  // ngtcp2 only demands 1200 bytes for versions it does not speak; padding
  // rules for a supported Initial are the connection's business.
  const std::vector<uint8_t> datagram = LongPacket(0xc0, kQuicV1, Bytes(8, 1), Bytes(8, 2), 0);
  ASSERT_EQ(datagram.size(), 1u + 4 + 1 + 8 + 1 + 8);
  RoutingHeader header;
  ASSERT_EQ(ParseRoutingHeader(datagram, 8, &header), HeaderParseStatus::kOk);
  EXPECT_EQ(header.type, LongPacketType::kInitial);
}

TEST(RoutingHeaderTest, MapsV1LongPacketTypes) {
  struct Case {
    uint8_t first_byte;
    LongPacketType type;
  };
  const Case cases[] = {
      {0xc0, LongPacketType::kInitial},    // Type bits 00.
      {0xd0, LongPacketType::kZeroRtt},    // Type bits 01.
      {0xe0, LongPacketType::kHandshake},  // Type bits 10.
      {0xf0, LongPacketType::kRetry},      // Type bits 11.
      {0xe3, LongPacketType::kHandshake},  // Low bits do not matter.
      {0xcf, LongPacketType::kInitial},    // Nor do these.
  };
  for (const Case& c : cases) {
    const std::vector<uint8_t> datagram =
        LongPacket(c.first_byte, kQuicV1, Bytes(8, 1), Bytes(8, 2), 100);
    RoutingHeader header;
    ASSERT_EQ(ParseRoutingHeader(datagram, 8, &header), HeaderParseStatus::kOk)
        << int{c.first_byte};
    EXPECT_EQ(header.type, c.type) << int{c.first_byte} << " gave " << ToString(header.type);
    EXPECT_EQ(header.version, kQuicV1);
  }
}

TEST(RoutingHeaderTest, MapsV2DraftLongPacketTypesDifferently) {
  struct Case {
    uint8_t first_byte;
    LongPacketType type;
  };
  const Case cases[] = {
      {0xc0, LongPacketType::kRetry},      // Type bits 00.
      {0xd0, LongPacketType::kInitial},    // Type bits 01.
      {0xe0, LongPacketType::kZeroRtt},    // Type bits 10.
      {0xf0, LongPacketType::kHandshake},  // Type bits 11.
  };
  for (const Case& c : cases) {
    const std::vector<uint8_t> datagram =
        LongPacket(c.first_byte, kQuicV2Draft, Bytes(8, 1), Bytes(8, 2), kMinInitialDatagram);
    RoutingHeader header;
    ASSERT_EQ(ParseRoutingHeader(datagram, 8, &header), HeaderParseStatus::kOk)
        << int{c.first_byte};
    EXPECT_EQ(header.type, c.type) << int{c.first_byte} << " gave " << ToString(header.type);
    EXPECT_EQ(header.version, kQuicV2Draft);
  }
}

TEST(RoutingHeaderTest, UnsupportedVersionAsksForVersionNegotiationWithFieldsFilled) {
  const std::vector<uint8_t> dcid = Bytes(8, 0x70);
  const std::vector<uint8_t> scid = Bytes(4, 0x80);
  const std::vector<uint8_t> datagram =
      LongPacket(0xc0, kReservedVersion, dcid, scid, kMinInitialDatagram);
  RoutingHeader header;
  ASSERT_EQ(ParseRoutingHeader(datagram, 8, &header), HeaderParseStatus::kUnsupportedVersion);
  EXPECT_EQ(header.form, PacketForm::kLong);
  EXPECT_EQ(header.type, LongPacketType::kUnknownVersion);
  EXPECT_EQ(header.version, kReservedVersion);
  EXPECT_EQ(header.dcid, Cid(dcid));
  EXPECT_EQ(header.scid, Cid(scid));
  ExpectCoversWholeDatagram(header, datagram);
}

TEST(RoutingHeaderTest, UnsupportedVersionMayCarryLongCidsThatAreNotKept) {
  // RFC 8999 allows CIDs up to 255 bytes in versions we do not know; the
  // version is still reported, and a CID that does not fit is left empty.
  const std::vector<uint8_t> dcid = Bytes(21, 0x70);
  const std::vector<uint8_t> scid = Bytes(4, 0x80);
  const std::vector<uint8_t> datagram =
      LongPacket(0xc0, kReservedVersion, dcid, scid, kMinInitialDatagram);
  RoutingHeader header;
  ASSERT_EQ(ParseRoutingHeader(datagram, 8, &header), HeaderParseStatus::kUnsupportedVersion);
  EXPECT_EQ(header.version, kReservedVersion);
  EXPECT_EQ(header.form, PacketForm::kLong);
  EXPECT_EQ(header.type, LongPacketType::kUnknownVersion);
  EXPECT_TRUE(header.dcid.empty());
  ExpectCoversWholeDatagram(header, datagram);
}

TEST(RoutingHeaderTest, UnsupportedVersionInASmallDatagramIsNotAnsweredButRejected) {
  // RFC 9000 §6.1 / §14.1: a Version Negotiation is only sent in response to
  // a datagram of at least 1200 bytes. ngtcp2 refuses smaller ones.
  const std::vector<uint8_t> datagram =
      LongPacket(0xc0, kReservedVersion, Bytes(8, 1), Bytes(8, 2), kMinInitialDatagram - 1);
  RoutingHeader header;
  EXPECT_EQ(ParseRoutingHeader(datagram, 8, &header), HeaderParseStatus::kTruncated);
}

TEST(RoutingHeaderTest, ParsesVersionNegotiationPacket) {
  const std::vector<uint8_t> dcid = Bytes(8, 0x11);
  const std::vector<uint8_t> scid = Bytes(8, 0x22);
  // Version 0, then the supported versions list (v1).
  std::vector<uint8_t> datagram = LongPacket(0x80 | 0x2a, 0, dcid, scid, 0);
  for (uint8_t b : {0x00, 0x00, 0x00, 0x01}) datagram.push_back(b);
  RoutingHeader header;
  ASSERT_EQ(ParseRoutingHeader(datagram, 8, &header), HeaderParseStatus::kOk);
  EXPECT_EQ(header.form, PacketForm::kLong);
  EXPECT_EQ(header.type, LongPacketType::kVersionNegotiation);
  EXPECT_EQ(header.version, 0u);
  EXPECT_EQ(header.dcid, Cid(dcid));
  EXPECT_EQ(header.scid, Cid(scid));
  ExpectCoversWholeDatagram(header, datagram);
}

TEST(RoutingHeaderTest, V1LongHeaderWithTwentyOneByteDcidIsCidTooLong) {
  const std::vector<uint8_t> datagram = V1Initial(Bytes(21, 1), Bytes(8, 2));
  RoutingHeader header;
  EXPECT_EQ(ParseRoutingHeader(datagram, 8, &header), HeaderParseStatus::kCidTooLong);
  // The length byte alone decides, even when the CID bytes are cut off.
  const std::vector<uint8_t> cut(datagram.begin(), datagram.begin() + 6);
  EXPECT_EQ(ParseRoutingHeader(cut, 8, &header), HeaderParseStatus::kCidTooLong);
  // So does it in every version ngtcp2 speaks (here the v2 draft).
  const std::vector<uint8_t> v2 =
      LongPacket(0xd0, kQuicV2Draft, Bytes(21, 1), Bytes(8, 2), kMinInitialDatagram);
  EXPECT_EQ(ParseRoutingHeader(v2, 8, &header), HeaderParseStatus::kCidTooLong);
}

TEST(RoutingHeaderTest, V1LongHeaderWithTwentyOneByteScidIsCidTooLong) {
  const std::vector<uint8_t> datagram = V1Initial(Bytes(8, 1), Bytes(21, 2));
  RoutingHeader header;
  EXPECT_EQ(ParseRoutingHeader(datagram, 8, &header), HeaderParseStatus::kCidTooLong);
}

TEST(RoutingHeaderTest, VersionNegotiationWithOverlongCidIsNotOk) {
  std::vector<uint8_t> datagram = LongPacket(0x80, 0, Bytes(21, 1), Bytes(8, 2), 0);
  for (uint8_t b : {0x00, 0x00, 0x00, 0x01}) datagram.push_back(b);
  RoutingHeader header;
  EXPECT_EQ(ParseRoutingHeader(datagram, 8, &header), HeaderParseStatus::kCidTooLong);
}

TEST(RoutingHeaderTest, TruncatedLongHeadersAreTruncated) {
  const std::vector<uint8_t> full = LongPacket(0xc0, kQuicV1, Bytes(8, 1), Bytes(8, 2), 0);
  ASSERT_EQ(full.size(), 23u);
  // Every proper prefix (first byte .. all but the last SCID byte) is cut short.
  for (size_t size = 1; size < full.size(); ++size) {
    const std::vector<uint8_t> prefix(full.begin(), full.begin() + size);
    RoutingHeader header;
    EXPECT_EQ(ParseRoutingHeader(prefix, 8, &header), HeaderParseStatus::kTruncated) << size;
  }
  RoutingHeader header;
  EXPECT_EQ(ParseRoutingHeader(full, 8, &header), HeaderParseStatus::kOk);
}

TEST(RoutingHeaderTest, EveryStatusAndTypeHasADistinctName) {
  std::set<std::string> statuses;
  for (HeaderParseStatus s :
       {HeaderParseStatus::kOk, HeaderParseStatus::kEmpty, HeaderParseStatus::kTruncated,
        HeaderParseStatus::kCidTooLong, HeaderParseStatus::kUnsupportedVersion}) {
    statuses.insert(ToString(s));
  }
  EXPECT_EQ(statuses.size(), 5u);
  std::set<std::string> types;
  for (LongPacketType t :
       {LongPacketType::kNone, LongPacketType::kInitial, LongPacketType::kZeroRtt,
        LongPacketType::kHandshake, LongPacketType::kRetry, LongPacketType::kVersionNegotiation,
        LongPacketType::kUnknownVersion}) {
    types.insert(ToString(t));
  }
  EXPECT_EQ(types.size(), 7u);
}

}  // namespace
}  // namespace p2pquic
