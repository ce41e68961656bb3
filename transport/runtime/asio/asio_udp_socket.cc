#include "transport/runtime/asio/asio_udp_socket.h"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <cerrno>
#include <cstring>
#include <vector>

namespace p2pquic {
namespace {

using boost::asio::ip::udp;

// Datagrams read per recvmmsg call, and per wakeup before other work gets
// a turn. Each slot holds the largest UDP payload, so no datagram is ever
// cut (1 MiB per socket).
constexpr size_t kBurstSlots = 16;
constexpr size_t kSlotBytes = kMaxUdpPayload;
constexpr size_t kMaxDatagramsPerWakeup = 256;
// Kernel socket buffers: room for a burst at high rates (best effort; the
// kernel caps them at net.core.[rw]mem_max).
constexpr int kSocketBufferBytes = 4 << 20;
// The kernel's limit on segments in one GSO send.
constexpr size_t kMaxGsoSegments = 64;
#ifndef UDP_SEGMENT
constexpr int UDP_SEGMENT = 103;
#endif

udp::endpoint ToEndpoint(const SocketAddress& address) {
  sockaddr_storage storage;
  const socklen_t len = address.ToSockaddr(&storage);
  udp::endpoint endpoint;
  std::memcpy(endpoint.data(), &storage, len);
  endpoint.resize(len);
  return endpoint;
}

SocketAddress FromEndpoint(const udp::endpoint& endpoint) {
  return SocketAddress::FromSockaddr(endpoint.data(), static_cast<socklen_t>(endpoint.size()));
}

RebindResult ToRebindResult(const boost::system::error_code& ec) {
  if (ec == boost::asio::error::address_in_use) return RebindResult::kAddressInUse;
  if (ec == boost::system::errc::address_not_available ||
      ec == boost::asio::error::address_family_not_supported) {
    return RebindResult::kAddressUnavailable;
  }
  return RebindResult::kError;
}

SendResult ToSendResult(const boost::system::error_code& ec) {
  if (ec == boost::asio::error::would_block || ec == boost::asio::error::try_again ||
      ec == boost::asio::error::no_buffer_space) {
    return SendResult::kWouldBlock;
  }
  if (ec == boost::asio::error::message_size) return SendResult::kMessageTooLong;
  if (ec == boost::asio::error::network_unreachable || ec == boost::asio::error::host_unreachable ||
      ec == boost::asio::error::connection_refused) {
    return SendResult::kUnreachable;
  }
  if (ec == boost::asio::error::bad_descriptor) return SendResult::kClosed;
  return SendResult::kError;
}

}  // namespace

// One bound kernel socket and its receive buffer. Pending completions hold a
// shared_ptr to it, so it outlives both rebinds and the AsioUdpSocket.
struct AsioUdpSocket::Binding {
  explicit Binding(boost::asio::io_context& io) : socket(io), slots(kBurstSlots * kSlotBytes) {}
  udp::socket socket;
  SocketAddress local;
  // recvmmsg state: one slot per datagram of a burst.
  std::vector<uint8_t> slots;
  std::array<mmsghdr, kBurstSlots> headers{};
  std::array<iovec, kBurstSlots> vectors{};
  std::array<sockaddr_storage, kBurstSlots> senders{};
  // A readiness wait is outstanding (at most one: they share the slots).
  bool waiting = false;
  // A wait for writable is outstanding (at most one: one call per EAGAIN episode).
  bool write_waiting = false;
  bool gso_unavailable = false;
  uint64_t truncated = 0;
};

RebindResult AsioUdpSocket::Bind(boost::asio::io_context& io, const SocketAddress& local,
                                 const AsioUdpSocketOptions& options,
                                 std::shared_ptr<Binding>* out) {
  if (local.family() == AddressFamily::kUnspecified) return RebindResult::kAddressUnavailable;
  auto binding = std::make_shared<Binding>(io);
  boost::system::error_code ec;
  const udp::endpoint endpoint = ToEndpoint(local);
  binding->socket.open(endpoint.protocol(), ec);
  if (!ec && local.family() == AddressFamily::kIpv6) {
    binding->socket.set_option(boost::asio::ip::v6_only(true), ec);
  }
  if (!ec && options.port_sharing == AsioUdpSocketOptions::PortSharing::kShared) {
    // Before bind: the kernel admits a socket to a reuseport group only if
    // it asked at bind time.
    const int on = 1;
    if (setsockopt(binding->socket.native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) !=
        0) {
      ec = boost::system::error_code(errno, boost::system::system_category());
    }
  }
  if (!ec) binding->socket.bind(endpoint, ec);
  if (!ec) binding->socket.non_blocking(true, ec);
  if (!ec) {
    boost::system::error_code best_effort;
    binding->socket.set_option(boost::asio::socket_base::receive_buffer_size(kSocketBufferBytes),
                               best_effort);
    binding->socket.set_option(boost::asio::socket_base::send_buffer_size(kSocketBufferBytes),
                               best_effort);
  }
  if (ec) return ToRebindResult(ec);
  binding->local = FromEndpoint(binding->socket.local_endpoint(ec));
  if (ec) return RebindResult::kError;
  *out = std::move(binding);
  return RebindResult::kRebound;
}

std::unique_ptr<AsioUdpSocket> AsioUdpSocket::Open(boost::asio::io_context& io, const Clock& clock,
                                                   const SocketAddress& local,
                                                   RebindResult* result) {
  return Open(io, clock, local, AsioUdpSocketOptions{}, result);
}

std::unique_ptr<AsioUdpSocket> AsioUdpSocket::Open(boost::asio::io_context& io, const Clock& clock,
                                                   const SocketAddress& local,
                                                   const AsioUdpSocketOptions& options,
                                                   RebindResult* result) {
  std::shared_ptr<Binding> binding;
  *result = Bind(io, local, options, &binding);
  if (*result != RebindResult::kRebound) return nullptr;
  return std::unique_ptr<AsioUdpSocket>(new AsioUdpSocket(io, clock, options, std::move(binding)));
}

AsioUdpSocket::AsioUdpSocket(boost::asio::io_context& io, const Clock& clock,
                             const AsioUdpSocketOptions& options, std::shared_ptr<Binding> binding)
    : io_(io),
      clock_(clock),
      options_(options),
      binding_(std::move(binding)),
      handler_(std::make_shared<ReceiveHandler>()),
      burst_end_(std::make_shared<BurstEndHandler>()),
      writable_(std::make_shared<WritableHandler>()) {}

AsioUdpSocket::~AsioUdpSocket() {
  // Closing is enough: the receive loop stops at its next completion. The
  // handler object is left alone; it may be the caller of this destructor.
  boost::system::error_code ignored;
  binding_->socket.close(ignored);
}

SocketAddress AsioUdpSocket::LocalAddress() const { return binding_->local; }

int AsioUdpSocket::native_handle() const { return binding_->socket.native_handle(); }

SendResult AsioUdpSocket::SendTo(const SocketAddress& remote, std::span<const uint8_t> payload) {
  if (!binding_->socket.is_open()) return SendResult::kClosed;
  if (remote.family() != binding_->local.family()) return SendResult::kFamilyMismatch;
  boost::system::error_code ec;
  binding_->socket.send_to(boost::asio::buffer(payload.data(), payload.size()), ToEndpoint(remote),
                           0, ec);
  return ec ? Noted(ToSendResult(ec)) : SendResult::kSent;
}

SendResult AsioUdpSocket::Noted(SendResult result) {
  if (result == SendResult::kWouldBlock) AwaitWritable();
  return result;
}

void AsioUdpSocket::AwaitWritable() {
  if (binding_->write_waiting) return;
  binding_->write_waiting = true;
  // Like the receive loop: the completion owns what it needs, never `this`.
  binding_->socket.async_wait(udp::socket::wait_write, [binding = binding_, writable = writable_](
                                                           const boost::system::error_code& ec) {
    binding->write_waiting = false;
    if (ec == boost::asio::error::operation_aborted || !binding->socket.is_open() || !*writable) {
      return;  // Closed, rebound away (Rebind waits again), or nobody to tell.
    }
    // A copy: the handler may replace itself while it runs.
    const WritableHandler call = *writable;
    call();
  });
}

void AsioUdpSocket::SetWritableHandler(WritableHandler handler) { *writable_ = std::move(handler); }

void AsioUdpSocket::SetReceiveHandler(ReceiveHandler handler) {
  *handler_ = std::move(handler);
  // A wait still outstanding from an earlier handler serves this one.
  if (*handler_) StartReceiving();
}

void AsioUdpSocket::SetBurstEndHandler(BurstEndHandler handler) {
  *burst_end_ = std::move(handler);
}

uint64_t AsioUdpSocket::truncated_datagrams() const { return binding_->truncated; }

SendResult AsioUdpSocket::SendSegments(const SocketAddress& remote,
                                       std::span<const uint8_t> payload, size_t segment_size,
                                       size_t* sent) {
  *sent = 0;
  const size_t segments = (payload.size() + segment_size - 1) / segment_size;
  if (segments <= 1 || segments > kMaxGsoSegments || binding_->gso_unavailable) {
    return DatagramSocket::SendSegments(remote, payload, segment_size, sent);
  }
  if (!binding_->socket.is_open()) return SendResult::kClosed;
  if (remote.family() != binding_->local.family()) return SendResult::kFamilyMismatch;
  sockaddr_storage to;
  iovec vector{const_cast<uint8_t*>(payload.data()), payload.size()};
  msghdr message{};
  message.msg_name = &to;
  message.msg_namelen = remote.ToSockaddr(&to);
  message.msg_iov = &vector;
  message.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(uint16_t))] = {};
  message.msg_control = control;
  message.msg_controllen = sizeof(control);
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_UDP;
  header->cmsg_type = UDP_SEGMENT;
  header->cmsg_len = CMSG_LEN(sizeof(uint16_t));
  const uint16_t size = static_cast<uint16_t>(segment_size);
  std::memcpy(CMSG_DATA(header), &size, sizeof(size));
  if (sendmsg(binding_->socket.native_handle(), &message, 0) >= 0) {
    *sent = segments;
    return SendResult::kSent;
  }
  if (errno == EIO || errno == EINVAL || errno == ENOPROTOOPT || errno == EOPNOTSUPP) {
    binding_->gso_unavailable = true;  // No GSO on this path: one by one from now on.
    return DatagramSocket::SendSegments(remote, payload, segment_size, sent);
  }
  return Noted(ToSendResult(boost::system::error_code(errno, boost::system::system_category())));
}

namespace {

// Reads what is queued, up to kMaxDatagramsPerWakeup, handing each datagram
// to `handler`. False when the socket closed or the handler went away.
template <typename Binding, typename Handler>
bool DrainBurst(Binding& b, const std::shared_ptr<Handler>& handler, const Clock& clock) {
  size_t delivered = 0;
  while (delivered < kMaxDatagramsPerWakeup) {
    for (size_t i = 0; i < kBurstSlots; ++i) {
      b.vectors[i] = {b.slots.data() + i * kSlotBytes, kSlotBytes};
      b.headers[i] = {};
      b.headers[i].msg_hdr.msg_name = &b.senders[i];
      b.headers[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      b.headers[i].msg_hdr.msg_iov = &b.vectors[i];
      b.headers[i].msg_hdr.msg_iovlen = 1;
    }
    const int n =
        recvmmsg(b.socket.native_handle(), b.headers.data(), kBurstSlots, MSG_DONTWAIT, nullptr);
    if (n <= 0) return true;  // Drained (EAGAIN), or an ICMP error: wait again.
    const Timestamp now = clock.Now();
    for (int i = 0; i < n; ++i) {
      const msghdr& h = b.headers[i].msg_hdr;
      if ((h.msg_flags & MSG_TRUNC) != 0) {
        ++b.truncated;
        continue;
      }
      const ReceivedDatagram datagram{
          {b.slots.data() + i * kSlotBytes, b.headers[i].msg_len},
          SocketAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&b.senders[i]),
                                      h.msg_namelen),
          b.local,
          now};
      (*handler)(datagram);
      if (!b.socket.is_open() || !*handler) return false;
    }
    delivered += static_cast<size_t>(n);
    if (static_cast<size_t>(n) < kBurstSlots) return true;
  }
  return true;
}

}  // namespace

void AsioUdpSocket::StartReceiving() {
  if (binding_->waiting) return;
  // The loop owns what it needs; `this` is never captured.
  struct Loop {
    std::shared_ptr<Binding> binding;
    std::shared_ptr<ReceiveHandler> handler;
    std::shared_ptr<BurstEndHandler> burst_end;
    const Clock* clock;
    void operator()() const {
      binding->waiting = true;
      binding->socket.async_wait(udp::socket::wait_read,
                                 [loop = *this](const boost::system::error_code& ec) {
                                   loop.binding->waiting = false;
                                   if (ec == boost::asio::error::operation_aborted ||
                                       !loop.binding->socket.is_open() || !*loop.handler) {
                                     return;  // Closed, rebound away, or handler removed.
                                   }
                                   const auto keep_handler = loop.handler;
                                   const auto keep_burst_end = loop.burst_end;
                                   if (!DrainBurst(*loop.binding, keep_handler, *loop.clock))
                                     return;
                                   if (*keep_burst_end) (*keep_burst_end)();
                                   if (loop.binding->socket.is_open() && *keep_handler) loop();
                                 });
    }
  };
  Loop{binding_, handler_, burst_end_, &clock_}();
}

RebindResult AsioUdpSocket::Rebind(const SocketAddress& new_local) {
  std::shared_ptr<Binding> fresh;
  const RebindResult result = Bind(io_, new_local, options_, &fresh);
  if (result != RebindResult::kRebound) return result;
  boost::system::error_code ignored;
  binding_->socket.close(ignored);  // Aborts its waits.
  const bool owed_writable = binding_->write_waiting;
  binding_ = std::move(fresh);
  if (*handler_) StartReceiving();
  if (owed_writable) AwaitWritable();  // A fresh socket is writable at once.
  return RebindResult::kRebound;
}

}  // namespace p2pquic
