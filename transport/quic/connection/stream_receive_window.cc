#include "transport/quic/connection/stream_receive_window.h"

#include <algorithm>

namespace p2pquic {

StreamReceiveWindow::StreamReceiveWindow(uint64_t initial_window, uint64_t max_window)
    : window_(initial_window), max_window_(std::max(initial_window, max_window)) {}

uint64_t StreamReceiveWindow::OnConsumed(uint64_t bytes, Timestamp now, Duration smoothed_rtt) {
  consumed_since_update_ += bytes;
  // ngtcp2 sends MAX_STREAM_DATA once the unsent credit exceeds half the
  // window; the update happens at the same point.
  if (2 * consumed_since_update_ <= window_) return bytes;
  uint64_t growth = 0;
  if (last_update_ && now - *last_update_ < smoothed_rtt * static_cast<Duration::rep>(kRttFactor) &&
      window_ < max_window_) {
    growth = std::min(kScalingFactor * window_, max_window_) - window_;
    window_ += growth;
  }
  last_update_ = now;
  consumed_since_update_ = 0;
  return bytes + growth;
}

}  // namespace p2pquic
