// AsioDatagramForwarder: DatagramForwarder between worker threads, each
// driving its own io_context (p2pquic-node --workers N). One bounded queue
// ("lane") per destination worker: Forward copies the datagram into the
// owner's lane and, if the lane was idle, posts one drain to the owner's
// io_context; the drain runs on the owner's thread and hands every queued
// datagram to the owner's Deliver (SteeringSocket::DeliverForwarded).
//
// Why bounded: a worker that falls behind (or a flood of misrouted
// datagrams on the 4-tuple-hash fallback) must not grow another worker's
// memory without limit. A full lane drops the datagram and counts it; QUIC
// loss recovery resends what mattered.
//
// Contract:
// - SetOwner for every worker, from one thread, before the first Forward
//   (before any worker thread starts); the lanes' owners never change
//   afterwards. Each io_context must outlive every Forward to it (drains a
//   stopped io_context never runs are destroyed with it, touching nothing).
// - Forward may be called from any thread, concurrently; Deliver runs only
//   on the thread running the owner's io_context.
// - The forwarder outlives every io_context it posts to being run.
// Invariant: a lane holds at most kForwardQueueCapacity datagrams, and at
// most one drain per lane is posted and not yet started.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "transport/runtime/steering/datagram_forwarder.h"

namespace p2pquic {

// Datagrams a worker's lane holds before Forward drops. 1024 absorbs a
// burst of an initial congestion window from every connection a busy peer
// worker misroutes between two drains, at most ~1.5 MB of typical datagrams.
inline constexpr size_t kForwardQueueCapacity = 1024;

struct ForwarderLaneStats {
  uint64_t queued = 0;     // Accepted into this worker's lane.
  uint64_t delivered = 0;  // Handed to this worker's Deliver.
  uint64_t dropped = 0;    // Refused: the lane was full, or the worker unknown.
};

class AsioDatagramForwarder final : public DatagramForwarder {
 public:
  using Deliver = std::function<void(const ReceivedDatagram&)>;

  // `worker_count` lanes (>= 1), each holding at most `capacity` (>= 1).
  explicit AsioDatagramForwarder(uint32_t worker_count, size_t capacity = kForwardQueueCapacity);
  ~AsioDatagramForwarder() override;
  AsioDatagramForwarder(const AsioDatagramForwarder&) = delete;
  AsioDatagramForwarder& operator=(const AsioDatagramForwarder&) = delete;

  // Worker `worker`'s io_context and what receives its forwarded datagrams.
  void SetOwner(uint32_t worker, boost::asio::io_context& io, Deliver deliver);

  // Thread-safe. A `to_worker` beyond the lanes is dropped (counted on no
  // lane: unknown_dropped()).
  void Forward(uint32_t to_worker, const ReceivedDatagram& datagram) override;

  // Thread-safe snapshots.
  ForwarderLaneStats lane_stats(uint32_t worker) const;
  uint64_t unknown_dropped() const { return unknown_dropped_.load(std::memory_order_relaxed); }
  uint32_t worker_count() const { return static_cast<uint32_t>(lanes_.size()); }
  size_t capacity() const { return capacity_; }

 private:
  struct Owned {
    std::vector<uint8_t> payload;
    SocketAddress remote;
    SocketAddress local;
    Timestamp received_at;
  };
  struct Lane {
    boost::asio::io_context* io = nullptr;
    Deliver deliver;
    std::mutex mutex;
    std::deque<Owned> queue;    // Guarded by mutex.
    bool drain_posted = false;  // Guarded by mutex.
    std::atomic<uint64_t> queued{0};
    std::atomic<uint64_t> delivered{0};
    std::atomic<uint64_t> dropped{0};
  };

  void Drain(Lane& lane);

  const size_t capacity_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::atomic<uint64_t> unknown_dropped_{0};
};

}  // namespace p2pquic
