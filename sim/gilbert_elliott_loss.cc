#include "sim/gilbert_elliott_loss.h"

namespace p2pquic::sim {

bool GilbertElliottLoss::NextState(double loss, double mean_burst, double uniform) const {
  if (loss <= 0) return false;
  // mean_burst == 1 promises independent losses, which no two-state chain
  // with mean run 1 gives (that chain never loses twice in a row).
  if (mean_burst <= 1) return uniform < loss;
  const double leave = 1 / mean_burst;
  const double enter = loss * leave / (1 - loss);
  return in_burst_ ? !(uniform < leave) : uniform < enter;
}

LossDecision GilbertElliottLoss::Next(double loss, double mean_burst, double uniform) {
  const bool lost = NextState(loss, mean_burst, uniform);
  ++datagrams_;
  if (lost) {
    ++losses_;
    if (!in_burst_) ++bursts_;
  }
  in_burst_ = lost;
  return lost ? LossDecision::kLost : LossDecision::kKept;
}

std::string GilbertElliottLoss::CheckInvariants() const {
  if (losses_ > datagrams_) return "more losses than datagrams";
  if (bursts_ > losses_) return "more bursts than losses";
  if (in_burst_ && bursts_ == 0) return "in a burst that was never counted";
  if (losses_ > 0 && bursts_ == 0) return "losses without a burst";
  return {};
}

}  // namespace p2pquic::sim
