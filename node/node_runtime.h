// NodeRuntime: the Boost.Asio side of p2pquic-node: one io_context, its
// clock, the OS random source, UDP sockets, and bounded run loops.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "transport/runtime/asio/asio_clock.h"
#include "transport/runtime/asio/asio_udp_socket.h"
#include "transport/runtime/asio/system_random.h"

namespace p2pquic::node {

class NodeRuntime {
 public:
  NodeRuntime() : clock_(io_) {}

  AsioClock& clock() { return clock_; }
  SystemRandom& random() { return random_; }
  boost::asio::io_context& io() { return io_; }

  // A UDP socket bound to `local`; null with `*error` set on failure.
  std::unique_ptr<AsioUdpSocket> Bind(const SocketAddress& local, std::string* error);
  std::unique_ptr<AsioUdpSocket> Bind(const SocketAddress& local,
                                      const AsioUdpSocketOptions& options, std::string* error);
  // Runs until `done()` or `limit` passes; returns done().
  bool RunUntil(const std::function<bool()>& done, std::chrono::milliseconds limit);
  // Runs until SIGINT or SIGTERM.
  void RunUntilSignal();

 private:
  boost::asio::io_context io_;
  AsioClock clock_;
  SystemRandom random_;
};

}  // namespace p2pquic::node
