// HostPairTestBase: two real Libp2pHost instances (a listener and a dialer)
// over real UDP sockets on 127.0.0.1, driven by the Boost.Asio runtime, both
// serving the default protocols. Every wait is bounded in time.
//
// Reports from handlers land in shared_ptr-held recorders (see Recorder):
// a handler still alive when the hosts are destroyed reports from its
// destructor, after the test body's locals are gone.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "transport/host/libp2p_host.h"
#include "transport/runtime/asio/asio_clock.h"
#include "transport/runtime/asio/asio_udp_socket.h"
#include "transport/runtime/asio/system_random.h"

namespace p2pquic::testing {

// The longest any one wait in these tests may take.
inline constexpr auto kRunLimit = std::chrono::seconds(20);

// Every report a DoneCallback delivered (there must be exactly one).
template <typename Report>
struct Recorder {
  std::vector<Report> reports;
  bool done() const { return !reports.empty(); }
  const Report& report() const { return reports.front(); }
  // A callback that appends to this recorder, keeping it alive.
  static auto Callback(const std::shared_ptr<Recorder>& recorder) {
    return [recorder](const Report& report) { recorder->reports.push_back(report); };
  }
};

class HostPairTestBase : public ::testing::Test {
 protected:
  // Ed25519 keys from fixed seeds: stable peer IDs across runs.
  static constexpr uint64_t kListenerKeySeed = 1;
  static constexpr uint64_t kDialerKeySeed = 2;
  static constexpr uint64_t kStrangerKeySeed = 3;

  HostPairTestBase();
  ~HostPairTestBase() override;

  void SetUp() override;

  // A started host on 127.0.0.1 (a free port) with an Ed25519 key drawn
  // from SeededRandom(key_seed), serving the default protocols.
  std::unique_ptr<Libp2pHost> MakeHost(uint64_t key_seed);
  // The peer ID MakeHost(key_seed) would have.
  static PeerId PeerIdFor(uint64_t key_seed);

  // Dials the listener's address and waits until both sides are ready.
  // Returns false (with a test failure) if that does not happen.
  bool ConnectPair();

  // Runs the I/O loop until `done()` or kRunLimit; returns done().
  template <typename Done>
  bool RunUntil(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + kRunLimit;
    io_.restart();
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.run_one_for(std::chrono::milliseconds(50));
    }
    return done();
  }

  boost::asio::io_context io_;
  AsioClock clock_;
  SystemRandom random_;
  std::vector<std::unique_ptr<AsioUdpSocket>> sockets_;  // Outlive the hosts.
  std::unique_ptr<Libp2pHost> listener_;
  std::unique_ptr<Libp2pHost> dialer_;

  // Filled by ConnectPair.
  bool connect_called_ = false;
  std::string connect_error_;
  ConnectionHandle connection_;  // The dialer's handle of its connection.
  std::string dialer_learned_;   // The peer ID the dialer's callback reported.
  std::vector<std::pair<ConnectionHandle, std::string>> listener_ready_;
};

}  // namespace p2pquic::testing
