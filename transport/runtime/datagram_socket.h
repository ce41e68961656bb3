// DatagramSocket: how transport code sends and receives UDP datagrams.
// Production binds it to a real UDP socket (Boost.Asio); the simulator to a
// simulated host.
//
// Contract:
// - The receive handler runs on the runtime's thread, once per datagram, in
//   arrival order. The payload span is valid only during the call.
// - SendTo never blocks and never queues without bound: when the kernel (or
//   simulated socket) cannot take the datagram now it says kWouldBlock, and
//   the writable handler tells the owner when to try again. kWouldBlock is
//   backpressure, not loss: nothing was sent, and nothing needs resending
//   that the owner keeps.
// - Rebind moves the socket to a new local address; datagrams to the old one
//   are no longer received. The handler stays installed.
// - Datagrams arrive in bursts (all that were queued when the runtime looked);
//   after each burst the burst-end handler runs once, so the owner can answer
//   many datagrams with one write pass (one ACK for many packets).
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "transport/base/socket_address.h"
#include "transport/base/time.h"

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
  // where the kernel has it. kSent when every datagram was sent; otherwise
  // the result for the first datagram that was not, and `*sent` says how
  // many before it were (the caller decides about that one and the rest; a
  // GSO send is all or nothing, *sent = 0). This default sends them one by
  // one and stops at the first that is not sent.
  virtual SendResult SendSegments(const SocketAddress& remote, std::span<const uint8_t> payload,
                                  size_t segment_size, size_t* sent);
  virtual void SetReceiveHandler(ReceiveHandler handler) = 0;
  using BurstEndHandler = std::function<void()>;
  virtual void SetBurstEndHandler(BurstEndHandler handler) = 0;
  // The writable signal. After a SendTo or SendSegments said kWouldBlock,
  // the runtime calls the handler once, on its thread and never from inside
  // a send, when the socket can take data again. Further kWouldBlock
  // results before that call do not add calls; a send after it may still
  // say kWouldBlock (another call is then owed). A call owed when the socket
  // is rebound is still made. Set null to stop the calls (the owner's
  // destructor must).
  using WritableHandler = std::function<void()>;
  virtual void SetWritableHandler(WritableHandler handler) = 0;
  virtual SocketAddress LocalAddress() const = 0;
  virtual RebindResult Rebind(const SocketAddress& new_local) = 0;
};

}  // namespace p2pquic
