#include "sim/sim_network.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

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

const SocketAddress kNobody = SocketAddress::Ipv4({10, 9, 9, 9}, 1);

// Two hosts a (kA) and b (kB), a socket each, b's arrivals in `inbox`.
struct Pair {
  explicit Pair(uint64_t seed = 1) : world(seed) {
    a = world.Host("a", kA);
    b = world.Host("b", kB);
    sa = world.Open(kA, &back);
    sb = world.Open(kB, &inbox);
  }
  SimWorld world;
  HostId a, b;
  std::vector<Received> inbox, back;
  std::unique_ptr<SimSocket> sa, sb;
};

TEST(SimNetworkTest, DeliversAfterTheLinkDelayInVirtualTime) {
  Pair net;
  LinkConditions link;
  link.delay = milliseconds(25);
  ASSERT_EQ(net.world.network.SetDefaultConditions(link), NetworkResult::kOk);
  ASSERT_EQ(net.sa->SendTo(kB, Bytes(100, 7)), SendResult::kSent);
  net.world.Run(milliseconds(24));
  EXPECT_TRUE(net.inbox.empty());
  net.world.Run(milliseconds(1));
  ASSERT_EQ(net.inbox.size(), 1u);
  EXPECT_EQ(net.inbox[0].at, kStart + milliseconds(25));
  EXPECT_EQ(net.inbox[0].remote, kA);
  EXPECT_EQ(net.inbox[0].local, kB);
  EXPECT_EQ(net.inbox[0].payload, Bytes(100, 7));
}

TEST(SimNetworkTest, EveryFateIsReportedWithItsAddressesAndCounted) {
  Pair net;
  net.sa->SendTo(kB, Bytes(3, 1));
  net.sa->SendTo(kB.WithPort(1), Bytes(4, 2));  // b's IP, no socket there.
  net.sa->SendTo(kNobody, Bytes(5, 3));         // No host owns this IP.
  net.world.Run(milliseconds(20));
  const auto& events = net.world.recorder.events;
  ASSERT_EQ(events.size(), 3u);
  const DatagramEvent& first = events[0].event;
  EXPECT_EQ(first.fate, DatagramFate::kDelivered);
  EXPECT_EQ(first.datagram, 1u);
  EXPECT_EQ(first.from_host, net.a);
  EXPECT_EQ(first.to_host, net.b);
  EXPECT_EQ(first.from, kA);
  EXPECT_EQ(first.delivered_from, kA);
  EXPECT_EQ(first.delivered_to, kB);
  EXPECT_EQ(first.size, 3u);
  EXPECT_EQ(events[0].bytes, Bytes(3, 1));
  EXPECT_EQ(events[1].event.fate, DatagramFate::kUnroutable);
  EXPECT_EQ(events[1].event.to_host, net.b);
  EXPECT_EQ(events[2].event.fate, DatagramFate::kUnroutable);
  EXPECT_EQ(events[2].event.to_host, kNoHost);
  const NetworkStats& stats = net.world.network.stats();
  EXPECT_EQ(stats.sent, 3u);
  EXPECT_EQ(stats.count(DatagramFate::kDelivered), 1u);
  EXPECT_EQ(stats.count(DatagramFate::kUnroutable), 2u);
  EXPECT_EQ(stats.delivered(), 1u);
  EXPECT_EQ(net.world.network.RemoveObserver(&net.world.recorder), NetworkResult::kOk);
  EXPECT_EQ(net.world.network.RemoveObserver(&net.world.recorder), NetworkResult::kUnknownObserver);
  net.sa->SendTo(kB, Bytes(3, 1));
  net.world.Run(milliseconds(20));
  EXPECT_EQ(events.size(), 3u);  // No longer told.
}

TEST(SimNetworkTest, SocketsBindOnlyOnAddressesTheirHostOwns) {
  SimWorld world;
  const HostId a = world.network.AddHost("a");
  EXPECT_EQ(world.network.AddAddress(a, kA), NetworkResult::kOk);
  EXPECT_EQ(world.network.AddAddress(a, kA), NetworkResult::kAddressTaken);
  EXPECT_EQ(world.network.AddAddress(HostId{7}, kB), NetworkResult::kUnknownHost);
  EXPECT_EQ(world.network.AddAddress(a, SocketAddress()), NetworkResult::kUnspecifiedAddress);
  EXPECT_EQ(world.network.HostOf(kA.WithPort(9)), a);
  EXPECT_EQ(world.network.HostName(a), "a");
  NetworkResult result;
  EXPECT_EQ(world.network.Bind(kNobody, &result), nullptr);
  EXPECT_EQ(result, NetworkResult::kAddressNotOwned);
  auto socket = world.network.Bind(kA, &result);
  ASSERT_NE(socket, nullptr);
  EXPECT_EQ(result, NetworkResult::kOk);
  EXPECT_EQ(world.network.Bind(kA, &result), nullptr);
  EXPECT_EQ(result, NetworkResult::kAddressInUse);
  auto first = world.network.Bind(kA.WithPort(0));
  auto second = world.network.Bind(kA.WithPort(0));
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(first->LocalAddress().port(), SimNetwork::kFirstEphemeralPort);
  EXPECT_EQ(second->LocalAddress().port(), SimNetwork::kFirstEphemeralPort + 1);
  EXPECT_EQ(world.network.CheckInvariants(), "");
}

TEST(SimNetworkTest, ConditionsBelongToTheDirectedHostPairAndFollowANewAddress) {
  Pair net;
  ASSERT_EQ(net.world.network.AddAddress(net.a, kA2), NetworkResult::kOk);
  LinkConditions slow;
  slow.delay = milliseconds(40);
  ASSERT_EQ(net.world.network.SetConditions(net.a, net.b, slow), NetworkResult::kOk);
  net.sa->SendTo(kB, Bytes(10, 1));
  net.sb->SendTo(kA, Bytes(10, 2));
  net.world.Run(milliseconds(100));
  ASSERT_EQ(net.inbox.size(), 1u);
  ASSERT_EQ(net.back.size(), 1u);
  EXPECT_EQ(net.inbox[0].at, kStart + milliseconds(40));  // a -> b: its own conditions.
  EXPECT_EQ(net.back[0].at, kStart + milliseconds(10));   // b -> a: the default.
  // Migration: a's socket moves to its other address; the link stays a's.
  ASSERT_EQ(net.sa->Rebind(kA2), RebindResult::kRebound);
  const Timestamp sent = net.world.queue.Now();
  net.sa->SendTo(kB, Bytes(10, 3));
  net.world.Run(milliseconds(100));
  ASSERT_EQ(net.inbox.size(), 2u);
  EXPECT_EQ(net.inbox[1].remote, kA2);
  EXPECT_EQ(net.inbox[1].at, sent + milliseconds(40));
  LinkConditions bad;
  bad.loss = 1.5;
  EXPECT_EQ(net.world.network.SetConditions(net.a, net.b, bad), NetworkResult::kBadConditions);
  EXPECT_EQ(net.world.network.SetDefaultConditions(bad), NetworkResult::kBadConditions);
  EXPECT_EQ(net.world.network.SetConditions(net.a, HostId{9}, slow), NetworkResult::kUnknownHost);
  EXPECT_EQ(net.world.network.ConditionsFor(net.a, net.b).delay, milliseconds(40));
}

TEST(SimNetworkTest, RebindingMovesTheSocketWithinItsHostOnly) {
  Pair net;
  ASSERT_EQ(net.world.network.AddAddress(net.a, kA2), NetworkResult::kOk);
  EXPECT_EQ(net.sa->Rebind(kB.WithPort(1)), RebindResult::kAddressUnavailable);  // b's IP.
  EXPECT_EQ(net.sa->Rebind(kNobody), RebindResult::kAddressUnavailable);
  auto blocker = net.world.network.Bind(kA2);
  EXPECT_EQ(net.sa->Rebind(kA2), RebindResult::kAddressInUse);
  blocker.reset();
  ASSERT_EQ(net.sa->Rebind(kA2), RebindResult::kRebound);
  EXPECT_EQ(net.sa->LocalAddress(), kA2);
  net.sb->SendTo(kA, Bytes(1, 1));  // The old binding is gone.
  net.sb->SendTo(kA2, Bytes(1, 2));
  net.world.Run(milliseconds(20));
  EXPECT_EQ(net.world.network.stats().count(DatagramFate::kUnroutable), 1u);
  ASSERT_EQ(net.back.size(), 1u);
  EXPECT_EQ(net.back[0].payload, Bytes(1, 2));
  EXPECT_NE(net.world.network.Bind(kA), nullptr);  // Free again.
}

TEST(SimNetworkTest, SendToRefusesTheOtherFamilyAndOversizedPayloads) {
  Pair net;
  EXPECT_EQ(net.sa->SendTo(SocketAddress::Ipv6({}, 1), Bytes(1, 0)), SendResult::kFamilyMismatch);
  EXPECT_EQ(net.sa->SendTo(kB, Bytes(kMaxUdpPayload + 1, 0)), SendResult::kMessageTooLong);
  EXPECT_EQ(net.world.network.stats().sent, 0u);
}

TEST(SimNetworkTest, LossAndDuplicationHappenAtTheirRates) {
  Pair net;
  LinkConditions link;
  link.loss = 0.2;
  link.duplicate = 0.1;
  net.world.network.SetDefaultConditions(link);
  for (int i = 0; i < 10000; ++i) net.sa->SendTo(kB, Bytes(20, 1));
  net.world.Run(milliseconds(100));
  const NetworkStats& stats = net.world.network.stats();
  EXPECT_NEAR(static_cast<double>(stats.count(DatagramFate::kLost)) / 10000, 0.2, 0.02);
  EXPECT_NEAR(static_cast<double>(stats.duplicated) / 8000, 0.1, 0.02);
  EXPECT_EQ(stats.count(DatagramFate::kDuplicate), stats.duplicated);
  EXPECT_EQ(stats.delivered(), 10000 - stats.count(DatagramFate::kLost) + stats.duplicated);
  EXPECT_EQ(net.inbox.size(), stats.delivered());
}

TEST(SimNetworkTest, ADuplicateCopyArrivesDuplicateDelayLater) {
  Pair net;
  LinkConditions link;
  link.delay = milliseconds(10);
  link.duplicate = 1;
  link.duplicate_delay = milliseconds(500);
  ASSERT_EQ(net.world.network.SetDefaultConditions(link), NetworkResult::kOk);
  ASSERT_EQ(net.sa->SendTo(kB, Bytes(30, 4)), SendResult::kSent);
  net.world.Run(milliseconds(100));
  ASSERT_EQ(net.inbox.size(), 1u);
  EXPECT_EQ(net.inbox[0].at, kStart + milliseconds(10));
  net.world.Run(milliseconds(500));
  ASSERT_EQ(net.inbox.size(), 2u);
  EXPECT_EQ(net.inbox[1].at, kStart + milliseconds(510));
  EXPECT_EQ(net.inbox[1].payload, Bytes(30, 4));
  EXPECT_EQ(net.world.network.stats().count(DatagramFate::kDuplicate), 1u);
}

TEST(SimNetworkTest, BurstLossKeepsItsLongRunRateAndMeanBurstLength) {
  Pair net;
  LinkConditions link;
  link.loss = 0.1;
  link.loss_burst = 4;
  ASSERT_EQ(net.world.network.SetDefaultConditions(link), NetworkResult::kOk);
  constexpr int kDatagrams = 100000;
  for (int i = 0; i < kDatagrams; ++i) net.sa->SendTo(kB, Bytes(8, 0));
  net.world.Run(milliseconds(100));
  std::vector<bool> lost(kDatagrams + 1, false);
  for (const auto& e : net.world.recorder.Of(DatagramFate::kLost)) lost[e.event.datagram] = true;
  size_t losses = 0, bursts = 0;
  for (size_t i = 1; i < lost.size(); ++i) {
    losses += lost[i];
    bursts += lost[i] && !lost[i - 1];
  }
  EXPECT_NEAR(static_cast<double>(losses) / kDatagrams, 0.1, 0.01);
  ASSERT_GT(bursts, 0u);
  EXPECT_NEAR(static_cast<double>(losses) / static_cast<double>(bursts), 4.0, 0.3);
  const SimLink* state = net.world.network.Link(net.a, net.b);
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->loss().bursts(), bursts);
  EXPECT_EQ(net.inbox.size(), kDatagrams - losses);
}

TEST(SimNetworkTest, BandwidthSerializesDatagramsOneAfterAnother) {
  Pair net;
  LinkConditions link;
  link.delay = milliseconds(5);
  link.bandwidth_bps = 1'000'000;  // 1250 bytes take 10 ms.
  ASSERT_EQ(net.world.network.SetConditions(net.a, net.b, link), NetworkResult::kOk);
  constexpr int kCount = 20;
  constexpr size_t kSize = 1250;
  for (int i = 0; i < kCount; ++i) net.sa->SendTo(kB, Bytes(kSize, static_cast<uint8_t>(i)));
  net.world.Run(std::chrono::seconds(1));
  ASSERT_EQ(net.inbox.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(net.inbox[i].payload[0], i);  // FIFO.
    EXPECT_EQ(net.inbox[i].at, kStart + milliseconds(10) * (i + 1) + milliseconds(5));
  }
  // N * S * 8 / bandwidth, plus the delay.
  EXPECT_EQ(net.inbox.back().at - kStart,
            Duration(std::chrono::seconds(kCount * kSize * 8)) / 1'000'000 + milliseconds(5));
  // An idle link sends at once again: no queue left behind.
  const Timestamp later = net.world.queue.Now();
  net.sa->SendTo(kB, Bytes(kSize, 99));
  net.world.Run(milliseconds(100));
  EXPECT_EQ(net.inbox.back().at, later + milliseconds(15));
  // The other direction has no bandwidth limit.
  net.sb->SendTo(kA, Bytes(kSize, 1));
  net.world.Run(milliseconds(100));
  EXPECT_EQ(net.back.at(0).at, net.world.queue.Now() - milliseconds(100) + milliseconds(10));
}

TEST(SimNetworkTest, AFullQueueTailDrops) {
  Pair net;
  LinkConditions link;
  link.bandwidth_bps = 1'000'000;  // 1000 bytes take 8 ms.
  link.queue_bytes = 5000;
  ASSERT_EQ(net.world.network.SetDefaultConditions(link), NetworkResult::kOk);
  for (int i = 0; i < 10; ++i) net.sa->SendTo(kB, Bytes(1000, static_cast<uint8_t>(i)));
  EXPECT_EQ(net.world.recorder.Count(DatagramFate::kQueueFull), 5u);
  EXPECT_EQ(net.world.network.Link(net.a, net.b)->queued_bytes(), 5000u);
  net.world.Run(milliseconds(8));  // The first has left: room for one more.
  net.sa->SendTo(kB, Bytes(1000, 10));
  net.sa->SendTo(kB, Bytes(1000, 11));
  net.world.Run(milliseconds(100));
  EXPECT_EQ(net.world.network.stats().count(DatagramFate::kQueueFull), 6u);
  EXPECT_EQ(net.world.network.Link(net.a, net.b)->tail_drops(), 6u);
  ASSERT_EQ(net.inbox.size(), 6u);
  EXPECT_EQ(net.inbox[0].payload[0], 0);
  EXPECT_EQ(net.inbox[4].payload[0], 4);
  EXPECT_EQ(net.inbox[5].payload[0], 10);
}

TEST(SimNetworkTest, DatagramsAboveTheMtuAreDroppedAndCounted) {
  Pair net;
  EXPECT_EQ(net.sa->SendTo(kB, Bytes(kDefaultMtu, 1)), SendResult::kSent);
  EXPECT_EQ(net.sa->SendTo(kB, Bytes(kDefaultMtu + 1, 2)), SendResult::kSent);  // Silently.
  LinkConditions link;
  link.mtu = 1200;
  ASSERT_EQ(net.world.network.SetConditions(net.a, net.b, link), NetworkResult::kOk);
  net.sa->SendTo(kB, Bytes(1200, 3));
  net.sa->SendTo(kB, Bytes(1201, 4));
  net.world.Run(milliseconds(100));
  EXPECT_EQ(net.world.network.stats().count(DatagramFate::kTooBig), 2u);
  ASSERT_EQ(net.inbox.size(), 2u);
  EXPECT_EQ(net.inbox[0].payload[0], 1);
  EXPECT_EQ(net.inbox[1].payload[0], 3);
  const auto too_big = net.world.recorder.Of(DatagramFate::kTooBig);
  ASSERT_EQ(too_big.size(), 2u);
  EXPECT_EQ(too_big[1].event.size, 1201u);
}

TEST(SimNetworkTest, APartitionCutsBothWaysAndInFlightDatagramsUntilHealed) {
  Pair net;
  const HostId c = net.world.Host("c", kC);
  std::vector<Received> at_c;
  auto sc = net.world.Open(kC, &at_c);
  LinkConditions link;
  link.delay = milliseconds(50);
  net.world.network.SetDefaultConditions(link);
  net.sa->SendTo(kB, Bytes(1, 1));  // In flight when the partition starts.
  net.world.Run(milliseconds(10));
  NetworkResult result;
  const PartitionId cut = net.world.network.Partition({net.a}, {net.b, c}, &result);
  ASSERT_EQ(result, NetworkResult::kOk);
  ASSERT_TRUE(cut.valid());
  net.sa->SendTo(kB, Bytes(1, 2));
  net.sb->SendTo(kA, Bytes(1, 3));
  sc->SendTo(kA, Bytes(1, 4));
  net.sb->SendTo(kC, Bytes(1, 5));  // Same side: unaffected.
  net.world.Run(milliseconds(100));
  EXPECT_TRUE(net.inbox.empty());
  EXPECT_TRUE(net.back.empty());
  ASSERT_EQ(at_c.size(), 1u);
  const auto dropped = net.world.recorder.Of(DatagramFate::kPartitioned);
  ASSERT_EQ(dropped.size(), 4u);
  EXPECT_EQ(dropped[0].bytes[0], 2);  // At send time...
  EXPECT_EQ(dropped[3].bytes[0], 1);  // ...and the one in flight, on arrival.
  EXPECT_EQ(dropped[3].event.time, kStart + milliseconds(50));
  EXPECT_EQ(net.world.network.Heal(cut), NetworkResult::kOk);
  EXPECT_EQ(net.world.network.Heal(cut), NetworkResult::kUnknownPartition);
  net.sa->SendTo(kB, Bytes(1, 6));
  net.sb->SendTo(kA, Bytes(1, 7));
  net.world.Run(milliseconds(100));
  ASSERT_EQ(net.inbox.size(), 1u);
  ASSERT_EQ(net.back.size(), 1u);
  EXPECT_EQ(net.world.network.stats().count(DatagramFate::kPartitioned), 4u);
}

TEST(SimNetworkTest, HealEndsEveryPartitionAndBadPartitionsAreRefused) {
  Pair net;
  const HostId c = net.world.Host("c", kC);
  NetworkResult result;
  EXPECT_FALSE(net.world.network.Partition({net.a}, {net.a, net.b}, &result).valid());
  EXPECT_EQ(result, NetworkResult::kBadPartition);
  EXPECT_FALSE(net.world.network.Partition({}, {net.b}, &result).valid());
  EXPECT_EQ(result, NetworkResult::kBadPartition);
  EXPECT_FALSE(net.world.network.Partition({net.a}, {HostId{42}}, &result).valid());
  EXPECT_EQ(result, NetworkResult::kUnknownHost);
  const PartitionId first = net.world.network.Partition({net.a}, {net.b});
  const PartitionId second = net.world.network.Partition({net.a}, {c});
  EXPECT_NE(first, second);
  EXPECT_EQ(net.world.network.CheckInvariants(), "");
  net.world.network.Heal();
  EXPECT_EQ(net.world.network.Heal(first), NetworkResult::kUnknownPartition);
  net.sa->SendTo(kB, Bytes(1, 1));
  net.world.Run(milliseconds(20));
  EXPECT_EQ(net.inbox.size(), 1u);
}

TEST(SimNetworkTest, ABlackholeDropsOneDirectionOnly) {
  Pair net;
  ASSERT_EQ(net.world.network.Blackhole(net.a, net.b), NetworkResult::kOk);
  EXPECT_EQ(net.world.network.Blackhole(net.a, net.b), NetworkResult::kAlreadyBlackholed);
  EXPECT_EQ(net.world.network.Blackhole(net.a, HostId{5}), NetworkResult::kUnknownHost);
  net.sa->SendTo(kB, Bytes(1, 1));
  net.sb->SendTo(kA, Bytes(1, 2));
  net.world.Run(milliseconds(20));
  EXPECT_TRUE(net.inbox.empty());
  ASSERT_EQ(net.back.size(), 1u);
  EXPECT_EQ(net.world.network.stats().count(DatagramFate::kBlackholed), 1u);
  ASSERT_EQ(net.world.network.EndBlackhole(net.a, net.b), NetworkResult::kOk);
  EXPECT_EQ(net.world.network.EndBlackhole(net.a, net.b), NetworkResult::kNotBlackholed);
  net.sa->SendTo(kB, Bytes(1, 3));
  net.world.Run(milliseconds(20));
  ASSERT_EQ(net.inbox.size(), 1u);
  EXPECT_EQ(net.inbox[0].payload[0], 3);
}

// Every knob at once, so every random draw matters.
void Busy(SimWorld& world, std::vector<std::unique_ptr<SimSocket>>& sockets) {
  const HostId a = world.Host("a", kA);
  const HostId b = world.Host("b", kB);
  LinkConditions link;
  link.loss = 0.1;
  link.loss_burst = 2;
  link.jitter = milliseconds(30);
  link.duplicate = 0.05;
  link.corrupt = 0.05;
  link.bandwidth_bps = 10'000'000;
  link.queue_bytes = 5'000;
  world.network.SetConditions(a, b, link);
  sockets.push_back(world.Open(kA, nullptr));
  sockets.push_back(world.Open(kB, nullptr));
  // About 16 Mbit/s offered to a 10 Mbit/s link: the queue overflows.
  for (int i = 0; i < 2000; ++i) {
    sockets[0]->SendTo(kB, Bytes(100 + static_cast<size_t>(i % 7) * 100, static_cast<uint8_t>(i)));
    if (i % 4 == 3) {
      sockets[1]->SendTo(kA, Bytes(50, static_cast<uint8_t>(i)));
      world.Run(milliseconds(1));
    }
  }
  world.Run(std::chrono::seconds(1));
}

TEST(SimNetworkTest, TheSameSeedReplaysTheSameRunAndAnotherSeedDoesNot) {
  SimWorld first(42), again(42), other(43);
  std::vector<std::unique_ptr<SimSocket>> s1, s2, s3;
  Busy(first, s1);
  Busy(again, s2);
  Busy(other, s3);
  const NetworkStats& stats = first.network.stats();
  for (DatagramFate fate : {DatagramFate::kLost, DatagramFate::kQueueFull, DatagramFate::kDuplicate,
                            DatagramFate::kCorrupted, DatagramFate::kDelivered}) {
    EXPECT_GT(stats.count(fate), 0u) << ToString(fate);  // The run exercises them all.
  }
  EXPECT_EQ(first.network.digest(), again.network.digest());
  EXPECT_EQ(first.recorder.Lines(), again.recorder.Lines());
  EXPECT_NE(first.network.digest(), other.network.digest());
  EXPECT_NE(first.recorder.Lines(), other.recorder.Lines());
}

// The digest of a run that delivers one datagram from a socket at `from`.
uint64_t OneDatagramDigest(Duration delay, const SocketAddress& from, uint8_t tag) {
  SimWorld world;
  world.Host("a", kA);
  world.Host("b", kB);
  LinkConditions link;
  link.delay = delay;
  world.network.SetDefaultConditions(link);
  auto a = world.Open(from, nullptr);
  auto b = world.Open(kB, nullptr);
  a->SendTo(kB, Bytes(4, tag));
  world.Run(milliseconds(100));
  EXPECT_EQ(world.network.stats().delivered(), 1u);
  return world.network.digest();
}

TEST(SimNetworkTest, TheDigestCoversArrivalTimeAddressesAndBytes) {
  const uint64_t base = OneDatagramDigest(milliseconds(10), kA, 1);
  EXPECT_EQ(OneDatagramDigest(milliseconds(10), kA, 1), base);
  EXPECT_NE(OneDatagramDigest(milliseconds(11), kA, 1), base);
  EXPECT_NE(OneDatagramDigest(milliseconds(10), kA.WithPort(4001), 1), base);
  EXPECT_NE(OneDatagramDigest(milliseconds(10), kA, 2), base);
}

TEST(SimNetworkTest, JitterReorders) {
  Pair net;
  LinkConditions link;
  link.jitter = milliseconds(50);
  net.world.network.SetDefaultConditions(link);
  for (uint8_t i = 0; i < 50; ++i) net.sa->SendTo(kB, std::vector<uint8_t>{i});
  net.world.Run(std::chrono::seconds(1));
  ASSERT_EQ(net.inbox.size(), 50u);
  std::vector<uint8_t> order;
  for (const Received& r : net.inbox) {
    order.push_back(r.payload[0]);
    EXPECT_GE(r.at, kStart + milliseconds(10));
    EXPECT_LT(r.at, kStart + milliseconds(60));
  }
  EXPECT_FALSE(std::is_sorted(order.begin(), order.end()));
}

TEST(SimNetworkTest, CorruptionFlipsExactlyOneByte) {
  Pair net;
  LinkConditions link;
  link.corrupt = 1;
  net.world.network.SetDefaultConditions(link);
  for (int i = 0; i < 20; ++i) net.sa->SendTo(kB, Bytes(64, 0));
  net.world.Run(milliseconds(20));
  ASSERT_EQ(net.inbox.size(), 20u);
  for (const Received& r : net.inbox) {
    EXPECT_EQ(64 - std::count(r.payload.begin(), r.payload.end(), 0), 1);
  }
  EXPECT_EQ(net.world.network.stats().count(DatagramFate::kCorrupted), 20u);
}

}  // namespace
}  // namespace p2pquic::sim
