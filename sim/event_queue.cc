#include "sim/event_queue.h"

namespace p2pquic::sim {

EventQueue::EventId EventQueue::Schedule(Timestamp at, Action action) {
  const EventId id = next_id_++;
  const Timestamp due = std::max(at, now_);
  events_.emplace(Key{due, id}, std::move(action));
  due_.emplace(id, due);
  return id;
}

bool EventQueue::Cancel(EventId id) {
  auto it = due_.find(id);
  if (it == due_.end()) return false;
  events_.erase(Key{it->second, id});
  due_.erase(it);
  return true;
}

bool EventQueue::RunOne() {
  auto first = events_.begin();
  now_ = first->first.first;
  due_.erase(first->first.second);
  Action action = std::move(first->second);
  events_.erase(first);
  ++executed_;
  action();
  return true;
}

bool EventQueue::RunUntil(Timestamp until, uint64_t max_events) {
  for (uint64_t n = 0; n < max_events; ++n) {
    if (events_.empty() || events_.begin()->first.first > until) {
      now_ = std::max(now_, until);
      return true;
    }
    RunOne();
  }
  return false;
}

bool EventQueue::RunUntil(const std::function<bool()>& done, Timestamp limit, uint64_t max_events) {
  for (uint64_t n = 0; n < max_events && !done(); ++n) {
    if (events_.empty() || events_.begin()->first.first > limit) break;
    RunOne();
  }
  return done();
}

}  // namespace p2pquic::sim
