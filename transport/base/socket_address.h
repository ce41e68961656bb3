// SocketAddress: an IPv4 or IPv6 address with a UDP port, as a small value
// type (20 bytes) that is cheap to hash and compare. IPv4 is kept as IPv4,
// never as an IPv4-mapped IPv6 address, so one peer has one spelling.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace p2pquic {

enum class AddressFamily : uint8_t { kUnspecified = 0, kIpv4 = 4, kIpv6 = 6 };

enum class AddressParseStatus : uint8_t {
  kOk,
  kMissingPort,      // No ":port" after the host.
  kBadPort,          // Port not a decimal number in 0..65535.
  kBadHost,          // Not a literal IPv4 or IPv6 address.
  kUnbracketedIpv6,  // IPv6 must be written "[addr]:port".
};

const char* ToString(AddressParseStatus status);

class SocketAddress {
 public:
  SocketAddress() = default;  // Unspecified family: matches nothing real.

  static SocketAddress Ipv4(std::array<uint8_t, 4> octets, uint16_t port);
  static SocketAddress Ipv6(std::array<uint8_t, 16> bytes, uint16_t port);
  static SocketAddress Loopback4(uint16_t port) { return Ipv4({127, 0, 0, 1}, port); }

  // Parses "1.2.3.4:5" or "[::1]:5". On error `out` is left unchanged.
  static AddressParseStatus Parse(std::string_view text, SocketAddress* out);

  // Converts from the kernel's form; an unsupported family gives kUnspecified.
  static SocketAddress FromSockaddr(const sockaddr* addr, socklen_t len);
  // Writes the kernel's form and returns its length (0 for kUnspecified).
  socklen_t ToSockaddr(sockaddr_storage* out) const;

  AddressFamily family() const { return family_; }
  uint16_t port() const { return port_; }
  // The address bytes: 4 for IPv4, 16 for IPv6, 0 when unspecified.
  std::span<const uint8_t> address_bytes() const;

  SocketAddress WithPort(uint16_t port) const;
  std::string ToString() const;

  friend bool operator==(const SocketAddress&, const SocketAddress&) = default;

  template <typename H>
  friend H AbslHashValue(H h, const SocketAddress& a) {
    return H::combine(std::move(h), a.family_, a.port_, a.bytes_);
  }

 private:
  std::array<uint8_t, 16> bytes_{};  // IPv4 uses the first 4, rest zero.
  uint16_t port_ = 0;
  AddressFamily family_ = AddressFamily::kUnspecified;
};

}  // namespace p2pquic
