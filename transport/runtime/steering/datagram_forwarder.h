// DatagramForwarder: how a worker hands a datagram that reached its socket
// to the worker that owns it (WorkerSteering said another one). The node
// binds it to bounded queues between worker threads; the simulator to
// events a virtual forwarding delay later.
//
// Contract: Forward copies what it needs (`datagram.payload` is valid only
// for the call) and never calls back into the sender; the owner later gets
// it through its SteeringSocket::DeliverForwarded, on the owner's thread.
// A forwarder may drop a datagram (a full queue); it counts what it drops.
#pragma once

#include <cstdint>

#include "transport/runtime/datagram_socket.h"

namespace p2pquic {

class DatagramForwarder {
 public:
  virtual ~DatagramForwarder() = default;
  virtual void Forward(uint32_t to_worker, const ReceivedDatagram& datagram) = 0;
};

}  // namespace p2pquic
