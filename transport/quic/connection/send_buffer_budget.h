// SendBufferBudget: how many bytes each stream of one connection may keep in
// its send buffer (written, not yet acknowledged: ngtcp2 retransmits from
// that memory), and how many all of them keep together.
//
// A stream's buffer bounds its bytes in flight, so a fixed buffer caps a
// stream at buffer / RTT however large the windows grow: 1 MiB over a
// 300 ms RTT is 28 Mbit/s on any link (issue 8, defect 3). Instead a
// stream's limit follows the windows that bound its bytes in flight: the
// congestion window and the peer's flow-control credit for the stream, the
// smaller of the two. It may hold twice that: one window in flight and one
// more ready, so the sender never waits for the application when
// acknowledgements free a window's worth (or, in slow start, when the
// congestion window doubles in a round trip).
//
//   stream limit = clamp(2 x min(congestion, stream flow), stream_send_buffer,
//                        max_stream_send_buffer)
//   connection   = every stream's buffered bytes <= max_connection_send_buffer
//
// (QuicConfig documents the three settings.) A limit can shrink below what
// a stream already holds (the congestion window fell after a loss): the
// stream then takes nothing until acknowledgements bring it back under.
//
// Threading: single-threaded, owned by one QuicConnection.
#pragma once

#include <cstddef>
#include <cstdint>

#include "transport/quic/connection/quic_config.h"

namespace p2pquic {

class SendBufferBudget {
 public:
  // One window in flight plus one ready to send (see above).
  static constexpr uint64_t kWindowsBuffered = 2;

  // What bounds one stream's bytes in flight right now.
  struct Windows {
    uint64_t congestion = 0;   // The connection's congestion window (cwnd).
    uint64_t stream_flow = 0;  // How far past its acknowledged offset the peer lets it send.
  };

  // `config` must outlive the budget.
  explicit SendBufferBudget(const QuicConfig& config) : config_(config) {}

  // The most a stream may hold under `windows`.
  size_t StreamLimit(const Windows& windows) const;
  // How many more bytes a stream that holds `buffered` may take now: room
  // under its own limit and under the connection's.
  size_t Space(size_t buffered, const Windows& windows) const;

  // Bytes entering the connection's buffers (accepted by WriteStream) and
  // leaving them (acknowledged, or dropped with their stream).
  void Add(size_t bytes) { total_ += bytes; }
  void Release(size_t bytes) { total_ -= bytes < total_ ? bytes : total_; }
  // Every stream's buffered bytes together.
  size_t total() const { return total_; }

 private:
  const QuicConfig& config_;
  size_t total_ = 0;
};

}  // namespace p2pquic
