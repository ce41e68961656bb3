// AsioClock: Clock on Boost.Asio's steady_timer. Timestamps count from the
// steady clock's epoch. Timer callbacks run inside io_context::run(). The
// clock may be destroyed at any time, also from inside a timer callback;
// its pending callbacks then never run.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <unordered_map>

#include "transport/runtime/clock.h"

namespace p2pquic {

class AsioClock final : public Clock {
 public:
  explicit AsioClock(boost::asio::io_context& io);
  ~AsioClock() override;

  Timestamp Now() const override;
  UnixTime WallNow() const override;
  TimerId ScheduleAt(Timestamp deadline, TimerCallback callback) override;
  CancelResult Cancel(TimerId id) override;

  size_t pending_timers() const { return timers_.size(); }

 private:
  struct PendingTimer {
    boost::asio::steady_timer timer;
    TimerCallback callback;
  };

  void Fire(uint64_t id);

  boost::asio::io_context& io_;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, std::unique_ptr<PendingTimer>> timers_;
  // Pending waits hold a weak reference: a wait that already completed when
  // the clock is destroyed (its handler queued, so cancel() cannot stop it)
  // finds it expired and touches nothing.
  std::shared_ptr<AsioClock*> self_ = std::make_shared<AsioClock*>(this);
};

}  // namespace p2pquic
