#include "transport/quic/connection/path_mtu_fallback.h"

#include <algorithm>

namespace p2pquic {

PathMtuStep PathMtuFallback::OnTimer(Timestamp now, size_t probed_size, size_t pto_count) {
  PathMtuStep step = PathMtuStep::kUnchanged;
  if (mode_ == PathMtuMode::kBaseFallback) {
    if (now < raise_at_) return PathMtuStep::kUnchanged;
    mode_ = PathMtuMode::kProbed;
    raise_at_ = Timestamp::max();
    step = PathMtuStep::kRaised;
  }
  if (probed_size <= kBaseDatagramSize) return step;  // Nothing to fall back from.
  if (pto_count < kBlackHolePtos) return step;
  mode_ = PathMtuMode::kBaseFallback;
  raise_at_ = now + raise_interval_;
  ++black_holes_;
  return PathMtuStep::kFellBack;
}

size_t PathMtuFallback::Cap(size_t limit) const {
  return mode_ == PathMtuMode::kBaseFallback ? std::min(limit, kBaseDatagramSize) : limit;
}

}  // namespace p2pquic
