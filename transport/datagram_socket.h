// DatagramSocket: how transport code sends and receives UDP datagrams.
// Production binds it to a real UDP socket (Boost.Asio); the simulator to a
// simulated host.
//
// Contract:
// - The receive handler runs on the runtime's thread, once per datagram, in
//   arrival order. The payload span is valid only during the call.
// - SendTo never blocks and never queues without bound: when the kernel (or
//   simulated link) cannot take the datagram now it says kWouldBlock.
// - Rebind moves the socket to a new local address; datagrams to the old one
//   are no longer received. The handler stays installed.
// - Datagrams arrive in bursts (all that were queued when the runtime looked);
//   after each burst the burst-end handler runs once, so the owner can answer
//   many datagrams with one write pass (one ACK for many packets).
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "transport/socket_address.h"
#include "transport/time.h"

namespace p2pquic {

struct ReceivedDatagram {
  std::span<const uint8_t> payload;
  SocketAddress remote;
  SocketAddress local;
  Timestamp received_at;
};

enum class SendResult : uint8_t {
  kSent,
  kWouldBlock,      // Try again when writable; nothing was sent.
  kMessageTooLong,  // Exceeds the path MTU / socket limit.
  kFamilyMismatch,  // IPv6 destination on an IPv4 socket, or the reverse.
  kUnreachable,     // The network said no (ICMP, no route).
  kClosed,          // The socket is closed.
  kError,           // Anything else; the datagram was not sent.
};

enum class RebindResult : uint8_t {
  kRebound,
  kAddressInUse,
  kAddressUnavailable,
  kError,
};

const char* ToString(SendResult result);
const char* ToString(RebindResult result);

class DatagramSocket {
 public:
  using ReceiveHandler = std::function<void(const ReceivedDatagram&)>;

  virtual ~DatagramSocket() = default;

  virtual SendResult SendTo(const SocketAddress& remote, std::span<const uint8_t> payload) = 0;
  // Sends `payload` as consecutive datagrams of `segment_size` bytes (the
  // last may be shorter) to `remote`: one segmentation-offload (GSO) send
  // where the kernel has it. This default sends them one by one.
  virtual SendResult SendSegments(const SocketAddress& remote, std::span<const uint8_t> payload,
                                  size_t segment_size);
  virtual void SetReceiveHandler(ReceiveHandler handler) = 0;
  using BurstEndHandler = std::function<void()>;
  virtual void SetBurstEndHandler(BurstEndHandler handler) = 0;
  virtual SocketAddress LocalAddress() const = 0;
  virtual RebindResult Rebind(const SocketAddress& new_local) = 0;
};

}  // namespace p2pquic
