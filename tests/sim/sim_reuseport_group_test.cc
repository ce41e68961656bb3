// SimReuseportGroup: the kernel's demux over one shared SimSocket (the
// steering rule, else the 4-tuple hash), the SteeringSockets on top, and the
// forwarder's virtual delay.
#include "sim/sim_reuseport_group.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <memory>
#include <vector>

#include "sim/reuseport_hash.h"
#include "tests/sim/sim_world.h"
#include "transport/routing/quic_lb_cid_minter.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::sim::testing {
namespace {

constexpr uint32_t kWorkers = 4;
constexpr Duration kForwardDelay = std::chrono::milliseconds(3);
// Upper bound on client ports tried when looking for a tuple that the
// kernel's hash sends to a given worker.
constexpr uint16_t kPortsToTry = 512;

WorkerSteeringConfig Config() { return WorkerSteeringConfig{QuicLbConfig{}, kWorkers, nullptr}; }

ConnectionId CidOf(uint32_t worker) {
  SeededRandom random(77 + worker);
  return QuicLbCidMinter(QuicLbConfig{}, worker).Mint(random);
}

// A 1-RTT packet (short header) for `dcid`, padded.
std::vector<uint8_t> ShortHeader(const ConnectionId& dcid, uint8_t tag) {
  std::vector<uint8_t> packet(40, tag);
  packet[0] = 0x40;
  std::copy(dcid.bytes().begin(), dcid.bytes().end(), packet.begin() + 1);
  return packet;
}

// An Initial-like long header for a DCID the client chose.
std::vector<uint8_t> LongHeader(std::vector<uint8_t> dcid, uint8_t tag) {
  std::vector<uint8_t> packet(60, tag);
  const uint8_t header[] = {0xc0, 0, 0, 0, 1, static_cast<uint8_t>(dcid.size())};
  std::copy(std::begin(header), std::end(header), packet.begin());
  std::copy(dcid.begin(), dcid.end(), packet.begin() + 6);
  packet[6 + dcid.size()] = 0;  // SCID length.
  return packet;
}

struct Delivery {
  uint32_t worker;
  std::vector<uint8_t> payload;
  Timestamp at;
};

// A 4-worker server group at kB, a client socket at kA (port chosen by the test).
class ReuseportGroupTest : public ::testing::Test {
 protected:
  void Build(SimSteeringMode mode, uint16_t client_port = 4000) {
    world_.Host("client", kA);
    world_.Host("server", kB);
    client_ = world_.Open(kA.WithPort(client_port), &client_inbox_);
    group_ = std::make_unique<SimReuseportGroup>(world_.queue, world_.network.Bind(kB), Config(),
                                                 mode, kForwardDelay);
    for (uint32_t i = 0; i < kWorkers; ++i) {
      group_->worker(i).SetReceiveHandler([this, i](const ReceivedDatagram& d) {
        deliveries_.push_back({i, {d.payload.begin(), d.payload.end()}, d.received_at});
      });
    }
  }
  // A client port whose tuple the kernel's hash gives to `worker`.
  static uint16_t PortHashedTo(uint32_t worker) {
    for (uint16_t port = 4000; port < 4000 + kPortsToTry; ++port) {
      if (ReuseportWorker(kA.WithPort(port), kB, kWorkers) == worker) return port;
    }
    ADD_FAILURE() << "no port of " << kPortsToTry << " hashes to worker " << worker;
    return 4000;
  }

  SimWorld world_;
  std::vector<Received> client_inbox_;
  std::unique_ptr<SimSocket> client_;
  std::unique_ptr<SimReuseportGroup> group_;
  std::vector<Delivery> deliveries_;
};

TEST_F(ReuseportGroupTest, KernelModeDeliversEachCidToTheWorkerItNamesFromAnyPort) {
  Build(SimSteeringMode::kKernel);
  for (uint32_t w = 0; w < kWorkers; ++w) {
    ASSERT_EQ(client_->SendTo(kB, ShortHeader(CidOf(w), static_cast<uint8_t>(w))),
              SendResult::kSent);
  }
  // The same CIDs from another port: the tuple changes, the owner does not.
  ASSERT_EQ(client_->Rebind(kA.WithPort(4999)), RebindResult::kRebound);
  for (uint32_t w = 0; w < kWorkers; ++w) {
    ASSERT_EQ(client_->SendTo(kB, ShortHeader(CidOf(w), static_cast<uint8_t>(w))),
              SendResult::kSent);
  }
  world_.Run(std::chrono::milliseconds(100));
  ASSERT_EQ(deliveries_.size(), 2 * kWorkers);
  for (const Delivery& d : deliveries_) EXPECT_EQ(d.worker, d.payload.back());
  for (uint32_t w = 0; w < kWorkers; ++w) {
    EXPECT_EQ(group_->demux(w).by_cid, 2u);
    EXPECT_EQ(group_->worker(w).stats().misrouted, 0u);
  }
  EXPECT_EQ(group_->forwarder().stats().forwarded, 0u);
}

TEST_F(ReuseportGroupTest, KernelModeHashesAForeignInitialDcidAndTheTupleForUnsteered) {
  Build(SimSteeringMode::kKernel);
  const std::vector<uint8_t> dcid{0xf1, 2, 3, 4, 5, 6, 7, 8};  // Config id 7: not ours.
  ASSERT_EQ(client_->SendTo(kB, LongHeader(dcid, 1)), SendResult::kSent);
  // A short header for no CID of ours (config id 7): unsteered.
  ASSERT_EQ(client_->SendTo(kB, std::vector<uint8_t>(30, 0xff)), SendResult::kSent);
  world_.Run(std::chrono::milliseconds(100));
  ASSERT_EQ(deliveries_.size(), 2u);
  EXPECT_EQ(deliveries_[0].worker, SteeringHash(dcid) % kWorkers);
  EXPECT_EQ(deliveries_[1].worker, ReuseportWorker(kA, kB, kWorkers));
  EXPECT_EQ(group_->demux(deliveries_[1].worker).by_tuple, 1u);
  EXPECT_EQ(group_->TotalSteering().unsteered, 1u);
}

TEST_F(ReuseportGroupTest, ForwardModeHandsAMisrouteToItsOwnerAfterTheForwardDelay) {
  const uint32_t owner = 2;
  const uint32_t hashed = 1;
  Build(SimSteeringMode::kForward, PortHashedTo(hashed));
  ASSERT_EQ(client_->SendTo(kB, ShortHeader(CidOf(owner), 9)), SendResult::kSent);
  // One way is the default link delay; find out when it reached the host.
  world_.Run(std::chrono::milliseconds(100));
  ASSERT_EQ(deliveries_.size(), 1u);
  EXPECT_EQ(deliveries_[0].worker, owner);
  ASSERT_EQ(world_.recorder.events.size(), 1u);
  const Timestamp arrived = world_.recorder.events[0].event.time;
  EXPECT_EQ(deliveries_[0].at, arrived + kForwardDelay);
  EXPECT_EQ(group_->demux(hashed).by_tuple, 1u);
  EXPECT_EQ(group_->worker(hashed).stats().misrouted, 1u);
  EXPECT_EQ(group_->worker(owner).stats().forwarded_in, 1u);
  EXPECT_EQ(group_->forwarder().stats().delivered, 1u);
  EXPECT_EQ(group_->forwarder().stats().in_flight, 0u);
}

TEST_F(ReuseportGroupTest, ForwardModeDeliversAtOnceWhenTheHashPicksTheOwner) {
  const uint32_t owner = 3;
  Build(SimSteeringMode::kForward, PortHashedTo(owner));
  ASSERT_EQ(client_->SendTo(kB, ShortHeader(CidOf(owner), 9)), SendResult::kSent);
  world_.Run(std::chrono::milliseconds(100));
  ASSERT_EQ(deliveries_.size(), 1u);
  EXPECT_EQ(deliveries_[0].worker, owner);
  EXPECT_EQ(deliveries_[0].at, world_.recorder.events[0].event.time);
  EXPECT_EQ(group_->forwarder().stats().forwarded, 0u);
}

TEST_F(ReuseportGroupTest, EveryWorkerSendsFromTheSharedAddressAndCannotRebind) {
  Build(SimSteeringMode::kKernel);
  for (uint32_t w = 0; w < kWorkers; ++w) {
    EXPECT_EQ(group_->worker(w).LocalAddress(), kB);
    ASSERT_EQ(group_->worker(w).SendTo(kA, Bytes(20, static_cast<uint8_t>(w))), SendResult::kSent);
  }
  EXPECT_EQ(group_->worker(1).Rebind(kB.WithPort(7000)), RebindResult::kError);
  world_.Run(std::chrono::milliseconds(100));
  ASSERT_EQ(client_inbox_.size(), kWorkers);
  for (const Received& r : client_inbox_) EXPECT_EQ(r.remote, kB);
}

TEST(SimDatagramForwarderTest, DropsForADetachedWorkerAndDoesNothingOnceDestroyed) {
  EventQueue queue;
  auto forwarder = std::make_unique<SimDatagramForwarder>(queue, kForwardDelay, 2);
  const std::vector<uint8_t> bytes{1, 2, 3};
  forwarder->Forward(1, ReceivedDatagram{bytes, kA, kB, queue.Now()});
  ASSERT_TRUE(queue.RunUntil(queue.Now() + std::chrono::milliseconds(10)));
  EXPECT_EQ(forwarder->stats().dropped, 1u);
  EXPECT_EQ(forwarder->stats().in_flight, 0u);
  forwarder->Forward(0, ReceivedDatagram{bytes, kA, kB, queue.Now()});
  forwarder.reset();
  ASSERT_TRUE(queue.RunUntil(queue.Now() + std::chrono::milliseconds(10)));
}

// One seed, one traffic pattern: the same deliveries, times and digest;
// the group draws nothing, so the network's digest equals a run's with the
// same datagrams to a plain socket.
std::vector<std::pair<uint32_t, int64_t>> RunOnce(uint64_t seed, SimSteeringMode mode,
                                                  uint64_t* digest) {
  SimWorld world(seed);
  world.Host("client", kA);
  world.Host("server", kB);
  LinkConditions lossy;
  lossy.jitter = std::chrono::milliseconds(5);
  lossy.loss = 0.2;
  EXPECT_EQ(world.network.SetDefaultConditions(lossy), NetworkResult::kOk);
  auto client = world.Open(kA.WithPort(3999), nullptr);
  SimReuseportGroup group(world.queue, world.network.Bind(kB), Config(), mode, kForwardDelay);
  std::vector<std::pair<uint32_t, int64_t>> log;
  for (uint32_t i = 0; i < kWorkers; ++i) {
    group.worker(i).SetReceiveHandler([&log, i](const ReceivedDatagram& d) {
      log.emplace_back(i, d.received_at.time_since_epoch().count());
    });
  }
  for (uint16_t n = 0; n < 64; ++n) {
    EXPECT_EQ(client->Rebind(kA.WithPort(static_cast<uint16_t>(4000 + n % 7))),
              RebindResult::kRebound);
    EXPECT_EQ(client->SendTo(kB, ShortHeader(CidOf(n % kWorkers), 1)), SendResult::kSent);
  }
  EXPECT_TRUE(world.queue.RunUntil(world.queue.Now() + std::chrono::seconds(1)));
  *digest = world.network.digest();
  return log;
}

TEST(SimReuseportGroupDeterminismTest, OneSeedOneRunInBothModes) {
  for (SimSteeringMode mode : {SimSteeringMode::kKernel, SimSteeringMode::kForward}) {
    uint64_t d1 = 0, d2 = 0, d3 = 0;
    const auto a = RunOnce(5, mode, &d1);
    const auto b = RunOnce(5, mode, &d2);
    const auto c = RunOnce(6, mode, &d3);
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a, b) << ToString(mode);
    EXPECT_EQ(d1, d2);
    EXPECT_NE(d1, d3);
  }
}

}  // namespace
}  // namespace p2pquic::sim::testing
