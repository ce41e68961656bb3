// SimNetwork::SendSpoofed: a datagram with a forged source travels the
// attachment's link to the destination like any send (delivered with the
// spoofed source, drawn for in the same order), answers to the spoofed
// address end unroutable, and bad calls are refused with nothing sent.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "tests/sim/sim_world.h"

namespace p2pquic::sim::testing {
namespace {

using std::chrono::milliseconds;

// A source no host owns (the flood range the scenarios use).
const SocketAddress kSpoofed = SocketAddress::Ipv4({198, 18, 0, 9}, 40000);

TEST(SimNetworkSpoofTest, ASpoofedDatagramArrivesFromItsForgedSourceAfterTheAttachmentsDelay) {
  SimWorld world;
  const HostId server = world.Host("server", kB);
  const HostId attacker = world.network.AddHost("attacker");
  LinkConditions slow;
  slow.delay = milliseconds(30);
  ASSERT_EQ(world.network.SetConditions(attacker, server, slow), NetworkResult::kOk);
  std::vector<Received> inbox;
  auto socket = world.Open(kB, &inbox);
  ASSERT_EQ(world.network.SendSpoofed(attacker, kSpoofed, kB, Bytes(100, 7)), NetworkResult::kOk);
  world.Run(milliseconds(100));
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].remote, kSpoofed);
  EXPECT_EQ(inbox[0].payload, Bytes(100, 7));
  EXPECT_EQ(inbox[0].at, kStart + milliseconds(30));
  ASSERT_EQ(world.recorder.events.size(), 1u);
  EXPECT_EQ(world.recorder.events[0].event.from_host, attacker);
  EXPECT_EQ(world.recorder.events[0].event.to_host, server);
  EXPECT_EQ(world.network.stats().sent, 1u);
}

TEST(SimNetworkSpoofTest, AnswersToASpoofedSourceEndUnroutable) {
  SimWorld world;
  world.Host("server", kB);
  std::vector<Received> inbox;
  auto socket = world.Open(kB, &inbox);
  ASSERT_EQ(socket->SendTo(kSpoofed, Bytes(50, 1)), SendResult::kSent);
  world.Run(milliseconds(100));
  EXPECT_EQ(world.recorder.Count(DatagramFate::kUnroutable), 1u);
  EXPECT_EQ(world.network.stats().count(DatagramFate::kUnroutable), 1u);
}

TEST(SimNetworkSpoofTest, BadCallsAreRefusedAndSendNothing) {
  SimWorld world;
  const HostId server = world.Host("server", kB);
  world.Host("client", kA);
  const std::vector<uint8_t> payload = Bytes(10, 2);
  EXPECT_EQ(world.network.SendSpoofed(HostId{99}, kSpoofed, kB, payload),
            NetworkResult::kUnknownHost);
  EXPECT_EQ(world.network.SendSpoofed(server, SocketAddress(), kB, payload),
            NetworkResult::kUnspecifiedAddress);
  EXPECT_EQ(
      world.network.SendSpoofed(
          server,
          SocketAddress::Ipv6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 4000),
          kB, payload),
      NetworkResult::kFamilyMismatch);
  // A host's own address is no spoof: its answers would arrive.
  EXPECT_EQ(world.network.SendSpoofed(server, kA, kB, payload), NetworkResult::kAddressTaken);
  EXPECT_EQ(world.network.SendSpoofed(server, kSpoofed, kB, Bytes(kMaxUdpPayload + 1, 0)),
            NetworkResult::kMessageTooLong);
  world.Run(milliseconds(10));
  EXPECT_EQ(world.network.stats().sent, 0u);
  EXPECT_TRUE(world.recorder.events.empty());
}

// The draw-order contract: a spoofed send draws as a socket's send would,
// so a lossy run with spoofed datagrams interleaved replays exactly.
uint64_t LossyDigest(uint64_t seed) {
  SimWorld world(seed);
  const HostId server = world.Host("server", kB);
  const HostId attacker = world.network.AddHost("attacker");
  world.Host("client", kA);
  LinkConditions lossy;
  lossy.loss = 0.3;
  lossy.jitter = milliseconds(5);
  lossy.duplicate = 0.1;
  lossy.corrupt = 0.1;
  EXPECT_EQ(world.network.SetDefaultConditions(lossy), NetworkResult::kOk);
  std::vector<Received> inbox;
  auto socket = world.Open(kB, &inbox);
  auto client = world.Open(kA, nullptr);
  constexpr int kDatagrams = 200;
  for (int i = 0; i < kDatagrams; ++i) {
    const uint8_t tag = static_cast<uint8_t>(i);
    EXPECT_EQ(world.network.SendSpoofed(attacker, SocketAddress::Ipv4({198, 18, 0, tag}, 40000), kB,
                                        Bytes(64, tag)),
              NetworkResult::kOk);
    EXPECT_EQ(client->SendTo(kB, Bytes(32, tag)), SendResult::kSent);
  }
  world.Run(milliseconds(200));
  (void)server;
  return world.network.digest();
}

TEST(SimNetworkSpoofTest, SpoofedSendsFollowTheDrawOrderSoASeedReplays) {
  EXPECT_EQ(LossyDigest(5), LossyDigest(5));
  EXPECT_NE(LossyDigest(5), LossyDigest(6));
}

}  // namespace
}  // namespace p2pquic::sim::testing
