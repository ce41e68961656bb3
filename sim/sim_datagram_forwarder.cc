#include "sim/sim_datagram_forwarder.h"

#include <utility>

namespace p2pquic::sim {

SimDatagramForwarder::SimDatagramForwarder(EventQueue& queue, Duration delay, uint32_t worker_count)
    : queue_(queue), delay_(delay), targets_(worker_count, nullptr) {}

SimDatagramForwarder::~SimDatagramForwarder() { *alive_ = false; }

void SimDatagramForwarder::Attach(uint32_t worker, SteeringSocket* socket) {
  if (worker < targets_.size()) targets_[worker] = socket;
}

void SimDatagramForwarder::Forward(uint32_t to_worker, const ReceivedDatagram& datagram) {
  ++stats_.forwarded;
  ++stats_.in_flight;
  // The payload is only valid during this call: the event owns a copy.
  std::vector<uint8_t> bytes(datagram.payload.begin(), datagram.payload.end());
  queue_.Schedule(queue_.Now() + delay_, [this, alive = alive_, to_worker, bytes = std::move(bytes),
                                          remote = datagram.remote, local = datagram.local] {
    if (!*alive) return;
    Deliver(to_worker, bytes, remote, local);
  });
}

void SimDatagramForwarder::Deliver(uint32_t to_worker, const std::vector<uint8_t>& bytes,
                                   const SocketAddress& remote, const SocketAddress& local) {
  --stats_.in_flight;
  SteeringSocket* target = to_worker < targets_.size() ? targets_[to_worker] : nullptr;
  if (target == nullptr) {
    ++stats_.dropped;
    return;
  }
  ++stats_.delivered;
  target->DeliverForwarded(ReceivedDatagram{bytes, remote, local, queue_.Now()});
}

}  // namespace p2pquic::sim
