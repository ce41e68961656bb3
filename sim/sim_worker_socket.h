// SimWorkerSocket: one worker's socket in a SimReuseportGroup, the
// simulator's counterpart of one SO_REUSEPORT socket of a multi-worker
// node. It receives only what the group's demux hands it (Receive) and
// sends through the group's one shared SimSocket, so the network sees a
// single socket at the host's address whatever the worker count.
//
// - SendTo / SendSegments: the shared socket's. A kWouldBlock marks this
//   worker as owed a writable call; the group makes it when the shared
//   socket becomes writable (Writable), owed workers in index order.
// - Rebind: refused (kError). A reuseport group is a server's listening
//   address; moving one worker alone would leave the group.
// - Each datagram the group hands over is its own burst, as SimSocket's.
//
// Contract: single-threaded; the shared socket outlives this one (the
// group owns both). The group clears nothing on its behalf: the owner of
// the handlers (a SteeringSocket, then the Endpoint) resets them.
#pragma once

#include <cstdint>
#include <span>

#include "sim/sim_socket.h"
#include "transport/runtime/datagram_socket.h"

namespace p2pquic::sim {

enum class WritableOwed : uint8_t { kNo, kYes };

class SimWorkerSocket final : public DatagramSocket {
 public:
  SimWorkerSocket(SimSocket& shared, uint32_t worker) : shared_(shared), worker_(worker) {}
  SimWorkerSocket(const SimWorkerSocket&) = delete;
  SimWorkerSocket& operator=(const SimWorkerSocket&) = delete;

  SendResult SendTo(const SocketAddress& remote, std::span<const uint8_t> payload) override;
  void SetReceiveHandler(ReceiveHandler handler) override { handler_ = std::move(handler); }
  void SetBurstEndHandler(BurstEndHandler handler) override { burst_end_ = std::move(handler); }
  void SetWritableHandler(WritableHandler handler) override { writable_ = std::move(handler); }
  SocketAddress LocalAddress() const override { return shared_.LocalAddress(); }
  RebindResult Rebind(const SocketAddress& new_local) override;

  // The group's demux: one datagram for this worker, then its burst end.
  void Receive(const ReceivedDatagram& datagram);
  // The shared socket is writable: calls the handler if a send of this
  // worker was refused since the last call.
  void Writable();

  uint32_t worker() const { return worker_; }
  uint64_t received() const { return received_; }

 private:
  SimSocket& shared_;
  uint32_t worker_;
  ReceiveHandler handler_;
  BurstEndHandler burst_end_;
  WritableHandler writable_;
  WritableOwed owed_ = WritableOwed::kNo;
  uint64_t received_ = 0;
};

}  // namespace p2pquic::sim
