// SimWorld: the scaffolding network tests share: an event queue, a seeded
// Random, a SimNetwork with a RecordingObserver attached, helpers to add
// hosts and sockets, and an inbox per socket.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "sim/event_queue.h"
#include "sim/sim_network.h"
#include "testing/recording_observer.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {

// gtest prints addresses readably in failures.
inline void PrintTo(const SocketAddress& address, std::ostream* out) { *out << address.ToString(); }

}  // namespace p2pquic

namespace p2pquic::sim::testing {

using p2pquic::testing::RecordedEvent;
using p2pquic::testing::RecordingObserver;

// When every EventQueue starts (its default) and so every test's first event.
inline const Timestamp kStart = Timestamp(std::chrono::seconds(1));

// The addresses the network tests give hosts a, b and c; kA2 is a second
// address of host a (to move a socket to).
inline const SocketAddress kA = SocketAddress::Ipv4({10, 0, 0, 1}, 4000);
inline const SocketAddress kA2 = SocketAddress::Ipv4({10, 0, 1, 1}, 4000);
inline const SocketAddress kB = SocketAddress::Ipv4({10, 0, 0, 2}, 5000);
inline const SocketAddress kC = SocketAddress::Ipv4({10, 0, 0, 3}, 6000);

// A payload of `size` bytes, each `tag`, so a test can tell datagrams apart.
inline std::vector<uint8_t> Bytes(size_t size, uint8_t tag) {
  return std::vector<uint8_t>(size, tag);
}

struct Received {
  std::vector<uint8_t> payload;
  SocketAddress remote;  // As the socket saw the sender.
  SocketAddress local;
  Timestamp at;
};

class SimWorld {
 public:
  explicit SimWorld(uint64_t seed = 1) : random(seed), network(queue, random) {
    network.AddObserver(&recorder);
  }

  HostId Host(const std::string& name, const SocketAddress& ip) {
    const HostId host = network.AddHost(name);
    EXPECT_EQ(network.AddAddress(host, ip), NetworkResult::kOk);
    return host;
  }
  // A socket that files what it receives into *inbox.
  std::unique_ptr<SimSocket> Open(const SocketAddress& local, std::vector<Received>* inbox) {
    std::unique_ptr<SimSocket> socket = network.Bind(local);
    EXPECT_NE(socket, nullptr) << local.ToString();
    if (socket != nullptr && inbox != nullptr) {
      socket->SetReceiveHandler([inbox](const ReceivedDatagram& d) {
        inbox->push_back({{d.payload.begin(), d.payload.end()}, d.remote, d.local, d.received_at});
      });
    }
    return socket;
  }
  // Runs `duration` of virtual time, then checks the network's invariants.
  void Run(Duration duration) {
    ASSERT_TRUE(queue.RunUntil(queue.Now() + duration));
    ASSERT_EQ(network.CheckInvariants(), "");
  }

  // In construction order: the network keeps references to both.
  EventQueue queue;
  SeededRandom random;
  SimNetwork network;
  RecordingObserver recorder;
};

}  // namespace p2pquic::sim::testing
