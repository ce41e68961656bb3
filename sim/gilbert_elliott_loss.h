// GilbertElliottLoss: the loss process of one directed link.
//
// Two states, Good (every datagram kept) and Bad (every datagram lost): the
// Gilbert special case of the Gilbert-Elliott model. For each datagram the
// chain steps first, then the new state decides its fate. With loss p and
// mean burst b > 1:
//   Bad -> Good with r = 1 / b      (bursts are geometric, mean b)
//   Good -> Bad with q = p r / (1 - p)
// so the long-run Bad fraction q / (q + r) is exactly p. b == 1 is the
// independent case instead: each datagram is lost with probability p.
//
// The caller supplies the one uniform draw per datagram, so the network
// keeps every draw from its one Random in its one fixed order.
//
// Invariants (CheckInvariants): bursts <= losses <= datagrams; in a burst
// only after a loss, and then at least one burst was counted.
#pragma once

#include <cstdint>
#include <string>

namespace p2pquic::sim {

enum class LossDecision : uint8_t { kKept, kLost };

class GilbertElliottLoss {
 public:
  // `loss` and `mean_burst` must satisfy LinkConditions::Validate; `uniform`
  // is a draw in [0, 1). Parameters may change between calls (the state is
  // kept), so a link's conditions can change mid-run.
  LossDecision Next(double loss, double mean_burst, double uniform);

  bool in_burst() const { return in_burst_; }
  uint64_t datagrams() const { return datagrams_; }
  uint64_t losses() const { return losses_; }
  uint64_t bursts() const { return bursts_; }  // Runs of consecutive losses begun.

  // Empty when every invariant holds, else the first that broke.
  std::string CheckInvariants() const;

 private:
  bool NextState(double loss, double mean_burst, double uniform) const;

  bool in_burst_ = false;  // The Bad state; also "the last datagram was lost".
  uint64_t datagrams_ = 0;
  uint64_t losses_ = 0;
  uint64_t bursts_ = 0;
};

}  // namespace p2pquic::sim
