// EventQueue: the simulator's discrete-event loop over virtual time.
// Events run in (time, insertion sequence) order, so events due at the same
// time keep the order they were scheduled in and a run replays exactly.
// Idle virtual time costs nothing: RunUntil jumps from event to event.
//
// Contract: single-threaded; an event may schedule or cancel others
// (including at the current time, which run after it); time never goes
// backwards (scheduling in the past runs the event at Now()).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <utility>

#include "transport/base/time.h"

namespace p2pquic::sim {

class EventQueue {
 public:
  using EventId = uint64_t;  // 0 is never an event.
  using Action = std::function<void()>;

  explicit EventQueue(Timestamp start = Timestamp(std::chrono::seconds(1))) : now_(start) {}

  Timestamp Now() const { return now_; }
  EventId Schedule(Timestamp at, Action action);
  // True if the event was pending (it will not run now).
  bool Cancel(EventId id);

  // Runs events due at or before `until`, then sets Now() to `until`.
  // Stops early (returning false) after `max_events`, a guard against a
  // simulation that never settles.
  bool RunUntil(Timestamp until, uint64_t max_events = 100'000'000);
  // Runs until `done()` holds or no event is left before `limit`.
  bool RunUntil(const std::function<bool()>& done, Timestamp limit,
                uint64_t max_events = 100'000'000);

  size_t pending() const { return events_.size(); }
  uint64_t executed() const { return executed_; }

 private:
  using Key = std::pair<Timestamp, EventId>;  // Insertion order breaks ties.
  bool RunOne();

  Timestamp now_;
  EventId next_id_ = 1;
  uint64_t executed_ = 0;
  std::map<Key, Action> events_;
  std::map<EventId, Timestamp> due_;  // For Cancel.
};

}  // namespace p2pquic::sim
