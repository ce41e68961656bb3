#include "transport/multiaddr/multiaddr_error.h"

namespace p2pquic {
namespace {

std::string Quoted(const std::string& text) { return "'" + text + "'"; }

// " (found '/x')" when something stood where a component was expected.
std::string Found(const std::string& detail) {
  return detail.empty() ? "" : " (found '/" + detail + "')";
}

}  // namespace

const char* ToString(MultiaddrStatus status) {
  switch (status) {
    case MultiaddrStatus::kOk:
      return "ok";
    case MultiaddrStatus::kEmpty:
      return "empty multiaddr";
    case MultiaddrStatus::kTooLong:
      return "multiaddr is too long";
    case MultiaddrStatus::kMissingLeadingSlash:
      return "multiaddr must start with '/'";
    case MultiaddrStatus::kEmptyComponent:
      return "empty component ('//') in multiaddr";
    case MultiaddrStatus::kUnknownProtocol:
      return "unknown protocol";
    case MultiaddrStatus::kUnknownProtocolCode:
      return "unknown protocol code";
    case MultiaddrStatus::kExpectedIp:
      return "multiaddr must start with /ip4 or /ip6";
    case MultiaddrStatus::kMissingValue:
      return "missing value";
    case MultiaddrStatus::kBadIp4:
      return "bad /ip4 address";
    case MultiaddrStatus::kBadIp6:
      return "bad /ip6 address";
    case MultiaddrStatus::kMissingUdp:
      return "missing /udp";
    case MultiaddrStatus::kBadPort:
      return "bad /udp port";
    case MultiaddrStatus::kPortOutOfRange:
      return "port out of range";
    case MultiaddrStatus::kMissingQuicV1:
      return "missing /quic-v1";
    case MultiaddrStatus::kQuicDraft29Unsupported:
      return "unsupported: /quic (draft-29) is not supported, use /quic-v1";
    case MultiaddrStatus::kBadPeerId:
      return "bad /p2p peer ID";
    case MultiaddrStatus::kUnexpectedComponent:
      return "unexpected component after the end of a QUIC multiaddr";
    case MultiaddrStatus::kBadVarint:
      return "bad varint in binary form";
    case MultiaddrStatus::kTruncated:
      return "binary form ends inside a component";
    case MultiaddrStatus::kTrailingBytes:
      return "trailing bytes in binary form";
  }
  return "unknown multiaddr status";
}

std::string MultiaddrError::ToString() const {
  switch (status) {
    case MultiaddrStatus::kUnknownProtocol:
      return "unknown protocol '/" + detail + "'";
    case MultiaddrStatus::kUnknownProtocolCode:
      return "unknown protocol code " + detail;
    case MultiaddrStatus::kExpectedIp:
    case MultiaddrStatus::kMissingUdp:
    case MultiaddrStatus::kMissingQuicV1:
      return p2pquic::ToString(status) + Found(detail);
    case MultiaddrStatus::kMissingValue:
      return "missing value for /" + detail;
    case MultiaddrStatus::kBadIp4:
    case MultiaddrStatus::kBadIp6:
    case MultiaddrStatus::kBadPort:
      return std::string(p2pquic::ToString(status)) + " " + Quoted(detail);
    case MultiaddrStatus::kPortOutOfRange:
      return "port " + detail + " out of range";
    case MultiaddrStatus::kBadPeerId:
      return "bad /p2p peer ID " + Quoted(detail) + ": " + p2pquic::ToString(peer_id_status);
    case MultiaddrStatus::kUnexpectedComponent:
      return "unexpected '/" + detail + "' after the end of a QUIC multiaddr";
    case MultiaddrStatus::kTruncated:
      return "binary form ends inside /" + detail;
    default:
      return p2pquic::ToString(status);
  }
}

}  // namespace p2pquic
