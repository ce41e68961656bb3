// AsioUdpSocket: DatagramSocket on a real, non-blocking UDP socket driven by
// a Boost.Asio io_context. Receives continuously once a handler is set;
// handlers run inside io_context::run().
//
// Writable signal: a send that meets EAGAIN (a full kernel send buffer)
// says kWouldBlock and starts one async_wait(wait_write); its completion
// runs the writable handler. A rebind while it is pending starts it again
// on the new socket, so the owed call is made.
//
// Lifetime: the socket may be destroyed, or rebound, at any time, also from
// inside its own receive handler; pending completions then see a closed
// binding and touch nothing of the destroyed object. SetReceiveHandler must
// not be called from inside the handler.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <memory>

#include "transport/runtime/clock.h"
#include "transport/runtime/datagram_socket.h"

namespace p2pquic {

// Largest UDP payload we accept (the IPv4/IPv6 limit).
inline constexpr size_t kMaxUdpPayload = 65527;

// How a socket is bound. Rebind keeps the options the socket was opened with.
struct AsioUdpSocketOptions {
  enum class PortSharing : uint8_t {
    kExclusive,  // The address is this socket's alone (the default).
    // SO_REUSEPORT: several sockets (all with kShared, same user) bind one
    // address and the kernel spreads datagrams over them by a hash of the
    // 4-tuple, or by a reuseport program attached to the group. How
    // p2pquic-node's workers share a listen address.
    kShared,
  };
  PortSharing port_sharing = PortSharing::kExclusive;
};

class AsioUdpSocket final : public DatagramSocket {
 public:
  // Binds to `local` (port 0 picks a free one). On failure returns null and
  // sets `*result`.
  static std::unique_ptr<AsioUdpSocket> Open(boost::asio::io_context& io, const Clock& clock,
                                             const SocketAddress& local, RebindResult* result);
  static std::unique_ptr<AsioUdpSocket> Open(boost::asio::io_context& io, const Clock& clock,
                                             const SocketAddress& local,
                                             const AsioUdpSocketOptions& options,
                                             RebindResult* result);
  ~AsioUdpSocket() override;

  SendResult SendTo(const SocketAddress& remote, std::span<const uint8_t> payload) override;
  // One sendmsg with UDP_SEGMENT (GSO); per-datagram sends if the kernel refuses.
  SendResult SendSegments(const SocketAddress& remote, std::span<const uint8_t> payload,
                          size_t segment_size, size_t* sent) override;
  void SetReceiveHandler(ReceiveHandler handler) override;
  void SetBurstEndHandler(BurstEndHandler handler) override;
  void SetWritableHandler(WritableHandler handler) override;
  // Datagrams dropped because they did not fit a receive slot.
  uint64_t truncated_datagrams() const;
  SocketAddress LocalAddress() const override;
  RebindResult Rebind(const SocketAddress& new_local) override;
  // The kernel socket's descriptor (for a reuseport program's socket
  // array). It changes on Rebind; the socket keeps ownership.
  int native_handle() const;

 private:
  struct Binding;

  AsioUdpSocket(boost::asio::io_context& io, const Clock& clock,
                const AsioUdpSocketOptions& options, std::shared_ptr<Binding> binding);
  static RebindResult Bind(boost::asio::io_context& io, const SocketAddress& local,
                           const AsioUdpSocketOptions& options, std::shared_ptr<Binding>* out);
  void StartReceiving();
  // Passes `result` through; on kWouldBlock starts the wait for writable.
  SendResult Noted(SendResult result);
  void AwaitWritable();

  boost::asio::io_context& io_;
  const Clock& clock_;
  AsioUdpSocketOptions options_;
  std::shared_ptr<Binding> binding_;
  std::shared_ptr<ReceiveHandler> handler_;
  std::shared_ptr<BurstEndHandler> burst_end_;
  std::shared_ptr<WritableHandler> writable_;
};

}  // namespace p2pquic
