// FifoSerializer: a bandwidth limiter with a tail-drop queue in front of it,
// the queue model both a directed link (SimLink) and a shared bottleneck
// several links feed (SharedBottleneck) use.
//
// Model: a datagram occupies the queue from its admission until its last
// bit has left, i.e. the queue holds the bytes waiting for or in
// serialization. Datagrams leave in admission order (FIFO), each starting
// when the one before it has left; a datagram of n bytes takes
// SerializationTime(n, bandwidth). One that would not fit is dropped (tail
// drop) and changes nothing but the drop count. Without a bandwidth (0) it
// leaves at once and nothing is queued.
//
// Contract: Admit's `now` never goes backwards (the queue drains lazily up
// to it). Deterministic: no randomness.
//
// Invariants (CheckInvariants): queued bytes equal the sum of the queued
// datagrams; departures never decrease; the last departure is busy_until.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "transport/base/time.h"

namespace p2pquic::sim {

enum class Admission : uint8_t { kAdmitted, kQueueFull };

class FifoSerializer {
 public:
  // Time to put `bytes` on a link of `bandwidth_bps` (> 0), rounded up to
  // the nanosecond.
  static Duration SerializationTime(size_t bytes, uint64_t bandwidth_bps);

  // Offers a datagram of `bytes` at `now` to a serializer of `bandwidth_bps`
  // (0 = unlimited) behind a queue of `queue_bytes`. Admitted: *departure is
  // when its last bit leaves (now itself without a bandwidth). kQueueFull:
  // it would not fit; nothing changes but the drop count.
  Admission Admit(Timestamp now, size_t bytes, uint64_t bandwidth_bps, size_t queue_bytes,
                  Timestamp* departure);

  // As of the last Admit (the queue drains lazily).
  size_t queued_bytes() const { return queued_bytes_; }
  uint64_t tail_drops() const { return tail_drops_; }

  std::string CheckInvariants() const;

 private:
  struct Queued {
    Timestamp departure;
    size_t bytes;
  };
  void Drain(Timestamp now);

  std::deque<Queued> queue_;
  size_t queued_bytes_ = 0;
  Timestamp busy_until_{};
  uint64_t tail_drops_ = 0;
};

}  // namespace p2pquic::sim
