#include "sim/nat_address_pool.h"

namespace p2pquic::sim {
namespace {

constexpr uint32_t kPortCount = 65536;
constexpr uint32_t kPoolPortCount = kPortCount - NatAddressPool::kFirstPort;

uint16_t PortAfter(uint16_t port) {
  return port == 65535 || port < NatAddressPool::kFirstPort ? NatAddressPool::kFirstPort
                                                            : static_cast<uint16_t>(port + 1);
}

}  // namespace

PoolResult NatAddressPool::NextPort(const SocketAddress& current, const Taken& taken,
                                    SocketAddress* out) {
  uint16_t port = current.port();
  for (uint32_t tries = 0; tries < kPoolPortCount; ++tries) {
    port = PortAfter(port);
    const SocketAddress candidate = current.WithPort(port);
    if (candidate != current && !taken(candidate)) {
      *out = candidate;
      return PoolResult::kAllocated;
    }
  }
  return PoolResult::kExhausted;
}

SocketAddress NatAddressPool::PoolIp(AddressFamily family, uint32_t index) {
  const uint32_t host = index + 1;  // .0 / ::0 is the network itself.
  if (family == AddressFamily::kIpv4) {
    return SocketAddress::Ipv4({203, 0, 113, static_cast<uint8_t>(host)}, 0);
  }
  return SocketAddress::Ipv6({0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0,
                              static_cast<uint8_t>(host >> 8), static_cast<uint8_t>(host)},
                             0);
}

PoolResult NatAddressPool::NextAddress(AddressFamily family, uint16_t port, const Taken& taken,
                                       SocketAddress* out) {
  if (family == AddressFamily::kUnspecified) return PoolResult::kExhausted;
  const bool v4 = family == AddressFamily::kIpv4;
  uint32_t& next = v4 ? next_ipv4_ : next_ipv6_;
  const uint32_t size = v4 ? kIpv4PoolSize : kIpv6PoolSize;
  while (next < size) {  // Bounded: `next` only grows.
    const SocketAddress ip = PoolIp(family, next++);
    if (!taken(ip)) {
      *out = ip.WithPort(port);
      return PoolResult::kAllocated;
    }
  }
  return PoolResult::kExhausted;
}

}  // namespace p2pquic::sim
