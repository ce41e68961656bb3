// Clock: the only way transport code learns the time or waits for it.
//
// Contract:
// - Now() is monotonic and never goes backwards.
// - A timer callback runs at most once, on the runtime's thread, never from
//   inside ScheduleAt() or Cancel(). It may schedule or cancel other timers.
// - After Cancel() returns kCancelled the callback will not run.
#pragma once

#include <cstdint>
#include <functional>

#include "transport/base/time.h"

namespace p2pquic {

struct TimerId {
  uint64_t value = 0;  // 0 is never a live timer.
  friend bool operator==(TimerId, TimerId) = default;
};

enum class CancelResult : uint8_t {
  kCancelled,   // The timer was pending and will not fire.
  kNotPending,  // Already fired, already cancelled, or never scheduled.
};

class Clock {
 public:
  using TimerCallback = std::function<void()>;

  virtual ~Clock() = default;

  virtual Timestamp Now() const = 0;

  // Calendar time, for what the world dates (X.509 validity windows). Not
  // monotonic; never use it to measure intervals.
  virtual UnixTime WallNow() const = 0;

  // Runs `callback` once, at or after `deadline` (a past deadline fires as
  // soon as the runtime gets to it).
  virtual TimerId ScheduleAt(Timestamp deadline, TimerCallback callback) = 0;

  virtual CancelResult Cancel(TimerId id) = 0;
};

}  // namespace p2pquic
