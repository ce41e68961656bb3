// QuicConfig: every QUIC-level setting of a p2pquic connection. Each one is
// wired into ngtcp2 or the connection's own buffers (and a test says so).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "transport/base/time.h"

namespace p2pquic {

struct QuicConfig {
  // The ALPN protocol libp2p requires.
  std::string alpn = "libp2p";
  // Close after this long without packets (QUIC max_idle_timeout).
  Duration idle_timeout = std::chrono::seconds(30);
  // Give up a handshake that has not completed after this long.
  Duration handshake_timeout = std::chrono::seconds(10);
  // Send a PING when idle this long, so NATs and the idle timer stay open;
  // zero disables keep-alive.
  Duration keep_alive = Duration::zero();
  // Flow-control windows we grant the peer: the whole connection, and each
  // stream. ngtcp2 auto-tunes up to the max_* values.
  uint64_t connection_window = 4 << 20;
  uint64_t stream_window = 1 << 20;
  uint64_t max_connection_window = 24 << 20;
  uint64_t max_stream_window = 16 << 20;
  // Streams the peer may open (bidirectional; libp2p uses no unidirectional).
  uint64_t max_inbound_streams = 256;
  // Streams we keep open at once on one connection (the peer's own limit
  // applies as well; OpenStream says which one stopped it).
  uint64_t max_outbound_streams = 256;
  // Send buffers: a stream keeps the bytes written to it until the peer
  // acknowledges them, so its buffer bounds its bytes in flight. Each stream
  // may hold twice what the congestion and flow-control windows let it have
  // in flight (SendBufferBudget, send_buffer_budget.h), within these limits:
  // - stream_send_buffer: what a stream may hold while the windows are
  //   small (a new connection); the floor of its limit.
  // - max_stream_send_buffer: the ceiling of one stream's limit; twice
  //   max_stream_window, since the peer never lets more than its window be
  //   in flight on one stream.
  // - max_connection_send_buffer: all streams of the connection together;
  //   twice max_connection_window, for the same reason. WriteStream takes
  //   only what fits under both the stream's and the connection's limit.
  size_t stream_send_buffer = 1 << 20;
  size_t max_stream_send_buffer = 32 << 20;
  size_t max_connection_send_buffer = 48 << 20;
  // After a path MTU black hole (QuicConnection falls back to 1200-byte
  // datagrams), how long before it sends at the size PMTUD had reached
  // again: RFC 8899's PMTU_RAISE_TIMER. A black hole still there is found
  // again (a stall of a few PTOs) and the fallback repeats.
  Duration pmtu_raise_interval = std::chrono::seconds(600);
  // CIDs of ours the peer may hold (RFC 9000 §5.1.1; ngtcp2's default is 2).
  uint64_t active_connection_id_limit = 4;
  // Length of the CIDs we issue.
  size_t local_cid_length = 8;
  // Datagrams one Write call may produce before returning.
  size_t max_datagrams_per_write = 64;
  // Server side: send disable_active_migration (RFC 9000 §18.2), for a
  // server that cannot follow a client to a new address (e.g. behind a
  // load balancer that routes by 4-tuple). A client must then not migrate;
  // QuicConnection::Migrate says kPeerDisallows.
  bool disable_active_migration = false;
};

}  // namespace p2pquic
