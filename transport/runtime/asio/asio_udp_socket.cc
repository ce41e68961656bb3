#include "transport/runtime/asio/asio_udp_socket.h"

#include <boost/asio/error.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <cstring>

namespace p2pquic {
namespace {

using boost::asio::ip::udp;

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
  explicit Binding(boost::asio::io_context& io) : socket(io) {}
  udp::socket socket;
  SocketAddress local;
  udp::endpoint sender;
  std::array<uint8_t, kMaxUdpPayload> buffer;
  // A receive is outstanding. At most one may be: they share `buffer` and
  // `sender`.
  bool receiving = false;
};

RebindResult AsioUdpSocket::Bind(boost::asio::io_context& io, const SocketAddress& local,
                                 std::shared_ptr<Binding>* out) {
  if (local.family() == AddressFamily::kUnspecified) return RebindResult::kAddressUnavailable;
  auto binding = std::make_shared<Binding>(io);
  boost::system::error_code ec;
  const udp::endpoint endpoint = ToEndpoint(local);
  binding->socket.open(endpoint.protocol(), ec);
  if (!ec && local.family() == AddressFamily::kIpv6) {
    binding->socket.set_option(boost::asio::ip::v6_only(true), ec);
  }
  if (!ec) binding->socket.bind(endpoint, ec);
  if (!ec) binding->socket.non_blocking(true, ec);
  if (ec) return ToRebindResult(ec);
  binding->local = FromEndpoint(binding->socket.local_endpoint(ec));
  if (ec) return RebindResult::kError;
  *out = std::move(binding);
  return RebindResult::kRebound;
}

std::unique_ptr<AsioUdpSocket> AsioUdpSocket::Open(boost::asio::io_context& io, const Clock& clock,
                                                   const SocketAddress& local,
                                                   RebindResult* result) {
  std::shared_ptr<Binding> binding;
  *result = Bind(io, local, &binding);
  if (*result != RebindResult::kRebound) return nullptr;
  return std::unique_ptr<AsioUdpSocket>(new AsioUdpSocket(io, clock, std::move(binding)));
}

AsioUdpSocket::AsioUdpSocket(boost::asio::io_context& io, const Clock& clock,
                             std::shared_ptr<Binding> binding)
    : io_(io),
      clock_(clock),
      binding_(std::move(binding)),
      handler_(std::make_shared<ReceiveHandler>()) {}

AsioUdpSocket::~AsioUdpSocket() {
  // Closing is enough: the receive loop stops at its next completion. The
  // handler object is left alone; it may be the caller of this destructor.
  boost::system::error_code ignored;
  binding_->socket.close(ignored);
}

SocketAddress AsioUdpSocket::LocalAddress() const { return binding_->local; }

SendResult AsioUdpSocket::SendTo(const SocketAddress& remote, std::span<const uint8_t> payload) {
  if (!binding_->socket.is_open()) return SendResult::kClosed;
  if (remote.family() != binding_->local.family()) return SendResult::kFamilyMismatch;
  boost::system::error_code ec;
  binding_->socket.send_to(boost::asio::buffer(payload.data(), payload.size()), ToEndpoint(remote),
                           0, ec);
  return ec ? ToSendResult(ec) : SendResult::kSent;
}

void AsioUdpSocket::SetReceiveHandler(ReceiveHandler handler) {
  *handler_ = std::move(handler);
  // A receive still outstanding from an earlier handler serves this one.
  if (*handler_) StartReceiving();
}

void AsioUdpSocket::StartReceiving() {
  if (binding_->receiving) return;
  // The loop owns what it needs; `this` is never captured.
  struct Loop {
    std::shared_ptr<Binding> binding;
    std::shared_ptr<ReceiveHandler> handler;
    const Clock* clock;
    void operator()() const {
      Binding& b = *binding;
      b.receiving = true;
      b.socket.async_receive_from(
          boost::asio::buffer(b.buffer), b.sender,
          [loop = *this](const boost::system::error_code& ec, size_t size) {
            loop.binding->receiving = false;
            if (ec == boost::asio::error::operation_aborted || !loop.binding->socket.is_open()) {
              return;  // Closed or rebound away.
            }
            if (!*loop.handler) return;  // Handler removed: stop receiving.
            if (!ec) {
              Binding& bound = *loop.binding;
              const ReceivedDatagram datagram{{bound.buffer.data(), size},
                                              FromEndpoint(bound.sender),
                                              bound.local,
                                              loop.clock->Now()};
              const std::shared_ptr<ReceiveHandler> keep = loop.handler;
              (*keep)(datagram);
              if (!loop.binding->socket.is_open() || !*keep) return;
            }
            loop();  // Errors such as ICMP-induced ECONNREFUSED: keep receiving.
          });
    }
  };
  Loop{binding_, handler_, &clock_}();
}

RebindResult AsioUdpSocket::Rebind(const SocketAddress& new_local) {
  std::shared_ptr<Binding> fresh;
  const RebindResult result = Bind(io_, new_local, &fresh);
  if (result != RebindResult::kRebound) return result;
  boost::system::error_code ignored;
  binding_->socket.close(ignored);
  binding_ = std::move(fresh);
  if (*handler_) StartReceiving();
  return RebindResult::kRebound;
}

}  // namespace p2pquic
