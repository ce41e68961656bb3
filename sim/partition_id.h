// PartitionId: names one Partition() of a SimNetwork so it can be healed on
// its own. The default value (0) names no partition.
#pragma once

#include <compare>
#include <cstdint>

namespace p2pquic::sim {

struct PartitionId {
  uint64_t value = 0;

  bool valid() const { return value != 0; }
  friend auto operator<=>(const PartitionId&, const PartitionId&) = default;
};

}  // namespace p2pquic::sim
