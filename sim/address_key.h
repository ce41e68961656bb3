// AddressKey: a SocketAddress as an ordered map key (family, IP bytes,
// port). The network keys every map with it so iteration order, and with it
// every run, is the same on every machine (no hash-order dependence).
#pragma once

#include <algorithm>
#include <array>
#include <compare>
#include <cstdint>

#include "transport/base/socket_address.h"

namespace p2pquic::sim {

struct AddressKey {
  AddressFamily family = AddressFamily::kUnspecified;
  std::array<uint8_t, 16> ip{};
  uint16_t port = 0;

  // The whole address.
  static AddressKey Of(const SocketAddress& address) {
    AddressKey key;
    key.family = address.family();
    const auto bytes = address.address_bytes();
    std::copy(bytes.begin(), bytes.end(), key.ip.begin());
    key.port = address.port();
    return key;
  }
  // The IP alone (port 0): hosts and NATs own IPs, not ports.
  static AddressKey IpOf(const SocketAddress& address) { return Of(address.WithPort(0)); }

  friend auto operator<=>(const AddressKey&, const AddressKey&) = default;
};

}  // namespace p2pquic::sim
