// HostId: names a host of a SimNetwork (its index in AddHost order). The
// default value names no host.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <utility>

namespace p2pquic::sim {

struct HostId {
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

  uint32_t value = kNone;

  bool valid() const { return value != kNone; }
  friend auto operator<=>(const HostId&, const HostId&) = default;
};

// Destination of a datagram to an IP no host owns.
inline constexpr HostId kNoHost{};

// One direction between two hosts: (from, to). Links, cuts and shared
// bottlenecks are per direction.
using HostPair = std::pair<HostId, HostId>;

}  // namespace p2pquic::sim
