// RoutingHeader: the few header fields an endpoint needs to decide which
// connection a datagram belongs to, parsed from the first QUIC packet of a
// datagram without decrypting anything.
#pragma once

#include <cstdint>
#include <span>

#include "transport/base/connection_id.h"

namespace p2pquic {

enum class PacketForm : uint8_t { kShort, kLong };

enum class LongPacketType : uint8_t {
  kNone,  // Short header.
  kInitial,
  kZeroRtt,
  kHandshake,
  kRetry,
  kVersionNegotiation,
  kUnknownVersion,  // Long header of a version we do not speak.
};

enum class HeaderParseStatus : uint8_t {
  kOk,
  kEmpty,               // Zero-length datagram.
  kTruncated,           // Too short for the header it announces.
  kCidTooLong,          // A CID over 20 bytes in a version that forbids it.
  kUnsupportedVersion,  // Long header of an unknown version: answer with VN.
};

const char* ToString(HeaderParseStatus status);
const char* ToString(LongPacketType type);

struct RoutingHeader {
  PacketForm form = PacketForm::kShort;
  LongPacketType type = LongPacketType::kNone;
  uint32_t version = 0;  // 0 for short headers.
  ConnectionId dcid;
  ConnectionId scid;  // Empty for short headers.
  // The whole datagram: its last 16 bytes may be a stateless reset token.
  std::span<const uint8_t> datagram;
};

// Parses the first packet header of `datagram`. `short_dcid_length` is the
// length of the CIDs this endpoint issues (short headers do not carry it).
// On kUnsupportedVersion `out` holds form, version and (when they fit) CIDs.
HeaderParseStatus ParseRoutingHeader(std::span<const uint8_t> datagram, size_t short_dcid_length,
                                     RoutingHeader* out);

}  // namespace p2pquic
