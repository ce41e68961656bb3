// SimLink: the state of one directed host-to-host link: its bandwidth
// limiter with the queue in front of it, and its loss process. The
// conditions themselves live in SimNetwork (a link follows the default until
// it is given its own), so they are passed in on every call.
//
// Queue model: a datagram occupies the queue from its admission until its
// last bit has left, i.e. the queue holds the bytes waiting for or in
// serialization. Datagrams leave in admission order (FIFO), each starting
// when the one before it has left.
//
// Invariants (CheckInvariants): queued bytes equal the sum of the queued
// datagrams; departures never decrease; the last departure is busy_until.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "sim/gilbert_elliott_loss.h"
#include "sim/link_conditions.h"
#include "transport/time.h"

namespace p2pquic::sim {

enum class Admission : uint8_t { kAdmitted, kQueueFull };

class SimLink {
 public:
  // Time to put `bytes` on a link of `bandwidth_bps` (> 0), rounded up to
  // the nanosecond.
  static Duration SerializationTime(size_t bytes, uint64_t bandwidth_bps);

  // Offers a datagram of `bytes` at `now`. Admitted: *departure is when its
  // last bit leaves (now itself without a bandwidth). kQueueFull: it would
  // not fit in conditions.EffectiveQueueBytes() (tail drop); nothing changes
  // but the drop count.
  Admission Admit(Timestamp now, size_t bytes, const LinkConditions& conditions,
                  Timestamp* departure);

  GilbertElliottLoss& loss() { return loss_; }
  const GilbertElliottLoss& loss() const { return loss_; }

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
  GilbertElliottLoss loss_;
};

}  // namespace p2pquic::sim
