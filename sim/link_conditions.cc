#include "sim/link_conditions.h"

namespace p2pquic::sim {
namespace {

// Written so that NaN fails too.
bool IsProbability(double p) { return p >= 0 && p <= 1; }

}  // namespace

const char* ToString(ConditionsCheck check) {
  switch (check) {
    case ConditionsCheck::kValid:
      return "valid";
    case ConditionsCheck::kNegativeTime:
      return "negative delay or jitter";
    case ConditionsCheck::kBadProbability:
      return "probability outside [0, 1]";
    case ConditionsCheck::kBadLossBurst:
      return "loss_burst below 1";
    case ConditionsCheck::kLossTooHighForBurst:
      return "loss above loss_burst / (loss_burst + 1)";
    case ConditionsCheck::kBadMtu:
      return "mtu outside 1..65507";
  }
  return "unknown";
}

ConditionsCheck LinkConditions::Validate() const {
  if (delay < Duration::zero() || jitter < Duration::zero()) return ConditionsCheck::kNegativeTime;
  if (!IsProbability(loss) || !IsProbability(duplicate) || !IsProbability(corrupt)) {
    return ConditionsCheck::kBadProbability;
  }
  if (!(loss_burst >= 1)) return ConditionsCheck::kBadLossBurst;
  // Above 1 the chain leaves a burst with probability 1/b and enters one with
  // q = loss / (b (1 - loss)); q must be a probability.
  if (loss_burst > 1 && loss > loss_burst / (loss_burst + 1)) {
    return ConditionsCheck::kLossTooHighForBurst;
  }
  if (mtu == 0 || mtu > kMaxUdpPayload) return ConditionsCheck::kBadMtu;
  return ConditionsCheck::kValid;
}

}  // namespace p2pquic::sim
