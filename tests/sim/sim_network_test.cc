#include "sim/sim_network.h"

#include <gtest/gtest.h>

#include <vector>

#include "sim/sim_clock.h"
#include "transport/seeded_random.h"

namespace p2pquic::sim {
namespace {

using std::chrono::milliseconds;

const SocketAddress kA = SocketAddress::Ipv4({10, 0, 0, 1}, 4000);
const SocketAddress kB = SocketAddress::Ipv4({10, 0, 0, 2}, 5000);

struct ExchangeRun {
  std::vector<Timestamp> arrivals;
  NetworkStats stats;
  uint64_t digest;
};

ExchangeRun Exchange(uint64_t seed, const LinkConditions& link, int datagrams) {
  EventQueue queue;
  SeededRandom random(seed);
  SimNetwork network(queue, random);
  network.SetDefaultConditions(link);
  auto a = network.Bind(kA);
  auto b = network.Bind(kB);
  ExchangeRun run;
  b->SetReceiveHandler([&](const ReceivedDatagram& d) { run.arrivals.push_back(d.received_at); });
  const std::vector<uint8_t> payload(100, 7);
  for (int i = 0; i < datagrams; ++i) EXPECT_EQ(a->SendTo(kB, payload), SendResult::kSent);
  queue.RunUntil(queue.Now() + std::chrono::seconds(10));
  run.stats = network.stats();
  run.digest = network.digest();
  return run;
}

TEST(SimNetworkTest, DeliversAfterTheLinkDelayInVirtualTime) {
  LinkConditions link;
  link.delay = milliseconds(25);
  const ExchangeRun run = Exchange(1, link, 3);
  ASSERT_EQ(run.arrivals.size(), 3u);
  EXPECT_EQ(run.arrivals[0] - Timestamp(std::chrono::seconds(1)), milliseconds(25));
}

TEST(SimNetworkTest, LossAndDuplicationHappenAtTheirRates) {
  LinkConditions link;
  link.loss = 0.2;
  link.duplicate = 0.1;
  const ExchangeRun run = Exchange(2, link, 10000);
  EXPECT_NEAR(static_cast<double>(run.stats.lost) / 10000, 0.2, 0.02);
  EXPECT_NEAR(static_cast<double>(run.stats.duplicated) / 8000, 0.1, 0.02);
  EXPECT_EQ(run.stats.delivered, 10000 - run.stats.lost + run.stats.duplicated);
}

TEST(SimNetworkTest, TheSameSeedReplaysTheSameRunAndAnotherSeedDoesNot) {
  LinkConditions link;
  link.loss = 0.1;
  link.jitter = milliseconds(30);
  link.corrupt = 0.05;
  const ExchangeRun first = Exchange(42, link, 500);
  const ExchangeRun again = Exchange(42, link, 500);
  const ExchangeRun other = Exchange(43, link, 500);
  EXPECT_EQ(first.digest, again.digest);
  EXPECT_EQ(first.arrivals, again.arrivals);
  EXPECT_NE(first.digest, other.digest);
}

TEST(SimNetworkTest, JitterReordersAndRebindingMovesTheSocket) {
  EventQueue queue;
  SeededRandom random(9);
  SimNetwork network(queue, random);
  LinkConditions link;
  link.jitter = milliseconds(50);
  network.SetDefaultConditions(link);
  auto a = network.Bind(kA);
  auto b = network.Bind(kB);
  std::vector<uint8_t> order;
  b->SetReceiveHandler([&](const ReceivedDatagram& d) { order.push_back(d.payload[0]); });
  for (uint8_t i = 0; i < 50; ++i) a->SendTo(kB, std::vector<uint8_t>{i});
  queue.RunUntil(queue.Now() + std::chrono::seconds(1));
  ASSERT_EQ(order.size(), 50u);
  EXPECT_FALSE(std::is_sorted(order.begin(), order.end()));
  const SocketAddress moved = kB.WithPort(5001);
  ASSERT_EQ(b->Rebind(moved), RebindResult::kRebound);
  a->SendTo(kB, std::vector<uint8_t>{99});
  queue.RunUntil(queue.Now() + std::chrono::seconds(1));
  EXPECT_EQ(network.stats().unroutable, 1u);  // The old binding is gone.
  EXPECT_EQ(network.Bind(moved), nullptr);    // Taken by the rebound socket.
}

TEST(SimClockTest, TimersRunInVirtualTimeAndWallTimeFollows) {
  EventQueue queue;
  SimClock clock(queue);
  const UnixTime wall0 = clock.WallNow();
  bool fired = false;
  const TimerId cancelled = clock.ScheduleAt(clock.Now() + milliseconds(5), [] {});
  EXPECT_EQ(clock.Cancel(cancelled), CancelResult::kCancelled);
  clock.ScheduleAt(clock.Now() + std::chrono::seconds(30), [&] { fired = true; });
  queue.RunUntil(clock.Now() + std::chrono::seconds(31));
  EXPECT_TRUE(fired);
  EXPECT_EQ(clock.WallNow() - wall0, std::chrono::seconds(31));
}

}  // namespace
}  // namespace p2pquic::sim
