// BottleneckId: names one shared bottleneck of a SimNetwork
// (AddBottleneck). The default value (0) names none.
#pragma once

#include <compare>
#include <cstdint>

namespace p2pquic::sim {

struct BottleneckId {
  uint64_t value = 0;

  bool valid() const { return value != 0; }
  friend auto operator<=>(const BottleneckId&, const BottleneckId&) = default;
};

}  // namespace p2pquic::sim
