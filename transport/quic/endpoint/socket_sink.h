// SocketSink: where an Endpoint's connections write their datagrams, between
// them and the DatagramSocket.
//
// - Batching: it collects a write pass's datagrams and sends runs of
//   equal-size ones to the same path as one GSO send (the last of a run may
//   be shorter); Flush sends what is collected.
// - Backpressure: a send the socket refuses with kWouldBlock (EAGAIN) is not
//   lost. The unsent datagrams are held, in order, the sink turns kBlocked,
//   and every later datagram is held behind them (none overtakes an older
//   one) until Resume, which the owner calls on the socket's writable signal:
//   it sends everything held, oldest first, and turns kWritable again, or
//   stays kBlocked if the socket filled up again (the socket then owes
//   another writable call).
// - Bound: at most `max_held` datagrams are held; past that the newest are
//   dropped and counted (held_dropped): QUIC's loss recovery resends them,
//   as for any loss. 0 holds nothing.
// - Other refusals (unreachable, too long, ...) drop that one datagram,
//   counted as send_failures, and the rest of its batch is still sent.
//
// Counts into EndpointStats: datagrams_sent and bytes_sent when the socket
// takes a datagram, sends_blocked per kWouldBlock, datagrams_held per
// datagram that had to wait, held_dropped, send_failures.
//
// Single-threaded. The socket, stats and tracer outlive the sink.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "transport/base/network_path.h"
#include "transport/quic/connection/quic_connection.h"
#include "transport/runtime/datagram_socket.h"

namespace p2pquic {

struct EndpointStats;
class EndpointTracer;

enum class WriteState : uint8_t {
  kWritable,  // Datagrams go to the socket.
  kBlocked,   // The socket said kWouldBlock: datagrams are held until Resume.
};
const char* ToString(WriteState state);

class SocketSink final : public DatagramSink {
 public:
  // `tracer` is a reference to the owner's tracer pointer, so a tracer set
  // later is seen.
  SocketSink(DatagramSocket& socket, size_t max_held, EndpointStats& stats,
             EndpointTracer* const& tracer);

  // Traces the datagram, then: kSent = collected for the next send (sent by
  // Flush at the latest); kWouldBlock = the socket is full, the datagram is
  // held (or dropped past the bound): stop writing until Resume.
  SendResult Send(const NetworkPath& path, std::span<const uint8_t> datagram) override;
  // Sends what is collected. May turn the sink kBlocked.
  void Flush();
  // The socket is writable again: sends what is held, oldest first, then
  // flushes. Returns the state after it (kBlocked: wait for the next
  // writable signal). A spurious call with nothing held is harmless.
  WriteState Resume();

  WriteState state() const { return state_; }
  size_t held() const { return held_.size(); }

 private:
  struct Held {
    NetworkPath path;
    std::vector<uint8_t> bytes;
  };

  // Whether `size` bytes to `path` may join the collected run.
  bool Continues(const NetworkPath& path, size_t size) const;
  void Collect(const NetworkPath& path, std::span<const uint8_t> datagram);
  // The newest datagram, behind everything held.
  void HoldBack(const NetworkPath& path, std::span<const uint8_t> datagram);
  // The unsent rest of the collected run (from byte `offset`), before
  // everything held: it is older.
  void HoldFront(size_t offset);
  // Drops the newest held datagrams beyond the bound.
  void Trim();

  DatagramSocket& socket_;
  const size_t max_held_;
  EndpointStats& stats_;
  EndpointTracer* const& tracer_;
  WriteState state_ = WriteState::kWritable;
  bool resuming_ = false;  // Inside Resume: what is collected was held already.
  NetworkPath path_;
  std::vector<uint8_t> batch_;
  size_t segment_ = 0;
  size_t count_ = 0;
  bool last_short_ = false;
  std::deque<Held> held_;
};

}  // namespace p2pquic
