#include "node/node_runtime.h"

#include <boost/asio/signal_set.hpp>
#include <csignal>

namespace p2pquic::node {

std::unique_ptr<AsioUdpSocket> NodeRuntime::Bind(const SocketAddress& local, std::string* error) {
  return Bind(local, AsioUdpSocketOptions{}, error);
}

std::unique_ptr<AsioUdpSocket> NodeRuntime::Bind(const SocketAddress& local,
                                                 const AsioUdpSocketOptions& options,
                                                 std::string* error) {
  RebindResult result;
  auto socket = AsioUdpSocket::Open(io_, clock_, local, options, &result);
  if (!socket) *error = "cannot bind UDP " + local.ToString() + ": " + ToString(result);
  return socket;
}

bool NodeRuntime::RunUntil(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  io_.restart();
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io_.run_one_for(std::chrono::milliseconds(100));
  }
  return done();
}

void NodeRuntime::RunUntilSignal() {
  boost::asio::signal_set signals(io_, SIGINT, SIGTERM);
  bool stop = false;
  signals.async_wait([&](const boost::system::error_code&, int) { stop = true; });
  io_.restart();
  while (!stop) io_.run_one_for(std::chrono::milliseconds(200));
}

}  // namespace p2pquic::node
