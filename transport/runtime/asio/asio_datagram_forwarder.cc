#include "transport/runtime/asio/asio_datagram_forwarder.h"

#include <boost/asio/post.hpp>
#include <utility>

namespace p2pquic {

AsioDatagramForwarder::AsioDatagramForwarder(uint32_t worker_count, size_t capacity)
    : capacity_(capacity) {
  lanes_.reserve(worker_count);
  for (uint32_t i = 0; i < worker_count; ++i) lanes_.push_back(std::make_unique<Lane>());
}

AsioDatagramForwarder::~AsioDatagramForwarder() = default;

void AsioDatagramForwarder::SetOwner(uint32_t worker, boost::asio::io_context& io,
                                     Deliver deliver) {
  Lane& lane = *lanes_.at(worker);
  lane.io = &io;
  lane.deliver = std::move(deliver);
}

void AsioDatagramForwarder::Forward(uint32_t to_worker, const ReceivedDatagram& datagram) {
  if (to_worker >= lanes_.size() || lanes_[to_worker]->io == nullptr) {
    unknown_dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  Lane& lane = *lanes_[to_worker];
  // The copy is made outside the lock: `datagram.payload` is the sender's
  // receive slot, valid only for this call.
  Owned owned{std::vector<uint8_t>(datagram.payload.begin(), datagram.payload.end()),
              datagram.remote, datagram.local, datagram.received_at};
  bool post = false;
  {
    std::lock_guard<std::mutex> lock(lane.mutex);
    if (lane.queue.size() >= capacity_) {
      lane.dropped.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    lane.queue.push_back(std::move(owned));
    lane.queued.fetch_add(1, std::memory_order_relaxed);
    post = !lane.drain_posted;
    lane.drain_posted = true;
  }
  // One drain per idle-to-busy change: what arrives before it runs rides along.
  if (post) boost::asio::post(*lane.io, [this, &lane] { Drain(lane); });
}

void AsioDatagramForwarder::Drain(Lane& lane) {
  std::deque<Owned> batch;
  {
    std::lock_guard<std::mutex> lock(lane.mutex);
    batch.swap(lane.queue);
    lane.drain_posted = false;
  }
  // Bounded by the capacity: what arrives meanwhile waits for the next drain.
  for (const Owned& owned : batch) {
    lane.delivered.fetch_add(1, std::memory_order_relaxed);
    if (lane.deliver) lane.deliver({owned.payload, owned.remote, owned.local, owned.received_at});
  }
}

ForwarderLaneStats AsioDatagramForwarder::lane_stats(uint32_t worker) const {
  const Lane& lane = *lanes_.at(worker);
  return {lane.queued.load(std::memory_order_relaxed),
          lane.delivered.load(std::memory_order_relaxed),
          lane.dropped.load(std::memory_order_relaxed)};
}

}  // namespace p2pquic
