// AllocationCounter: counts heap allocations and live heap bytes of the
// whole process, by replacing the global operator new/delete. Link it only
// into benchmark binaries (it makes every allocation a little slower).
#pragma once

#include <cstdint>

namespace p2pquic::bench {

struct AllocationSnapshot {
  uint64_t allocations;  // operator new calls so far
  int64_t live_bytes;    // bytes currently allocated (usable size)
};

AllocationSnapshot CurrentAllocations();

}  // namespace p2pquic::bench
