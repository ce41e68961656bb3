// AsioDatagramForwarder: datagrams reach their owner's io_context thread
// whole (copied: the sender's buffer is reused at once), in order per
// sender, each lane holds at most its capacity and counts what it drops,
// and several sender threads at once lose nothing while there is room
// (run it under --config=tsan too).
#include "transport/runtime/asio/asio_datagram_forwarder.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

namespace p2pquic {
namespace {

using namespace std::chrono_literals;

ReceivedDatagram At(std::span<const uint8_t> payload, uint16_t remote_port) {
  return {payload, SocketAddress::Loopback4(remote_port), SocketAddress::Loopback4(4433),
          Timestamp{}};
}

// An owner: an io_context run by its own thread until Stop.
class OwnerThread {
 public:
  OwnerThread() : guard_(io_.get_executor()), thread_([this] { io_.run(); }) {}
  ~OwnerThread() { Stop(); }
  void Stop() {
    guard_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }
  boost::asio::io_context& io() { return io_; }
  std::thread::id id() const { return thread_.get_id(); }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
};

// Waits (bounded) until `done`.
template <typename F>
bool WaitFor(F done, std::chrono::milliseconds limit = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  return done();
}

TEST(AsioDatagramForwarderTest, DeliversACopyOnTheOwnersThread) {
  AsioDatagramForwarder forwarder(2);
  OwnerThread owner;
  std::mutex mutex;
  std::vector<std::vector<uint8_t>> got;
  std::vector<uint16_t> ports;
  bool on_owner_thread = true;
  forwarder.SetOwner(1, owner.io(), [&](const ReceivedDatagram& d) {
    std::lock_guard<std::mutex> lock(mutex);
    on_owner_thread &= std::this_thread::get_id() == owner.id();
    got.emplace_back(d.payload.begin(), d.payload.end());
    ports.push_back(d.remote.port());
  });
  std::array<uint8_t, 4> buffer = {1, 2, 3, 4};
  forwarder.Forward(1, At(buffer, 7000));
  buffer.fill(9);  // The sender's slot is reused at once.
  forwarder.Forward(1, At(buffer, 7001));
  ASSERT_TRUE(WaitFor([&] { return forwarder.lane_stats(1).delivered == 2; }));
  owner.Stop();
  EXPECT_TRUE(on_owner_thread);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], (std::vector<uint8_t>{1, 2, 3, 4}));
  EXPECT_EQ(got[1], (std::vector<uint8_t>{9, 9, 9, 9}));
  EXPECT_EQ(ports, (std::vector<uint16_t>{7000, 7001}));
  EXPECT_EQ(forwarder.lane_stats(1).queued, 2u);
  EXPECT_EQ(forwarder.lane_stats(1).dropped, 0u);
  EXPECT_EQ(forwarder.lane_stats(0).queued, 0u);
}

TEST(AsioDatagramForwarderTest, AFullLaneDropsAndCounts) {
  constexpr size_t kCapacity = 8;
  AsioDatagramForwarder forwarder(1, kCapacity);
  boost::asio::io_context idle;  // Not run: the lane fills up.
  size_t delivered = 0;
  forwarder.SetOwner(0, idle, [&](const ReceivedDatagram&) { ++delivered; });
  const std::array<uint8_t, 1> byte = {7};
  for (int i = 0; i < 20; ++i) forwarder.Forward(0, At(byte, 7000));
  EXPECT_EQ(forwarder.lane_stats(0).queued, kCapacity);
  EXPECT_EQ(forwarder.lane_stats(0).dropped, 20 - kCapacity);
  // One drain was posted for the whole batch; running it empties the lane.
  EXPECT_EQ(idle.poll(), 1u);
  EXPECT_EQ(delivered, kCapacity);
  forwarder.Forward(0, At(byte, 7000));  // Room again.
  idle.restart();
  EXPECT_EQ(idle.poll(), 1u);
  EXPECT_EQ(delivered, kCapacity + 1);
  EXPECT_EQ(forwarder.lane_stats(0).dropped, 20 - kCapacity);
}

TEST(AsioDatagramForwarderTest, AnUnknownWorkerIsDroppedAndCounted) {
  AsioDatagramForwarder forwarder(2);
  boost::asio::io_context io;
  forwarder.SetOwner(0, io, [](const ReceivedDatagram&) {});
  const std::array<uint8_t, 1> byte = {7};
  forwarder.Forward(5, At(byte, 7000));  // Beyond the lanes.
  forwarder.Forward(1, At(byte, 7000));  // A lane without an owner.
  EXPECT_EQ(forwarder.unknown_dropped(), 2u);
  EXPECT_EQ(io.poll(), 0u);
}

TEST(AsioDatagramForwarderTest, ManySendersToManyOwnersLoseNothingWithRoom) {
  constexpr uint32_t kWorkers = 4;
  constexpr int kPerSender = 2000;
  AsioDatagramForwarder forwarder(kWorkers, kWorkers * kPerSender);  // Room for everything.
  std::array<OwnerThread, kWorkers> owners;
  // Per owner, per sender: the next sequence number expected (order per sender).
  std::array<std::array<uint32_t, kWorkers>, kWorkers> next{};
  std::array<std::atomic<uint64_t>, kWorkers> out_of_order{};
  for (uint32_t w = 0; w < kWorkers; ++w) {
    forwarder.SetOwner(w, owners[w].io(), [&, w](const ReceivedDatagram& d) {
      uint32_t sequence;
      std::memcpy(&sequence, d.payload.data(), sizeof(sequence));
      const uint16_t sender = d.remote.port() - 7000;
      if (sequence != next[w][sender]) out_of_order[w].fetch_add(1);
      next[w][sender] = sequence + 1;
    });
  }
  std::vector<std::thread> senders;
  for (uint16_t s = 0; s < kWorkers; ++s) {
    senders.emplace_back([&forwarder, s] {
      std::array<uint32_t, kWorkers> sequence{};
      for (int i = 0; i < kPerSender; ++i) {
        const uint32_t to = static_cast<uint32_t>(i) % kWorkers;
        std::array<uint8_t, 64> payload{};
        std::memcpy(payload.data(), &sequence[to], sizeof(uint32_t));
        ++sequence[to];
        forwarder.Forward(to, At(payload, static_cast<uint16_t>(7000 + s)));
      }
    });
  }
  for (auto& t : senders) t.join();
  const uint64_t per_owner = kPerSender;  // Each sender sends kPerSender / kWorkers to each.
  for (uint32_t w = 0; w < kWorkers; ++w) {
    ASSERT_TRUE(WaitFor([&] { return forwarder.lane_stats(w).delivered == per_owner; }))
        << "worker " << w << " got " << forwarder.lane_stats(w).delivered;
  }
  for (auto& owner : owners) owner.Stop();
  for (uint32_t w = 0; w < kWorkers; ++w) {
    EXPECT_EQ(forwarder.lane_stats(w).dropped, 0u);
    EXPECT_EQ(out_of_order[w].load(), 0u);
    for (uint32_t s = 0; s < kWorkers; ++s) EXPECT_EQ(next[w][s], kPerSender / kWorkers);
  }
}

TEST(AsioDatagramForwarderTest, ConcurrentSendersIntoABusyOwnerCountEveryDatagram) {
  constexpr size_t kCapacity = 16;
  constexpr int kSenders = 4, kPerSender = 5000;
  AsioDatagramForwarder forwarder(1, kCapacity);
  OwnerThread owner;
  std::atomic<bool> senders_done{false};
  std::atomic<uint64_t> seen{0};
  // The owner is busy (its first delivery waits for the senders, bounded):
  // the lane holds one drained batch plus one full queue, the rest drops.
  forwarder.SetOwner(0, owner.io(), [&](const ReceivedDatagram&) {
    WaitFor([&] { return senders_done.load(); });
    seen.fetch_add(1);
  });
  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&] {
      const std::array<uint8_t, 32> payload{};
      for (int i = 0; i < kPerSender; ++i) forwarder.Forward(0, At(payload, 7000));
    });
  }
  for (auto& t : senders) t.join();
  senders_done = true;
  ASSERT_TRUE(WaitFor([&] {
    const ForwarderLaneStats s = forwarder.lane_stats(0);
    return s.delivered == s.queued;
  }));
  owner.Stop();
  const ForwarderLaneStats stats = forwarder.lane_stats(0);
  EXPECT_EQ(stats.queued + stats.dropped, static_cast<uint64_t>(kSenders * kPerSender));
  EXPECT_EQ(seen.load(), stats.delivered);
  EXPECT_GE(stats.queued, kCapacity);
  EXPECT_LE(stats.queued, 2 * kCapacity);
}

}  // namespace
}  // namespace p2pquic
