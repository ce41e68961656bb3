// SimSocket: the transport's DatagramSocket seam bound to a SimNetwork; the
// transport runs over it unchanged. SimNetwork::Bind makes them.
//
// - SendTo never blocks: kSent once the network has the datagram (whatever
//   its fate), kFamilyMismatch for the other family, kMessageTooLong above
//   kMaxUdpPayload (the socket's own limit; a link's mtu drops silently).
// - Each delivered datagram is its own burst: the burst-end handler runs
//   right after the receive handler.
// - Rebind moves to another address of the same host (port 0: an ephemeral
//   port); datagrams to the old address are no longer received. A NAT
//   mapping belongs to the inside address, not the socket, so it does not
//   follow.
// - The network must outlive the socket; destroying the socket unbinds it
//   (datagrams still in flight to it end kUnroutable). A handler may
//   destroy its socket; nothing of the socket is touched after that.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "transport/datagram_socket.h"

namespace p2pquic::sim {

class SimNetwork;

class SimSocket final : public DatagramSocket {
 public:
  SimSocket(const SimSocket&) = delete;
  SimSocket& operator=(const SimSocket&) = delete;
  ~SimSocket() override;

  SendResult SendTo(const SocketAddress& remote, std::span<const uint8_t> payload) override;
  void SetReceiveHandler(ReceiveHandler handler) override { handler_ = std::move(handler); }
  void SetBurstEndHandler(BurstEndHandler handler) override { burst_end_ = std::move(handler); }
  SocketAddress LocalAddress() const override { return local_; }
  RebindResult Rebind(const SocketAddress& new_local) override;

 private:
  friend class SimNetwork;
  SimSocket(SimNetwork& network, const SocketAddress& local) : network_(network), local_(local) {}
  void Receive(const ReceivedDatagram& datagram);

  SimNetwork& network_;
  SocketAddress local_;
  ReceiveHandler handler_;
  BurstEndHandler burst_end_;
  // False once destroyed: Receive checks it after the receive handler.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace p2pquic::sim
