#include "transport/quic/connection/send_buffer_budget.h"

#include <algorithm>
#include <limits>

namespace p2pquic {

size_t SendBufferBudget::StreamLimit(const Windows& windows) const {
  const uint64_t in_flight = std::min(windows.congestion, windows.stream_flow);
  // Saturating: a window near 2^64 (a peer's huge credit) must not wrap.
  const uint64_t wanted = in_flight > std::numeric_limits<uint64_t>::max() / kWindowsBuffered
                              ? std::numeric_limits<uint64_t>::max()
                              : in_flight * kWindowsBuffered;
  // max before min, not std::clamp: a floor above the ceiling (a
  // misconfiguration) means the floor, never undefined behaviour.
  const uint64_t limit = std::max<uint64_t>(
      config_.stream_send_buffer, std::min<uint64_t>(wanted, config_.max_stream_send_buffer));
  return static_cast<size_t>(limit);
}

size_t SendBufferBudget::Space(size_t buffered, const Windows& windows) const {
  const size_t limit = StreamLimit(windows);
  const size_t stream_room = buffered < limit ? limit - buffered : 0;
  const size_t connection_room =
      total_ < config_.max_connection_send_buffer ? config_.max_connection_send_buffer - total_ : 0;
  return std::min(stream_room, connection_room);
}

}  // namespace p2pquic
