// SimDatagramForwarder: the simulator's DatagramForwarder
// (transport/runtime/steering/datagram_forwarder.h) between the workers of
// one SimReuseportGroup. A forwarded datagram is copied and delivered to the
// owner's SteeringSocket::DeliverForwarded `delay` later in virtual time, an
// event on the run's EventQueue: the cost of a cross-worker hand-off (a
// queue between threads and the owner's wake-up), and with it the window in
// which an owner may not yet know a CID it issued (the registration race).
//
// - Forward draws nothing (the network's draw order is unchanged) and never
//   calls back into the sender: even a zero delay is a later event.
// - The delivered datagram keeps its remote and local addresses; its
//   received_at is the virtual time of the hand-off.
// - A worker with no attached socket (Detach, or never attached) drops
//   what is forwarded to it, counted in `dropped`.
//
// Invariant: forwarded == delivered + dropped + in_flight.
// Contract: single-threaded; the queue outlives the forwarder; an event
// still pending when the forwarder is destroyed does nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/event_queue.h"
#include "transport/base/time.h"
#include "transport/runtime/steering/datagram_forwarder.h"
#include "transport/runtime/steering/steering_socket.h"

namespace p2pquic::sim {

struct ForwarderStats {
  uint64_t forwarded = 0;  // Handed to Forward.
  uint64_t delivered = 0;  // Reached the owner's SteeringSocket.
  uint64_t dropped = 0;    // The owner had no socket attached at delivery.
  uint64_t in_flight = 0;  // Scheduled, not yet delivered.
};

class SimDatagramForwarder final : public DatagramForwarder {
 public:
  // `worker_count` slots, none attached yet.
  SimDatagramForwarder(EventQueue& queue, Duration delay, uint32_t worker_count);
  ~SimDatagramForwarder() override;
  SimDatagramForwarder(const SimDatagramForwarder&) = delete;
  SimDatagramForwarder& operator=(const SimDatagramForwarder&) = delete;

  // Datagrams for `worker` go to `socket` (not owned) from now on.
  void Attach(uint32_t worker, SteeringSocket* socket);
  void Detach(uint32_t worker) { Attach(worker, nullptr); }

  void Forward(uint32_t to_worker, const ReceivedDatagram& datagram) override;

  Duration delay() const { return delay_; }
  const ForwarderStats& stats() const { return stats_; }

 private:
  void Deliver(uint32_t to_worker, const std::vector<uint8_t>& bytes, const SocketAddress& remote,
               const SocketAddress& local);

  EventQueue& queue_;
  Duration delay_;
  std::vector<SteeringSocket*> targets_;  // By worker; null: not attached.
  ForwarderStats stats_;
  // False once destroyed: pending deliveries check it.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace p2pquic::sim
