#include "transport/routing/routing_header.h"

#include <ngtcp2/ngtcp2.h>

namespace p2pquic {
namespace {

constexpr uint8_t kLongHeaderBit = 0x80;
constexpr uint8_t kLongTypeMask = 0x30;
constexpr int kLongTypeShift = 4;

// RFC 9000 §17.2 (v1, draft-29) and the v2 draft number the four long types
// differently; the version decides.
LongPacketType LongTypeFor(uint32_t version, uint8_t first_byte) {
  if (version == 0) return LongPacketType::kVersionNegotiation;
  if (!ngtcp2_is_supported_version(version)) return LongPacketType::kUnknownVersion;
  const int bits = (first_byte & kLongTypeMask) >> kLongTypeShift;
  if (version == NGTCP2_PROTO_VER_V2_DRAFT) {
    static constexpr LongPacketType kV2[] = {LongPacketType::kRetry, LongPacketType::kInitial,
                                             LongPacketType::kZeroRtt, LongPacketType::kHandshake};
    return kV2[bits];
  }
  static constexpr LongPacketType kV1[] = {LongPacketType::kInitial, LongPacketType::kZeroRtt,
                                           LongPacketType::kHandshake, LongPacketType::kRetry};
  return kV1[bits];
}

// ngtcp2 reports a CID over 20 bytes in a version it speaks as a generic
// NGTCP2_ERR_INVALID_ARGUMENT, like a truncated header; this tells them apart.
bool AnnouncesOverlongCid(std::span<const uint8_t> datagram) {
  constexpr size_t kDcidLengthOffset = 5;  // First byte, 4-byte version.
  if ((datagram[0] & kLongHeaderBit) == 0 || datagram.size() <= kDcidLengthOffset) return false;
  const uint32_t version = (uint32_t{datagram[1]} << 24) | (uint32_t{datagram[2]} << 16) |
                           (uint32_t{datagram[3]} << 8) | uint32_t{datagram[4]};
  if (!ngtcp2_is_supported_version(version)) return false;
  const size_t dcid_length = datagram[kDcidLengthOffset];
  if (dcid_length > kMaxConnectionIdLength) return true;
  const size_t scid_length_offset = kDcidLengthOffset + 1 + dcid_length;
  return datagram.size() > scid_length_offset &&
         datagram[scid_length_offset] > kMaxConnectionIdLength;
}

}  // namespace

const char* ToString(HeaderParseStatus status) {
  switch (status) {
    case HeaderParseStatus::kOk:
      return "ok";
    case HeaderParseStatus::kEmpty:
      return "empty datagram";
    case HeaderParseStatus::kTruncated:
      return "truncated header";
    case HeaderParseStatus::kCidTooLong:
      return "connection ID longer than 20 bytes";
    case HeaderParseStatus::kUnsupportedVersion:
      return "unsupported QUIC version";
  }
  return "unknown";
}

const char* ToString(LongPacketType type) {
  switch (type) {
    case LongPacketType::kNone:
      return "short";
    case LongPacketType::kInitial:
      return "initial";
    case LongPacketType::kZeroRtt:
      return "0rtt";
    case LongPacketType::kHandshake:
      return "handshake";
    case LongPacketType::kRetry:
      return "retry";
    case LongPacketType::kVersionNegotiation:
      return "version_negotiation";
    case LongPacketType::kUnknownVersion:
      return "unknown_version";
  }
  return "unknown";
}

HeaderParseStatus ParseRoutingHeader(std::span<const uint8_t> datagram, size_t short_dcid_length,
                                     RoutingHeader* out) {
  if (datagram.empty()) return HeaderParseStatus::kEmpty;
  if (short_dcid_length > kMaxConnectionIdLength) return HeaderParseStatus::kCidTooLong;
  if ((datagram[0] & kLongHeaderBit) == 0) {
    // RFC 9000 §17.3: a short header is one byte, then a DCID of the length
    // we issue. The hot path: parsed here, without a call into ngtcp2.
    if (datagram.size() < 1 + short_dcid_length) return HeaderParseStatus::kTruncated;
    out->form = PacketForm::kShort;
    out->type = LongPacketType::kNone;
    out->version = 0;
    out->scid = ConnectionId();
    ConnectionId::FromBytes(datagram.subspan(1, short_dcid_length), &out->dcid);
    out->datagram = datagram;
    return HeaderParseStatus::kOk;
  }
  ngtcp2_version_cid vc{};
  const int rv =
      ngtcp2_pkt_decode_version_cid(&vc, datagram.data(), datagram.size(), short_dcid_length);
  if (rv != 0 && rv != NGTCP2_ERR_VERSION_NEGOTIATION) {
    return AnnouncesOverlongCid(datagram) ? HeaderParseStatus::kCidTooLong
                                          : HeaderParseStatus::kTruncated;
  }

  RoutingHeader header;
  header.datagram = datagram;
  const bool is_long = (datagram[0] & kLongHeaderBit) != 0;
  header.form = is_long ? PacketForm::kLong : PacketForm::kShort;
  header.version = vc.version;
  header.type = is_long ? LongTypeFor(vc.version, datagram[0]) : LongPacketType::kNone;
  const bool cids_fit =
      ConnectionId::FromBytes({vc.dcid, vc.dcidlen}, &header.dcid) == CidParseStatus::kOk &&
      ConnectionId::FromBytes({vc.scid, vc.scidlen}, &header.scid) == CidParseStatus::kOk;
  if (rv == NGTCP2_ERR_VERSION_NEGOTIATION || header.type == LongPacketType::kUnknownVersion) {
    *out = header;
    return HeaderParseStatus::kUnsupportedVersion;
  }
  if (!cids_fit) return HeaderParseStatus::kCidTooLong;
  *out = header;
  return HeaderParseStatus::kOk;
}

}  // namespace p2pquic
