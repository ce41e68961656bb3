// SimSocket's send buffer: kWouldBlock while full, the writable call when it
// has drained to half, no network event and no random draw for a refused
// send, and nothing of it unless configured.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "sim/sim_network.h"
#include "tests/sim/sim_world.h"

namespace p2pquic::sim {
namespace {

using std::chrono::milliseconds;
using testing::Bytes;
using testing::kA;
using testing::kA2;
using testing::kB;
using testing::kC;
using testing::kStart;
using testing::Received;
using testing::SimWorld;

// 1 Mbit/s: 1000 bytes take 8 ms to serialise.
LinkConditions OneMegabit() {
  LinkConditions link;
  link.delay = milliseconds(5);
  link.bandwidth_bps = 1'000'000;
  return link;
}

struct Pair {
  Pair() {
    a = world.Host("a", kA);
    b = world.Host("b", kB);
    sa = world.Open(kA, nullptr);
    sb = world.Open(kB, &inbox);
    sa->SetWritableHandler([this] { writable_at.push_back(world.queue.Now()); });
  }
  SimWorld world;
  HostId a, b;
  std::vector<Received> inbox;
  std::unique_ptr<SimSocket> sa, sb;
  std::vector<Timestamp> writable_at;
};

TEST(SimSocketSendBufferTest, RefusesWhileFullAndSignalsWritableOnceAtHalf) {
  Pair net;
  ASSERT_EQ(net.world.network.SetDefaultConditions(OneMegabit()), NetworkResult::kOk);
  net.sa->SetSendBufferBytes(4000);
  // Taken while less than 4000 bytes wait: four datagrams, then full.
  for (uint8_t i = 0; i < 4; ++i) EXPECT_EQ(net.sa->SendTo(kB, Bytes(1000, i)), SendResult::kSent);
  EXPECT_EQ(net.sa->buffered_bytes(), 4000u);
  EXPECT_EQ(net.sa->SendTo(kB, Bytes(1000, 4)), SendResult::kWouldBlock);
  EXPECT_EQ(net.sa->SendTo(kB, Bytes(1000, 5)), SendResult::kWouldBlock);  // No second call.
  EXPECT_EQ(net.world.network.stats().sent, 4u) << "a refused send is not on the network";
  EXPECT_EQ(net.world.network.stats().would_block, 2u);
  EXPECT_TRUE(net.writable_at.empty()) << "never from inside a send";
  // Departures at 8, 16, 24, 32 ms: 2000 bytes (half) are left at 16 ms.
  net.world.Run(milliseconds(15));
  EXPECT_TRUE(net.writable_at.empty());
  EXPECT_EQ(net.sa->buffered_bytes(), 3000u);
  net.world.Run(milliseconds(1));
  ASSERT_EQ(net.writable_at.size(), 1u);
  EXPECT_EQ(net.writable_at[0], kStart + milliseconds(16));
  EXPECT_EQ(net.sa->buffered_bytes(), 2000u);
  EXPECT_EQ(net.sa->SendTo(kB, Bytes(1000, 6)), SendResult::kSent);
  net.world.Run(milliseconds(100));
  EXPECT_EQ(net.writable_at.size(), 1u);
  ASSERT_EQ(net.inbox.size(), 5u);
  EXPECT_EQ(net.inbox[4].payload[0], 6);  // The refused ones never left.
  EXPECT_EQ(net.sa->buffered_bytes(), 0u);
}

TEST(SimSocketSendBufferTest, ADatagramMayOvershootAndAnEmptyBufferTakesAnything) {
  Pair net;
  ASSERT_EQ(net.world.network.SetDefaultConditions(OneMegabit()), NetworkResult::kOk);
  net.sa->SetSendBufferBytes(100);
  EXPECT_EQ(net.sa->SendTo(kB, Bytes(1400, 1)), SendResult::kSent);  // As Linux: 0 < 100.
  EXPECT_EQ(net.sa->SendTo(kB, Bytes(10, 2)), SendResult::kWouldBlock);
  net.world.Run(milliseconds(12));  // 1400 bytes take 11.2 ms.
  EXPECT_EQ(net.writable_at.size(), 1u);
  EXPECT_EQ(net.sa->SendTo(kB, Bytes(10, 2)), SendResult::kSent);
}

TEST(SimSocketSendBufferTest, OffByDefaultAndNothingWaitsWithoutABandwidth) {
  Pair net;
  LinkConditions tight = OneMegabit();
  tight.queue_bytes = 3000;
  ASSERT_EQ(net.world.network.SetConditions(net.a, net.b, tight), NetworkResult::kOk);
  EXPECT_EQ(net.sa->send_buffer_bytes(), 0u);
  for (uint8_t i = 0; i < 10; ++i) EXPECT_EQ(net.sa->SendTo(kB, Bytes(1000, i)), SendResult::kSent);
  EXPECT_EQ(net.world.recorder.Count(DatagramFate::kQueueFull), 7u) << "the link drops instead";
  // A buffer on a link without a bandwidth: every datagram leaves at once.
  net.world.Host("c", kC);
  auto sc = net.world.Open(kC, nullptr);
  sc->SetSendBufferBytes(1000);
  for (uint8_t i = 0; i < 100; ++i) EXPECT_EQ(sc->SendTo(kB, Bytes(1000, i)), SendResult::kSent);
  EXPECT_EQ(sc->buffered_bytes(), 0u);
  EXPECT_EQ(net.world.network.stats().would_block, 0u);
  EXPECT_TRUE(net.writable_at.empty());
}

TEST(SimSocketSendBufferTest, TheBufferSpansLinksAndFollowsARebind) {
  Pair net;
  ASSERT_EQ(net.world.network.SetDefaultConditions(OneMegabit()), NetworkResult::kOk);
  net.world.Host("c", kC);
  auto sc = net.world.Open(kC, nullptr);
  ASSERT_EQ(net.world.network.AddAddress(net.a, kA2), NetworkResult::kOk);
  net.sa->SetSendBufferBytes(2000);
  EXPECT_EQ(net.sa->SendTo(kB, Bytes(1000, 1)), SendResult::kSent);  // Leaves at 8 ms.
  EXPECT_EQ(net.sa->SendTo(kC, Bytes(1000, 2)), SendResult::kSent);  // Another link: 8 ms too.
  EXPECT_EQ(net.sa->SendTo(kB, Bytes(1000, 3)), SendResult::kWouldBlock);
  ASSERT_EQ(net.sa->Rebind(kA2), RebindResult::kRebound);
  EXPECT_EQ(net.sa->SendTo(kB, Bytes(1000, 3)), SendResult::kWouldBlock) << "the same buffer";
  net.world.Run(milliseconds(8));
  ASSERT_EQ(net.writable_at.size(), 1u) << "the owed call survives the rebind";
  EXPECT_EQ(net.writable_at[0], kStart + milliseconds(8));
  EXPECT_EQ(net.sa->SendTo(kB, Bytes(1000, 3)), SendResult::kSent);
}

TEST(SimSocketSendBufferTest, ADestroyedSocketGetsNoWritableCall) {
  Pair net;
  ASSERT_EQ(net.world.network.SetDefaultConditions(OneMegabit()), NetworkResult::kOk);
  net.sa->SetSendBufferBytes(1000);
  net.sa->SendTo(kB, Bytes(1000, 1));
  EXPECT_EQ(net.sa->SendTo(kB, Bytes(1000, 2)), SendResult::kWouldBlock);
  net.sa.reset();
  net.world.Run(milliseconds(100));
  EXPECT_TRUE(net.writable_at.empty());
}

// A lossy, jittery, duplicating run, its datagrams offered faster than the
// link drains. Records which sends were taken, and when.
struct Offered {
  std::vector<std::pair<Duration, std::vector<uint8_t>>> taken;
  size_t refused = 0;
};

LinkConditions Busy() {
  LinkConditions link = OneMegabit();
  link.loss = 0.2;
  link.jitter = milliseconds(20);
  link.duplicate = 0.1;
  link.corrupt = 0.1;
  return link;
}

Offered OfferWithABuffer(SimWorld& world) {
  world.Host("a", kA);
  world.Host("b", kB);
  EXPECT_EQ(world.network.SetDefaultConditions(Busy()), NetworkResult::kOk);
  auto a = world.Open(kA, nullptr);
  auto b = world.Open(kB, nullptr);
  a->SetSendBufferBytes(3000);
  Offered offered;
  for (int i = 0; i < 400; ++i) {
    const std::vector<uint8_t> payload =
        Bytes(500 + static_cast<size_t>(i % 5) * 100, static_cast<uint8_t>(i));
    if (a->SendTo(kB, payload) == SendResult::kSent) {
      offered.taken.emplace_back(world.queue.Now() - kStart, payload);
    } else {
      ++offered.refused;
    }
    world.Run(milliseconds(2));
  }
  world.Run(std::chrono::seconds(1));
  return offered;
}

TEST(SimSocketSendBufferTest, ARefusedSendDrawsNothingSoTheRunIsTheTakenSendsAlone) {
  SimWorld buffered(42);
  const Offered offered = OfferWithABuffer(buffered);
  ASSERT_GT(offered.refused, 50u);
  ASSERT_GT(offered.taken.size(), 50u);
  // The same seed, no buffer, only the sends that were taken, at their
  // times: the same events and the same digest.
  SimWorld plain(42);
  plain.Host("a", kA);
  plain.Host("b", kB);
  ASSERT_EQ(plain.network.SetDefaultConditions(Busy()), NetworkResult::kOk);
  auto a = plain.Open(kA, nullptr);
  auto b = plain.Open(kB, nullptr);
  for (const auto& [at, payload] : offered.taken) {
    plain.Run(kStart + at - plain.queue.Now());
    ASSERT_EQ(a->SendTo(kB, payload), SendResult::kSent);
  }
  plain.Run(kStart + milliseconds(800) + std::chrono::seconds(1) - plain.queue.Now());
  EXPECT_EQ(plain.network.digest(), buffered.network.digest());
  EXPECT_EQ(plain.recorder.Lines(), buffered.recorder.Lines());
  EXPECT_EQ(buffered.network.stats().would_block, offered.refused);
}

}  // namespace
}  // namespace p2pquic::sim
