// SteeringSocket: one worker's socket on an address N workers share
// (SO_REUSEPORT), as its Endpoint sees it. Every datagram the kernel gives
// this worker is checked against the steering rule (WorkerSteering, the
// user-space twin of the kernel's reuseport program):
// - the rule names this worker, or no worker (kUnsteered): delivered here;
// - it names another worker: a misroute, handed to the DatagramForwarder
//   for the owner (counted). With the kernel program attached this only
//   happens while the group is being set up; on the kernel's 4-tuple hash
//   (the fallback) it is how every datagram reaches its owner.
// DeliverForwarded takes the other direction: a datagram another worker
// forwarded here is delivered as a burst of its own, whatever the rule
// says (it was steered once; it is never bounced on).
// Sends, the writable signal and the address are the inner socket's.
//
// Contract: single-threaded (the worker's thread); `inner` and `forwarder`
// outlive the socket; the inner socket's handlers belong to this socket
// from construction on.
#pragma once

#include <cstdint>

#include "transport/routing/worker_steering.h"
#include "transport/runtime/datagram_socket.h"
#include "transport/runtime/steering/datagram_forwarder.h"

namespace p2pquic {

struct SteeringStats {
  uint64_t delivered_here = 0;  // Steered to this worker (or unsteered) and delivered.
  uint64_t unsteered = 0;       // Of those, ones the rule assigns to no worker.
  uint64_t misrouted = 0;       // Arrived here, owned elsewhere: forwarded out.
  uint64_t forwarded_in = 0;    // Forwarded here by another worker.
};

class SteeringSocket final : public DatagramSocket {
 public:
  SteeringSocket(DatagramSocket& inner, uint32_t worker, const WorkerSteeringConfig& config,
                 DatagramForwarder& forwarder);
  ~SteeringSocket() override;
  SteeringSocket(const SteeringSocket&) = delete;
  SteeringSocket& operator=(const SteeringSocket&) = delete;

  SendResult SendTo(const SocketAddress& remote, std::span<const uint8_t> payload) override {
    return inner_.SendTo(remote, payload);
  }
  SendResult SendSegments(const SocketAddress& remote, std::span<const uint8_t> payload,
                          size_t segment_size, size_t* sent) override {
    return inner_.SendSegments(remote, payload, segment_size, sent);
  }
  void SetReceiveHandler(ReceiveHandler handler) override { handler_ = std::move(handler); }
  void SetBurstEndHandler(BurstEndHandler handler) override { burst_end_ = std::move(handler); }
  void SetWritableHandler(WritableHandler handler) override {
    inner_.SetWritableHandler(std::move(handler));
  }
  SocketAddress LocalAddress() const override { return inner_.LocalAddress(); }
  RebindResult Rebind(const SocketAddress& new_local) override { return inner_.Rebind(new_local); }

  // A datagram another worker forwarded here: delivered, then a burst end.
  void DeliverForwarded(const ReceivedDatagram& datagram);

  uint32_t worker() const { return worker_; }
  const SteeringStats& stats() const { return stats_; }

 private:
  void OnInnerDatagram(const ReceivedDatagram& datagram);

  DatagramSocket& inner_;
  uint32_t worker_;
  WorkerSteeringConfig config_;
  DatagramForwarder& forwarder_;
  ReceiveHandler handler_;
  BurstEndHandler burst_end_;
  SteeringStats stats_;
};

}  // namespace p2pquic
