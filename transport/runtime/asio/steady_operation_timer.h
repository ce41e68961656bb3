// SteadyOperationTimer: an OperationTimer on std::chrono::steady_clock, for
// registry debug timings in production.
#pragma once

#include <chrono>

#include "transport/routing/registry_settings.h"

namespace p2pquic {

class SteadyOperationTimer final : public OperationTimer {
 public:
  uint64_t NowNanos() override {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch())
                                     .count());
  }
};

}  // namespace p2pquic
