#include "transport/runtime/asio/asio_clock.h"

#include <chrono>

namespace p2pquic {

AsioClock::AsioClock(boost::asio::io_context& io) : io_(io) {}

AsioClock::~AsioClock() {
  for (auto& [id, pending] : timers_) pending->timer.cancel();
}

Timestamp AsioClock::Now() const {
  return Timestamp(
      std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now().time_since_epoch()));
}

UnixTime AsioClock::WallNow() const {
  return UnixTime(std::chrono::duration_cast<Duration>(
      std::chrono::system_clock::now().time_since_epoch()));
}

TimerId AsioClock::ScheduleAt(Timestamp deadline, TimerCallback callback) {
  const uint64_t id = next_id_++;
  auto pending = std::make_unique<PendingTimer>(
      PendingTimer{boost::asio::steady_timer(io_), std::move(callback)});
  pending->timer.expires_at(std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          deadline.time_since_epoch())));
  pending->timer.async_wait(
      [self = std::weak_ptr<AsioClock*>(self_), id](const boost::system::error_code& ec) {
        if (ec) return;
        if (const std::shared_ptr<AsioClock*> clock = self.lock()) (*clock)->Fire(id);
      });
  timers_.emplace(id, std::move(pending));
  return TimerId{id};
}

void AsioClock::Fire(uint64_t id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;  // Cancelled after the wait completed.
  TimerCallback callback = std::move(it->second->callback);
  timers_.erase(it);
  callback();
}

CancelResult AsioClock::Cancel(TimerId id) {
  auto it = timers_.find(id.value);
  if (it == timers_.end()) return CancelResult::kNotPending;
  it->second->timer.cancel();
  timers_.erase(it);
  return CancelResult::kCancelled;
}

}  // namespace p2pquic
