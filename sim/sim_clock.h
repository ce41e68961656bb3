// SimClock: the transport's Clock in virtual time, on an EventQueue. Wall
// time is a fixed calendar start plus the virtual time elapsed, so X.509
// validity checks behave the same in every run.
#pragma once

#include "sim/event_queue.h"
#include "transport/runtime/clock.h"

namespace p2pquic::sim {

class SimClock final : public Clock {
 public:
  // 2026-01-01T00:00:00Z: certificates made "now" are valid in every run.
  static constexpr auto kDefaultWallStart = std::chrono::seconds(1767225600);

  explicit SimClock(EventQueue& queue, UnixTime wall_start = UnixTime(kDefaultWallStart))
      : queue_(queue), wall_start_(wall_start), start_(queue.Now()) {}

  Timestamp Now() const override { return queue_.Now(); }
  UnixTime WallNow() const override { return wall_start_ + (queue_.Now() - start_); }
  TimerId ScheduleAt(Timestamp deadline, TimerCallback callback) override {
    return TimerId{queue_.Schedule(deadline, std::move(callback))};
  }
  CancelResult Cancel(TimerId id) override {
    return queue_.Cancel(id.value) ? CancelResult::kCancelled : CancelResult::kNotPending;
  }
  // The queue it runs on (for simulator parts that schedule events of their own).
  EventQueue& queue() const { return queue_; }

 private:
  EventQueue& queue_;
  UnixTime wall_start_;
  Timestamp start_;
};

}  // namespace p2pquic::sim
