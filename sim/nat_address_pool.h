// NatAddressPool: where RebindNat finds a fresh outside address, in a fixed
// order so a run replays.
//
// - A fresh port is the next port above the current one that no mapping
//   uses, wrapping from 65535 to kFirstPort (ports below are never chosen).
// - A fresh IP is the next pool IP no host and no NAT has ever owned:
//   IPv4 203.0.113.1 .. 203.0.113.254 (TEST-NET-3, RFC 5737), IPv6
//   2001:db8:ffff::1 .. 2001:db8:ffff::ffff (documentation prefix, RFC 3849),
//   each in order, never reused.
#pragma once

#include <cstdint>
#include <functional>

#include "transport/base/socket_address.h"

namespace p2pquic::sim {

enum class PoolResult : uint8_t { kAllocated, kExhausted };

class NatAddressPool {
 public:
  static constexpr uint16_t kFirstPort = 1024;
  static constexpr uint32_t kIpv4PoolSize = 254;
  static constexpr uint32_t kIpv6PoolSize = 65535;

  // Whether an address (for ports) or an IP (port 0, for addresses) is taken.
  using Taken = std::function<bool(const SocketAddress&)>;

  // The next free port after current.port() on current's IP.
  static PoolResult NextPort(const SocketAddress& current, const Taken& taken, SocketAddress* out);
  // The next pool IP of `family` that is not taken, with `port`. Pool IPs
  // found taken are skipped for good.
  PoolResult NextAddress(AddressFamily family, uint16_t port, const Taken& taken,
                         SocketAddress* out);

 private:
  static SocketAddress PoolIp(AddressFamily family, uint32_t index);

  uint32_t next_ipv4_ = 0;
  uint32_t next_ipv6_ = 0;
};

}  // namespace p2pquic::sim
