// MultiaddrError: why a multiaddr did not parse, naming the bad component
// ("bad /ip4 address '1.2.3'", "unknown protocol '/tcp'", "port 70000 out of
// range"). A status for code to branch on, plus the offending text for
// people to read.
#pragma once

#include <cstdint>
#include <string>

#include "transport/identity/peer_id.h"

namespace p2pquic {

enum class MultiaddrStatus : uint8_t {
  kOk,
  kEmpty,                   // No text, or no bytes.
  kTooLong,                 // Over kMaxMultiaddrTextLength / kMaxMultiaddrBytes.
  kMissingLeadingSlash,     // Text must start with '/'.
  kEmptyComponent,          // "//" in the text.
  kUnknownProtocol,         // detail: the name, e.g. "tcp".
  kUnknownProtocolCode,     // detail: the code in hex, e.g. "0x6".
  kExpectedIp,              // The address must start with /ip4 or /ip6; detail: what came.
  kMissingValue,            // detail: the protocol that lacks its value.
  kBadIp4,                  // detail: the text that is not an IPv4 address.
  kBadIp6,                  // detail: the text that is not an IPv6 address.
  kMissingUdp,              // detail: what came instead, if anything.
  kBadPort,                 // detail: the text that is not a decimal port.
  kPortOutOfRange,          // detail: the number over 65535.
  kMissingQuicV1,           // detail: what came instead, if anything.
  kQuicDraft29Unsupported,  // /quic (QUIC draft-29) instead of /quic-v1.
  kBadPeerId,               // detail: the /p2p value; peer_id_status says why.
  kUnexpectedComponent,     // Text after the end of the address; detail: the component.
  kBadVarint,               // Binary form: a protocol code or length that is no varint.
  kTruncated,               // Binary form ends inside a component; detail: its protocol.
  kTrailingBytes,           // Binary form goes on after the end of the address.
};

const char* ToString(MultiaddrStatus status);

struct MultiaddrError {
  MultiaddrStatus status = MultiaddrStatus::kOk;
  std::string detail;
  PeerIdStatus peer_id_status = PeerIdStatus::kOk;  // For kBadPeerId.

  bool ok() const { return status == MultiaddrStatus::kOk; }
  // One line naming the bad component, e.g. "bad /ip4 address '1.2.3'".
  std::string ToString() const;
};

}  // namespace p2pquic
