// SimNetwork's NAT: a client behind a NAT talks to a public server, and the
// NAT rebinds the way the QUIC interop runner's rebinding tests do.
#include <gtest/gtest.h>

#include <vector>

#include "sim/sim_network.h"
#include "tests/sim/sim_world.h"

namespace p2pquic::sim {
namespace {

using std::chrono::milliseconds;
using testing::Received;
using testing::SimWorld;

const SocketAddress kInside = SocketAddress::Ipv4({192, 168, 1, 10}, 50000);
const SocketAddress kOutside = SocketAddress::Ipv4({198, 51, 100, 77}, 62000);
const SocketAddress kServer = SocketAddress::Ipv4({198, 51, 100, 1}, 443);

std::vector<uint8_t> Bytes(uint8_t tag) { return std::vector<uint8_t>(10, tag); }

struct Natted {
  Natted() {
    client = world.Host("client", kInside);
    server = world.Host("server", kServer);
    EXPECT_EQ(world.network.AddNat(client, kInside, kOutside), NetworkResult::kOk);
    client_socket = world.Open(kInside, &at_client);
    server_socket = world.Open(kServer, &at_server);
  }
  // The client sends, the server answers whoever it saw; returns what the
  // server saw.
  SocketAddress RoundTrip(uint8_t tag) {
    client_socket->SendTo(kServer, Bytes(tag));
    world.Run(milliseconds(20));
    EXPECT_FALSE(at_server.empty());
    if (at_server.empty()) return {};
    const SocketAddress seen = at_server.back().remote;
    server_socket->SendTo(seen, Bytes(tag));
    world.Run(milliseconds(20));
    return seen;
  }

  SimWorld world;
  HostId client, server;
  std::vector<Received> at_client, at_server;
  std::unique_ptr<SimSocket> client_socket, server_socket;
};

TEST(SimNetworkNatTest, TheServerSeesTheOutsideAddressAndRepliesReachTheInsideSocket) {
  Natted net;
  LinkConditions slow;
  slow.delay = milliseconds(15);
  ASSERT_EQ(net.world.network.SetConditions(net.server, net.client, slow), NetworkResult::kOk);
  net.client_socket->SendTo(kServer, Bytes(1));
  net.world.Run(milliseconds(20));
  ASSERT_EQ(net.at_server.size(), 1u);
  EXPECT_EQ(net.at_server[0].remote, kOutside);
  const Timestamp replied = net.world.queue.Now();
  net.server_socket->SendTo(kOutside, Bytes(2));
  net.world.Run(milliseconds(20));
  ASSERT_EQ(net.at_client.size(), 1u);
  EXPECT_EQ(net.at_client[0].remote, kServer);
  EXPECT_EQ(net.at_client[0].local, kInside);
  EXPECT_EQ(net.at_client[0].at, replied + milliseconds(15));  // The client host's link.
  const auto& events = net.world.recorder.events;
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event.from, kInside);
  EXPECT_EQ(events[0].event.delivered_from, kOutside);
  EXPECT_EQ(events[0].event.delivered_to, kServer);
  EXPECT_EQ(events[1].event.to, kOutside);
  EXPECT_EQ(events[1].event.to_host, net.client);
  EXPECT_EQ(events[1].event.delivered_to, kInside);
  EXPECT_EQ(net.client_socket->LocalAddress(), kInside);  // The socket never knows.
}

struct RebindCase {
  NatRebind what;
  SocketAddress expected;
};

class SimNetworkNatRebindTest : public ::testing::TestWithParam<RebindCase> {};

TEST_P(SimNetworkNatRebindTest, TheServerSeesTheNewAddressAndTheOldOneIsDropped) {
  Natted net;
  ASSERT_EQ(net.RoundTrip(1), kOutside);
  SocketAddress fresh;
  ASSERT_EQ(net.world.network.RebindNat(kInside, GetParam().what, &fresh), NetworkResult::kOk);
  EXPECT_EQ(fresh, GetParam().expected);
  EXPECT_EQ(net.RoundTrip(2), fresh);
  ASSERT_EQ(net.at_client.size(), 2u);  // The reply to the new address got in.
  EXPECT_EQ(net.at_client[1].payload, Bytes(2));
  EXPECT_EQ(net.client_socket->LocalAddress(), kInside);
  net.server_socket->SendTo(kOutside, Bytes(3));  // The old mapping is gone.
  net.world.Run(milliseconds(20));
  EXPECT_EQ(net.at_client.size(), 2u);
  EXPECT_EQ(net.world.network.stats().count(DatagramFate::kNoNatMapping), 1u);
  const auto dropped = net.world.recorder.Of(DatagramFate::kNoNatMapping);
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0].event.to, kOutside);
  EXPECT_EQ(dropped[0].event.to_host, net.client);  // Still the client's NAT IP.
  EXPECT_EQ(net.world.network.nat().FindByOutside(kOutside), nullptr);
  EXPECT_EQ(net.world.network.nat().FindByInside(kInside)->outside, fresh);
}

INSTANTIATE_TEST_SUITE_P(
    EachKind, SimNetworkNatRebindTest,
    ::testing::Values(RebindCase{NatRebind::kPort, kOutside.WithPort(62001)},
                      RebindCase{NatRebind::kAddress, SocketAddress::Ipv4({203, 0, 113, 1}, 62000)},
                      RebindCase{NatRebind::kBoth, SocketAddress::Ipv4({203, 0, 113, 1}, 62001)}));

TEST(SimNetworkNatTest, DatagramsInFlightAcrossARebindKeepTheOldSourceAndLoseTheOldDestination) {
  Natted net;
  LinkConditions link;
  link.delay = milliseconds(30);
  net.world.network.SetDefaultConditions(link);
  net.client_socket->SendTo(kServer, Bytes(1));
  net.server_socket->SendTo(kOutside, Bytes(2));
  net.world.Run(milliseconds(10));
  ASSERT_EQ(net.world.network.RebindNat(kInside, NatRebind::kPort), NetworkResult::kOk);
  net.world.Run(milliseconds(30));
  ASSERT_EQ(net.at_server.size(), 1u);
  EXPECT_EQ(net.at_server[0].remote, kOutside);  // Rewritten when it was sent.
  EXPECT_TRUE(net.at_client.empty());            // Translated on arrival: no mapping.
  EXPECT_EQ(net.world.network.stats().count(DatagramFate::kNoNatMapping), 1u);
}

TEST(SimNetworkNatTest, SuccessiveRebindsKeepMovingAndTheCallerMayChoose) {
  Natted net;
  SocketAddress fresh;
  ASSERT_EQ(net.world.network.RebindNat(kInside, NatRebind::kAddress, &fresh), NetworkResult::kOk);
  ASSERT_EQ(net.world.network.RebindNat(kInside, NatRebind::kAddress, &fresh), NetworkResult::kOk);
  EXPECT_EQ(fresh, SocketAddress::Ipv4({203, 0, 113, 2}, 62000));  // Never reused.
  const SocketAddress chosen = SocketAddress::Ipv4({198, 51, 100, 99}, 7000);
  ASSERT_EQ(net.world.network.RebindNat(kInside, chosen), NetworkResult::kOk);
  EXPECT_EQ(net.RoundTrip(1), chosen);
  EXPECT_EQ(net.at_client.size(), 1u);
  EXPECT_EQ(net.world.network.RebindNat(kInside, chosen), NetworkResult::kAddressInUse);
  EXPECT_EQ(net.world.network.RebindNat(kInside, kServer.WithPort(1)),
            NetworkResult::kAddressTaken);
  EXPECT_EQ(net.world.network.RebindNat(kInside, SocketAddress::Ipv6({1}, 1)),
            NetworkResult::kFamilyMismatch);
  EXPECT_EQ(net.world.network.RebindNat(kServer, NatRebind::kPort), NetworkResult::kNoMapping);
  EXPECT_EQ(net.world.network.CheckInvariants(), "");
}

TEST(SimNetworkNatTest, MappingsNeedTheHostsOwnInsideAndAnOutsideNobodyElseHas) {
  Natted net;
  SimNetwork& network = net.world.network;
  const SocketAddress second_inside = kInside.WithPort(50001);
  EXPECT_EQ(network.AddNat(net.client, kInside, kOutside.WithPort(1)),
            NetworkResult::kAlreadyMapped);
  EXPECT_EQ(network.AddNat(net.client, second_inside, kOutside), NetworkResult::kAddressInUse);
  EXPECT_EQ(network.AddNat(net.client, kServer.WithPort(9), kOutside.WithPort(1)),
            NetworkResult::kAddressNotOwned);
  EXPECT_EQ(network.AddNat(net.client, second_inside, kServer.WithPort(9)),
            NetworkResult::kAddressTaken);
  EXPECT_EQ(network.AddNat(HostId{9}, second_inside, kOutside.WithPort(1)),
            NetworkResult::kUnknownHost);
  EXPECT_EQ(network.AddNat(net.client, second_inside, SocketAddress::Ipv6({2}, 1)),
            NetworkResult::kFamilyMismatch);
  // One NAT IP, many ports, for one host; never another host's.
  EXPECT_EQ(network.AddNat(net.client, second_inside, kOutside.WithPort(1)), NetworkResult::kOk);
  EXPECT_EQ(network.AddNat(net.server, kServer, kOutside.WithPort(2)),
            NetworkResult::kAddressTaken);
  // A NAT IP is nobody's to bind or own.
  NetworkResult result;
  EXPECT_EQ(network.Bind(kOutside.WithPort(5), &result), nullptr);
  EXPECT_EQ(result, NetworkResult::kAddressNotOwned);
  EXPECT_EQ(network.AddAddress(net.server, kOutside), NetworkResult::kAddressTaken);
  EXPECT_EQ(network.nat().size(), 2u);
  EXPECT_EQ(network.CheckInvariants(), "");
}

TEST(SimNetworkNatTest, Ipv6MappingsRebindFromTheDocumentationPool) {
  SimWorld world;
  const SocketAddress inside =
      SocketAddress::Ipv6({0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 5);
  const SocketAddress outside =
      SocketAddress::Ipv6({0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 6000);
  const SocketAddress server =
      SocketAddress::Ipv6({0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 443);
  const HostId client = world.Host("client", inside);
  world.Host("server", server);
  ASSERT_EQ(world.network.AddNat(client, inside, outside), NetworkResult::kOk);
  std::vector<Received> at_server;
  auto c = world.Open(inside, nullptr);
  auto s = world.Open(server, &at_server);
  SocketAddress fresh;
  ASSERT_EQ(world.network.RebindNat(inside, NatRebind::kBoth, &fresh), NetworkResult::kOk);
  EXPECT_EQ(fresh, SocketAddress::Ipv6(
                       {0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 6001));
  c->SendTo(server, Bytes(1));
  world.Run(milliseconds(20));
  ASSERT_EQ(at_server.size(), 1u);
  EXPECT_EQ(at_server[0].remote, fresh);
}

}  // namespace
}  // namespace p2pquic::sim
