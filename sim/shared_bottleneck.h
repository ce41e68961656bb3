// SharedBottleneck: one queue and serializer that several directed links
// feed, as a server's access link or a home router's uplink is shared by
// every flow crossing it. Each datagram sent along one of its directions
// passes it after its own link's serializer (SimNetwork schedules that), so
// the directions' flows contend for one rate and one tail-drop queue. The
// queue model is FifoSerializer's; a bottleneck draws nothing (FIFO, tail
// drop, no loss of its own).
//
// Invariants (CheckInvariants): at least one direction, a bandwidth, and the
// serializer's (queued bytes equal the queued datagrams').
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "sim/fifo_serializer.h"
#include "sim/host_id.h"
#include "transport/base/time.h"

namespace p2pquic::sim {

class SharedBottleneck {
 public:
  // `bandwidth_bps` > 0; `queue_bytes` is the queue's room in bytes, as is
  // (SimNetwork resolves 0 to its default before it gets here).
  SharedBottleneck(std::set<HostPair> directions, uint64_t bandwidth_bps, size_t queue_bytes)
      : directions_(std::move(directions)),
        bandwidth_bps_(bandwidth_bps),
        queue_bytes_(queue_bytes) {}

  // A datagram of `bytes` reaching the bottleneck at `now` (never earlier
  // than the previous call's): FifoSerializer::Admit at this rate and queue.
  Admission Admit(Timestamp now, size_t bytes, Timestamp* departure) {
    return serializer_.Admit(now, bytes, bandwidth_bps_, queue_bytes_, departure);
  }

  const std::set<HostPair>& directions() const { return directions_; }
  uint64_t bandwidth_bps() const { return bandwidth_bps_; }
  size_t queue_bytes() const { return queue_bytes_; }
  // As of the last Admit (the queue drains lazily).
  size_t queued_bytes() const { return serializer_.queued_bytes(); }
  uint64_t tail_drops() const { return serializer_.tail_drops(); }

  std::string CheckInvariants() const;

 private:
  std::set<HostPair> directions_;
  uint64_t bandwidth_bps_;
  size_t queue_bytes_;
  FifoSerializer serializer_;
};

}  // namespace p2pquic::sim
