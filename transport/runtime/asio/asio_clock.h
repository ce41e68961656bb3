// AsioClock: Clock on Boost.Asio's steady_timer. Timestamps count from the
// steady clock's epoch. Timer callbacks run inside io_context::run().
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <unordered_map>

#include "transport/clock.h"

namespace p2pquic {

class AsioClock final : public Clock {
 public:
  explicit AsioClock(boost::asio::io_context& io);
  ~AsioClock() override;

  Timestamp Now() const override;
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
};

}  // namespace p2pquic
