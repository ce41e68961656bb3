// SimLink: the state of one directed host-to-host link: its bandwidth
// limiter with the queue in front of it (a FifoSerializer, whose header has
// the queue model), and its loss process. The conditions themselves live in
// SimNetwork (a link follows the default until it is given its own), so
// they are passed in on every call.
//
// Invariants (CheckInvariants): the serializer's and the loss process's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/fifo_serializer.h"
#include "sim/gilbert_elliott_loss.h"
#include "sim/link_conditions.h"
#include "transport/base/time.h"

namespace p2pquic::sim {

class SimLink {
 public:
  // Offers a datagram of `bytes` at `now` to the link's serializer, with
  // the conditions' bandwidth and EffectiveQueueBytes() (FifoSerializer::Admit).
  Admission Admit(Timestamp now, size_t bytes, const LinkConditions& conditions,
                  Timestamp* departure) {
    return serializer_.Admit(now, bytes, conditions.bandwidth_bps, conditions.EffectiveQueueBytes(),
                             departure);
  }

  GilbertElliottLoss& loss() { return loss_; }
  const GilbertElliottLoss& loss() const { return loss_; }

  // As of the last Admit (the queue drains lazily).
  size_t queued_bytes() const { return serializer_.queued_bytes(); }
  uint64_t tail_drops() const { return serializer_.tail_drops(); }

  std::string CheckInvariants() const;

 private:
  FifoSerializer serializer_;
  GilbertElliottLoss loss_;
};

}  // namespace p2pquic::sim
