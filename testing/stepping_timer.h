// SteppingTimer: an OperationTimer whose every reading is `step` ns after
// the previous one, so each timed registry operation (one reading at its
// start, one at its end) lasts exactly `step` ns.
#pragma once

#include <cstdint>

#include "transport/routing/registry_settings.h"

namespace p2pquic::testing {

class SteppingTimer final : public OperationTimer {
 public:
  explicit SteppingTimer(uint64_t step_nanos) : step_nanos_(step_nanos) {}
  uint64_t NowNanos() override { return now_ += step_nanos_; }

 private:
  const uint64_t step_nanos_;
  uint64_t now_ = 0;
};

}  // namespace p2pquic::testing
