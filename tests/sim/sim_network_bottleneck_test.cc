// SimNetwork's shared bottlenecks: senders whose directions share one
// contend for its rate and its queue, it drops with kQueueFull, it draws
// nothing from the network's Random, it never holds a socket's send buffer,
// and AddBottleneck refuses bad arguments with named results.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <tuple>
#include <vector>

#include "sim/sim_network.h"
#include "tests/sim/sim_world.h"

namespace p2pquic::sim {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using testing::Bytes;
using testing::kA;
using testing::kB;
using testing::kC;
using testing::kStart;
using testing::Received;
using testing::SimWorld;

constexpr size_t kSize = 1000;
constexpr uint64_t kBottleneckBps = 8'000'000;  // 1000 bytes take 1 ms.
constexpr uint64_t kOwnLinkBps = 16'000'000;    // 1000 bytes take 0.5 ms.
constexpr size_t kRoomy = 1'000'000;            // Never fills in these tests.
constexpr Duration kDelay = milliseconds(5);

LinkConditions Limited(uint64_t bps) {
  LinkConditions link;
  link.delay = kDelay;
  link.bandwidth_bps = bps;
  link.queue_bytes = kRoomy;
  return link;
}

// Two senders a and c, one receiver b (arrivals in `inbox`).
struct TwoSenders {
  explicit TwoSenders(uint64_t seed = 1) : world(seed) {
    a = world.Host("a", kA);
    b = world.Host("b", kB);
    c = world.Host("c", kC);
    sa = world.Open(kA, nullptr);
    sb = world.Open(kB, &inbox);
    sc = world.Open(kC, nullptr);
  }
  void SetOwnLinks(const LinkConditions& link) {
    ASSERT_EQ(world.network.SetConditions(a, b, link), NetworkResult::kOk);
    ASSERT_EQ(world.network.SetConditions(c, b, link), NetworkResult::kOk);
  }
  BottleneckId Share(uint64_t bps, size_t queue_bytes) {
    BottleneckId id;
    EXPECT_EQ(world.network.AddBottleneck({{a, b}, {c, b}}, bps, queue_bytes, &id),
              NetworkResult::kOk);
    EXPECT_EQ(world.network.CheckInvariants(), "");
    return id;
  }
  size_t From(const SocketAddress& sender) const {
    return static_cast<size_t>(std::count_if(
        inbox.begin(), inbox.end(), [&](const Received& r) { return r.remote == sender; }));
  }

  SimWorld world;
  HostId a, b, c;
  std::vector<Received> inbox;
  std::unique_ptr<SimSocket> sa, sb, sc;
};

// Both senders saturate: 200 datagrams each at once, more than their own
// 16 Mbit/s links drain in the window.
void SendBacklog(TwoSenders& net, int count) {
  for (int i = 0; i < count; ++i) net.sa->SendTo(kB, Bytes(kSize, 1));
  for (int i = 0; i < count; ++i) net.sc->SendTo(kB, Bytes(kSize, 2));
}

TEST(SimNetworkBottleneckTest, TwoSendersThroughOneBottleneckShareItsRate) {
  TwoSenders net;
  net.SetOwnLinks(Limited(kOwnLinkBps));
  const BottleneckId id = net.Share(kBottleneckBps, kRoomy);
  SendBacklog(net, 200);
  net.world.Run(milliseconds(100));
  // The first datagrams reach the bottleneck when they leave their links
  // (0.5 ms); from then on it puts out one per ms, alternating senders:
  // together they get its 8 Mbit/s, each half of it.
  ASSERT_EQ(net.inbox.size(), 94u);  // 5.5 ms + n ms <= 100 ms.
  for (size_t i = 0; i < net.inbox.size(); ++i) {
    EXPECT_EQ(net.inbox[i].at, kStart + microseconds(500) + milliseconds(i + 1) + kDelay) << i;
    EXPECT_EQ(net.inbox[i].remote, i % 2 == 0 ? kA : kC) << i;
  }
  EXPECT_EQ(net.From(kA), 47u);
  EXPECT_EQ(net.From(kC), 47u);
  // By 100 ms all 400 have left their links: 94 delivered, 2 in service or
  // just served, the rest wait at the bottleneck.
  const SharedBottleneck* bottleneck = net.world.network.Bottleneck(id);
  ASSERT_NE(bottleneck, nullptr);
  EXPECT_EQ(bottleneck->queued_bytes(), (400 - 99) * kSize);
  EXPECT_EQ(net.world.network.in_flight(), 400u - 94u);
  net.world.Run(milliseconds(400));
  EXPECT_EQ(net.inbox.size(), 400u);
  EXPECT_EQ(net.inbox.back().at, kStart + microseconds(500) + milliseconds(400) + kDelay);
  EXPECT_EQ(net.world.network.stats().count(DatagramFate::kQueueFull), 0u);
}

TEST(SimNetworkBottleneckTest, WithoutTheBottleneckEachSenderGetsItsOwnLinkRate) {
  TwoSenders net;
  net.SetOwnLinks(Limited(kOwnLinkBps));
  SendBacklog(net, 200);
  net.world.Run(milliseconds(100));
  // Each link puts out one datagram per 0.5 ms: 16 Mbit/s each, 32 together.
  EXPECT_EQ(net.From(kA), 190u);  // 5 ms + n * 0.5 ms <= 100 ms.
  EXPECT_EQ(net.From(kC), 190u);
  net.world.Run(milliseconds(10));
  EXPECT_EQ(net.inbox.size(), 400u);
}

TEST(SimNetworkBottleneckTest, AFullSharedQueueTailDropsEveryDirectionsDatagrams) {
  TwoSenders net;
  net.SetOwnLinks(Limited(0));  // No bandwidth of their own: datagrams reach it at once.
  const BottleneckId id = net.Share(kBottleneckBps, 3 * kSize);
  for (uint8_t i = 0; i < 4; ++i) net.sa->SendTo(kB, Bytes(kSize, i));
  net.sc->SendTo(kB, Bytes(kSize, 9));  // The queue is a's three: c's is dropped too.
  const auto& recorder = net.world.recorder;
  ASSERT_EQ(recorder.Count(DatagramFate::kQueueFull), 2u);
  EXPECT_EQ(recorder.Of(DatagramFate::kQueueFull)[0].event.datagram, 4u);
  EXPECT_EQ(recorder.Of(DatagramFate::kQueueFull)[1].event.from_host, net.c);
  EXPECT_EQ(recorder.Of(DatagramFate::kQueueFull)[1].event.time, kStart);
  EXPECT_EQ(net.world.network.Bottleneck(id)->tail_drops(), 2u);
  EXPECT_EQ(net.world.network.Bottleneck(id)->queued_bytes(), 3 * kSize);
  net.world.Run(milliseconds(1));  // The first has left: room for one more.
  net.sc->SendTo(kB, Bytes(kSize, 10));
  net.world.Run(milliseconds(100));
  ASSERT_EQ(net.inbox.size(), 4u);
  EXPECT_EQ(net.inbox[3].payload[0], 10);
  EXPECT_EQ(net.inbox[3].at, kStart + milliseconds(4) + kDelay);
  EXPECT_EQ(net.world.network.stats().count(DatagramFate::kQueueFull), 2u);
  EXPECT_EQ(net.world.network.Link(net.a, net.b)->tail_drops(), 0u) << "its own link kept all";
}

TEST(SimNetworkBottleneckTest, ADropAtTheBottleneckIsReportedWhenTheDatagramReachesIt) {
  TwoSenders net;
  LinkConditions own = Limited(1'000'000);  // 1000 bytes take 8 ms.
  ASSERT_EQ(net.world.network.SetConditions(net.a, net.b, own), NetworkResult::kOk);
  net.Share(500'000, kSize);  // 16 ms each, room for one.
  for (uint8_t i = 0; i < 3; ++i) net.sa->SendTo(kB, Bytes(kSize, i));
  EXPECT_EQ(net.world.network.in_flight(), 3u) << "on their way to the bottleneck";
  net.world.Run(milliseconds(100));
  // Link departures 8, 16, 24 ms. The first holds the bottleneck until
  // 24 ms, so the second finds it full at 16 ms; the third gets in at 24.
  const auto dropped = net.world.recorder.Of(DatagramFate::kQueueFull);
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0].event.datagram, 2u);
  EXPECT_EQ(dropped[0].event.time, kStart + milliseconds(16));
  ASSERT_EQ(net.inbox.size(), 2u);
  EXPECT_EQ(net.inbox[0].at, kStart + milliseconds(24) + kDelay);
  EXPECT_EQ(net.inbox[1].payload[0], 2);
  EXPECT_EQ(net.inbox[1].at, kStart + milliseconds(40) + kDelay);
}

TEST(SimNetworkBottleneckTest, ASocketsSendBufferDrainsAtItsOwnLinkNotTheBottleneck) {
  TwoSenders net;
  net.SetOwnLinks(Limited(kOwnLinkBps));
  const BottleneckId id = net.Share(1'000'000, kRoomy);  // 8 ms per datagram.
  net.sa->SetSendBufferBytes(kRoomy);
  for (int i = 0; i < 10; ++i) net.sa->SendTo(kB, Bytes(kSize, 1));
  EXPECT_EQ(net.sa->buffered_bytes(), 10 * kSize);
  net.world.Run(milliseconds(5));  // Ten datagrams of 0.5 ms have left the link.
  EXPECT_EQ(net.sa->buffered_bytes(), 0u);
  EXPECT_EQ(net.world.network.Bottleneck(id)->queued_bytes(), 10 * kSize);
}

// Every fate with its datagram, copy and bytes, in datagram order: what the
// draws decided, whatever the times.
std::vector<std::tuple<uint64_t, int, DatagramFate, std::vector<uint8_t>>> Decisions(
    const SimWorld& world) {
  std::vector<std::tuple<uint64_t, int, DatagramFate, std::vector<uint8_t>>> out;
  for (const auto& [event, bytes] : world.recorder.events) {
    out.emplace_back(event.datagram, event.copy, event.fate, bytes);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SimNetworkBottleneckTest, ABottleneckDrawsNothingOfItsOwn) {
  LinkConditions faulty = Limited(kOwnLinkBps);
  faulty.loss = 0.3;
  faulty.duplicate = 0.2;
  faulty.corrupt = 0.1;
  faulty.jitter = milliseconds(3);
  TwoSenders plain(7), shared(7);
  plain.SetOwnLinks(faulty);
  shared.SetOwnLinks(faulty);
  shared.Share(kBottleneckBps, kRoomy);
  for (TwoSenders* net : {&plain, &shared}) {
    for (int i = 0; i < 100; ++i) {
      net->sa->SendTo(kB, Bytes(kSize, static_cast<uint8_t>(i)));
      net->sc->SendTo(kB, Bytes(kSize, static_cast<uint8_t>(i)));
    }
    net->world.Run(std::chrono::seconds(1));
  }
  EXPECT_GT(plain.world.recorder.Count(DatagramFate::kLost), 0u);
  EXPECT_GT(plain.world.recorder.Count(DatagramFate::kCorrupted), 0u);
  EXPECT_EQ(Decisions(plain.world), Decisions(shared.world));
  // The same number of draws: the generators are in step.
  EXPECT_EQ(plain.world.random.NextU64(), shared.world.random.NextU64());
  EXPECT_NE(plain.world.network.digest(), shared.world.network.digest()) << "later arrivals";
}

TEST(SimNetworkBottleneckTest, BadArgumentsAreRefusedAndChangeNothing) {
  TwoSenders net;
  SimNetwork& network = net.world.network;
  BottleneckId id;
  EXPECT_EQ(network.AddBottleneck({}, kBottleneckBps, 0, &id), NetworkResult::kBadBottleneck);
  EXPECT_EQ(network.AddBottleneck({{net.a, net.b}}, 0, 0, &id), NetworkResult::kBadBottleneck);
  EXPECT_EQ(network.AddBottleneck({{net.a, HostId{9}}}, kBottleneckBps, 0, &id),
            NetworkResult::kUnknownHost);
  EXPECT_EQ(network.AddBottleneck({{net.a, net.b}, {net.a, net.b}}, kBottleneckBps, 0, &id),
            NetworkResult::kDirectionTaken);
  EXPECT_FALSE(id.valid()) << "no id for a refused bottleneck";
  EXPECT_FALSE(network.BottleneckOf(net.a, net.b).valid());
  EXPECT_EQ(network.CheckInvariants(), "");

  ASSERT_EQ(network.AddBottleneck({{net.a, net.b}}, kBottleneckBps, 0, &id), NetworkResult::kOk);
  ASSERT_TRUE(id.valid());
  EXPECT_EQ(network.BottleneckOf(net.a, net.b), id);
  EXPECT_FALSE(network.BottleneckOf(net.b, net.a).valid()) << "one direction only";
  EXPECT_EQ(network.Bottleneck(id)->queue_bytes(), kDefaultQueueBytes) << "0 is the default";
  EXPECT_EQ(network.Bottleneck(id)->bandwidth_bps(), kBottleneckBps);
  // A direction belongs to one bottleneck; a refused call adds none of its
  // other directions either.
  BottleneckId second;
  EXPECT_EQ(network.AddBottleneck({{net.c, net.b}, {net.a, net.b}}, kBottleneckBps, 0, &second),
            NetworkResult::kDirectionTaken);
  EXPECT_FALSE(network.BottleneckOf(net.c, net.b).valid());
  EXPECT_EQ(network.Bottleneck(BottleneckId{2}), nullptr);
  EXPECT_EQ(network.Bottleneck(BottleneckId{}), nullptr);
  ASSERT_EQ(network.AddBottleneck({{net.c, net.b}}, kBottleneckBps, 5000, &second),
            NetworkResult::kOk);
  EXPECT_NE(second, id);
  EXPECT_EQ(network.Bottleneck(second)->directions(), (std::set<HostPair>{{net.c, net.b}}));
  EXPECT_EQ(network.CheckInvariants(), "");
}

}  // namespace
}  // namespace p2pquic::sim
