#include "transport/base/socket_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

namespace p2pquic {

const char* ToString(AddressParseStatus status) {
  switch (status) {
    case AddressParseStatus::kOk:
      return "ok";
    case AddressParseStatus::kMissingPort:
      return "missing ':port'";
    case AddressParseStatus::kBadPort:
      return "port is not a number in 0..65535";
    case AddressParseStatus::kBadHost:
      return "host is not a literal IPv4 or IPv6 address";
    case AddressParseStatus::kUnbracketedIpv6:
      return "IPv6 address must be written [addr]:port";
  }
  return "unknown";
}

SocketAddress SocketAddress::Ipv4(std::array<uint8_t, 4> octets, uint16_t port) {
  SocketAddress a;
  a.family_ = AddressFamily::kIpv4;
  std::memcpy(a.bytes_.data(), octets.data(), octets.size());
  a.port_ = port;
  return a;
}

SocketAddress SocketAddress::Ipv6(std::array<uint8_t, 16> bytes, uint16_t port) {
  SocketAddress a;
  a.family_ = AddressFamily::kIpv6;
  a.bytes_ = bytes;
  a.port_ = port;
  return a;
}

AddressParseStatus SocketAddress::Parse(std::string_view text, SocketAddress* out) {
  std::string_view host;
  std::string_view port_text;
  const bool bracketed = !text.empty() && text.front() == '[';
  if (bracketed) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return AddressParseStatus::kBadHost;
    host = text.substr(1, close - 1);
    if (close + 1 >= text.size() || text[close + 1] != ':') return AddressParseStatus::kMissingPort;
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return AddressParseStatus::kMissingPort;
    host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos) return AddressParseStatus::kUnbracketedIpv6;
    port_text = text.substr(colon + 1);
  }
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return AddressParseStatus::kBadPort;
  }
  const std::string host_z(host);
  SocketAddress parsed;
  if (bracketed) {
    in6_addr v6;
    if (inet_pton(AF_INET6, host_z.c_str(), &v6) != 1) return AddressParseStatus::kBadHost;
    parsed.family_ = AddressFamily::kIpv6;
    std::memcpy(parsed.bytes_.data(), &v6, 16);
  } else {
    in_addr v4;
    if (inet_pton(AF_INET, host_z.c_str(), &v4) != 1) return AddressParseStatus::kBadHost;
    parsed.family_ = AddressFamily::kIpv4;
    std::memcpy(parsed.bytes_.data(), &v4, 4);
  }
  parsed.port_ = static_cast<uint16_t>(port);
  *out = parsed;
  return AddressParseStatus::kOk;
}

SocketAddress SocketAddress::FromSockaddr(const sockaddr* addr, socklen_t len) {
  SocketAddress a;
  if (addr == nullptr) return a;
  if (addr->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in v4;
    std::memcpy(&v4, addr, sizeof(v4));
    a.family_ = AddressFamily::kIpv4;
    std::memcpy(a.bytes_.data(), &v4.sin_addr, 4);
    a.port_ = ntohs(v4.sin_port);
  } else if (addr->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 v6;
    std::memcpy(&v6, addr, sizeof(v6));
    a.family_ = AddressFamily::kIpv6;
    std::memcpy(a.bytes_.data(), &v6.sin6_addr, 16);
    a.port_ = ntohs(v6.sin6_port);
  }
  return a;
}

socklen_t SocketAddress::ToSockaddr(sockaddr_storage* out) const {
  std::memset(out, 0, sizeof(*out));
  if (family_ == AddressFamily::kIpv4) {
    sockaddr_in v4{};
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port_);
    std::memcpy(&v4.sin_addr, bytes_.data(), 4);
    std::memcpy(out, &v4, sizeof(v4));
    return sizeof(v4);
  }
  if (family_ == AddressFamily::kIpv6) {
    sockaddr_in6 v6{};
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(port_);
    std::memcpy(&v6.sin6_addr, bytes_.data(), 16);
    std::memcpy(out, &v6, sizeof(v6));
    return sizeof(v6);
  }
  return 0;
}

std::span<const uint8_t> SocketAddress::address_bytes() const {
  switch (family_) {
    case AddressFamily::kIpv4:
      return {bytes_.data(), 4};
    case AddressFamily::kIpv6:
      return {bytes_.data(), 16};
    case AddressFamily::kUnspecified:
      break;
  }
  return {};
}

SocketAddress SocketAddress::WithPort(uint16_t port) const {
  SocketAddress a = *this;
  a.port_ = port;
  return a;
}

std::string SocketAddress::ToString() const {
  char host[INET6_ADDRSTRLEN] = {};
  switch (family_) {
    case AddressFamily::kIpv4:
      inet_ntop(AF_INET, bytes_.data(), host, sizeof(host));
      return std::string(host) + ":" + std::to_string(port_);
    case AddressFamily::kIpv6:
      inet_ntop(AF_INET6, bytes_.data(), host, sizeof(host));
      return "[" + std::string(host) + "]:" + std::to_string(port_);
    case AddressFamily::kUnspecified:
      break;
  }
  return "unspecified";
}

}  // namespace p2pquic
