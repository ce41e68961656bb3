// Time as the transport sees it: a point on a monotonic timeline it is handed
// by a runtime (Boost.Asio's steady clock in production, virtual time in the
// simulator). There is deliberately no now(): the transport never reads a clock.
#pragma once

#include <chrono>
#include <cstdint>

namespace p2pquic {

// Tag type for the transport's timeline. Its epoch is the runtime's choice;
// only differences between Timestamps are meaningful.
struct TransportTimeline {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  static constexpr bool is_steady = true;
};

using Duration = std::chrono::nanoseconds;
using Timestamp = std::chrono::time_point<TransportTimeline, Duration>;

// Tag type for calendar time: nanoseconds since 1970-01-01T00:00:00Z. Used
// only for what the world dates (X.509 validity), never for intervals.
struct UnixTimeline {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  static constexpr bool is_steady = false;
};
using UnixTime = std::chrono::time_point<UnixTimeline, Duration>;

// ngtcp2 counts time as unsigned nanoseconds.
inline uint64_t ToNgtcp2Timestamp(Timestamp t) {
  return static_cast<uint64_t>(t.time_since_epoch().count());
}

}  // namespace p2pquic
