// StreamReceiveWindow: the receive window of one stream, grown the way
// ngtcp2 auto-tunes it, but as credit we extend ourselves.
//
// Why not ngtcp2's own auto-tuning (settings.max_stream_window): in ngtcp2
// 0.12.1, conn_write_pkt builds a MAX_STREAM_DATA frame with the grown
// window, queues it, and only then sets the stream's rx.max_offset, after
// the frame fits the packet. When it does not fit (another stream's
// retransmission filled the packet: NGTCP2_ERR_NOBUF), the queued frame
// goes out in the next packet with the grown limit, while rx.max_offset
// keeps the old one, and the grown window stops ngtcp2 from sending a new
// frame until the peer is past the old limit. A peer using the credit it
// was given then trips NGTCP2_ERR_FLOW_CONTROL in conn_recv_stream and the
// connection closes with FLOW_CONTROL_ERROR. Upstream fixed it in 0.19.0
// (2da36d2f, "Update strm->rx.max_offset before writing a frame to
// packet"). With ngtcp2's tuning off, every frame carries the credit
// already granted (rx.unsent_max_offset), and the stream stays queued with
// the same reason to send, so the next packet that has room sets
// rx.max_offset to at least what went out.
//
// The tuning kept: once the application has consumed half the window since
// the last update, an update happens; if the previous one was less than
// kRttFactor smoothed RTTs before, the window doubles (up to max_window),
// and the growth is extra credit on top of the consumed bytes (ngtcp2's
// NGTCP2_FLOW_WINDOW_RTT_FACTOR and NGTCP2_FLOW_WINDOW_SCALING_FACTOR).
//
// Invariants: initial window <= window() <= max(initial, max_window); the
// credit handed out is the consumed bytes plus every growth of window().
//
// Threading: single-threaded, owned by one connection.
#pragma once

#include <cstdint>
#include <optional>

#include "transport/base/time.h"

namespace p2pquic {

class StreamReceiveWindow {
 public:
  // Updates closer together than this many smoothed RTTs grow the window.
  static constexpr uint64_t kRttFactor = 2;
  // How much a growing window is multiplied by.
  static constexpr uint64_t kScalingFactor = 2;

  StreamReceiveWindow(uint64_t initial_window, uint64_t max_window);

  // The application consumed `bytes` at `now`: returns the credit to extend
  // the stream by (the bytes, plus the window's growth if it grew).
  uint64_t OnConsumed(uint64_t bytes, Timestamp now, Duration smoothed_rtt);

  uint64_t window() const { return window_; }

 private:
  uint64_t window_;
  uint64_t max_window_;
  uint64_t consumed_since_update_ = 0;
  std::optional<Timestamp> last_update_;
};

}  // namespace p2pquic
