// SimSocket: the transport's DatagramSocket seam bound to a SimNetwork; the
// transport runs over it unchanged. SimNetwork::Bind makes them.
//
// - SendTo: kSent once the network has the datagram (whatever its fate),
//   kFamilyMismatch for the other family, kMessageTooLong above
//   kMaxUdpPayload (the socket's own limit; a link's mtu drops silently),
//   kWouldBlock when the send buffer is full (below).
// - Send buffer (SO_SNDBUF; off by default): with SetSendBufferBytes(n > 0)
//   a datagram occupies the buffer from its send until its last bit leaves
//   its own link's serializer (so only links with a bandwidth hold bytes;
//   a shared bottleneck further on holds none), and the buffer drains as
//   the links serialise. As in Linux, a send is taken
//   while less than n bytes are buffered (one datagram may overshoot) and
//   refused with kWouldBlock otherwise, before the network sees it (no
//   event, no draw). The writable handler then runs once, at the virtual
//   time the buffer has drained to n / 2 or less (Linux's sock_writeable).
//   Off (0), SendTo never says kWouldBlock and the handler never runs.
// - Each delivered datagram is its own burst: the burst-end handler runs
//   right after the receive handler.
// - Rebind moves to another address of the same host (port 0: an ephemeral
//   port); datagrams to the old address are no longer received. A NAT
//   mapping belongs to the inside address, not the socket, so it does not
//   follow. The send buffer and a pending writable call stay with the socket.
// - The network must outlive the socket; destroying the socket unbinds it
//   (datagrams still in flight to it end kUnroutable). A handler may
//   destroy its socket; nothing of the socket is touched after that.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>

#include "transport/runtime/datagram_socket.h"
#include "transport/base/time.h"

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
  void SetWritableHandler(WritableHandler handler) override { writable_ = std::move(handler); }
  SocketAddress LocalAddress() const override { return local_; }
  RebindResult Rebind(const SocketAddress& new_local) override;

  // The send buffer's size in bytes; 0 (the default) = unlimited. Applies
  // to the next send; bytes already buffered stay until they leave.
  void SetSendBufferBytes(size_t bytes) { send_buffer_bytes_ = bytes; }
  size_t send_buffer_bytes() const { return send_buffer_bytes_; }
  // Bytes buffered at the network's current time.
  size_t buffered_bytes();

 private:
  friend class SimNetwork;
  SimSocket(SimNetwork& network, const SocketAddress& local) : network_(network), local_(local) {}
  void Receive(const ReceivedDatagram& datagram);
  // Forgets what has left by `now`.
  void Release(Timestamp now);
  // Schedules the writable call for when the buffer is down to half.
  void AwaitWritable();

  SimNetwork& network_;
  SocketAddress local_;
  ReceiveHandler handler_;
  BurstEndHandler burst_end_;
  WritableHandler writable_;
  size_t send_buffer_bytes_ = 0;
  // Bytes sent and not yet serialised, by departure time (links differ, so
  // departures interleave).
  std::multimap<Timestamp, size_t> departures_;
  size_t buffered_ = 0;
  bool writable_scheduled_ = false;
  // False once destroyed: Receive and the writable event check it.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace p2pquic::sim
