// The production Endpoint, unchanged, over the simulated network: virtual
// time, a 40 ms RTT and 2% loss each way.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "sim/event_queue.h"
#include "sim/sim_clock.h"
#include "sim/sim_network.h"
#include "testing/accept_any_certificate.h"
#include "testing/echo_app.h"
#include "testing/test_certificate.h"
#include "transport/quic/endpoint/endpoint.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::sim {
namespace {

// A server and a client Endpoint on two simulated hosts over `link` (both
// directions), each with its own seeded randomness.
struct EndpointPair {
  explicit EndpointPair(const LinkConditions& link)
      : clock(queue),
        network_random(7),
        server_random(8),
        client_random(9),
        key_random(10),
        network(queue, network_random),
        server_host(network.AddHost("server")),
        client_host(network.AddHost("client")) {
    EXPECT_EQ(network.SetDefaultConditions(link), NetworkResult::kOk);
    EXPECT_EQ(network.AddAddress(server_host, server_address), NetworkResult::kOk);
    EXPECT_EQ(network.AddAddress(client_host, client_address), NetworkResult::kOk);
    server_socket = network.Bind(server_address);
    client_socket = network.Bind(client_address);
    EXPECT_NE(server_socket, nullptr);
    EXPECT_NE(client_socket, nullptr);
    server_credentials = testing::MakeSelfSignedCredentials(key_random, clock.WallNow());
    client_credentials = testing::MakeSelfSignedCredentials(key_random, clock.WallNow());
    EndpointConfig client_config;
    client_config.accept_inbound = false;
    server = std::make_unique<Endpoint>(EndpointConfig{}, *server_socket, clock, server_random,
                                        server_credentials, server_app);
    client = std::make_unique<Endpoint>(client_config, *client_socket, clock, client_random,
                                        client_credentials, client_app);
    server_app.set_endpoint(server.get());
    client_app.set_endpoint(client.get());
    server->Start();
    client->Start();
  }

  const SocketAddress server_address = SocketAddress::Ipv4({10, 0, 0, 1}, 4433);
  const SocketAddress client_address = SocketAddress::Ipv4({10, 0, 0, 2}, 50000);
  EventQueue queue;
  SimClock clock;
  SeededRandom network_random, server_random, client_random, key_random;
  SimNetwork network;
  const HostId server_host, client_host;
  std::unique_ptr<SimSocket> server_socket, client_socket;
  TlsCredentials server_credentials, client_credentials;
  testing::AcceptAnyCertificate verifier;
  // Declared last: destroyed first, while the sockets and network live.
  testing::EchoApp server_app{verifier, testing::EchoMode::kEcho},
      client_app{verifier, testing::EchoMode::kRecordOnly};
  std::unique_ptr<Endpoint> server, client;
};

TEST(EndpointOverSimTest, HandshakeAndEchoAcrossALossyLinkInVirtualTime) {
  LinkConditions link;
  link.delay = std::chrono::milliseconds(20);
  link.loss = 0.02;
  EndpointPair pair(link);
  EventQueue& queue = pair.queue;
  Endpoint& client = *pair.client;
  testing::EchoApp& client_app = pair.client_app;
  testing::EchoApp& server_app = pair.server_app;
  const SocketAddress server_address = pair.server_address;
  SimNetwork& network = pair.network;

  ConnectionHandle handle;
  ASSERT_EQ(client.Dial(server_address, &handle), DialResult::kOk);
  const Timestamp start = queue.Now();
  ASSERT_TRUE(
      queue.RunUntil([&] { return !client_app.ready().empty() && !server_app.ready().empty(); },
                     start + std::chrono::seconds(30)));
  EXPECT_GE(queue.Now() - start, std::chrono::milliseconds(40));  // At least one round trip.

  std::vector<uint8_t> payload(1 << 20);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i * 13);
  int64_t id;
  ASSERT_EQ(client.Find(handle)->OpenStream(&id), StreamOpenResult::kOk);
  size_t accepted;
  ASSERT_EQ(client.Find(handle)->WriteStream(id, payload, true, &accepted), StreamWriteResult::kOk);
  ASSERT_EQ(accepted, payload.size());
  client.Flush(handle);
  ASSERT_TRUE(queue.RunUntil([&] { return !client_app.finished().empty(); },
                             queue.Now() + std::chrono::seconds(120)));
  EXPECT_EQ(client_app.received(), payload);
  EXPECT_EQ(network.stats().count(DatagramFate::kTooBig), 0u);  // The transport fits the MTU.
  EXPECT_EQ(network.CheckInvariants(), "");
  EXPECT_GT(network.stats().count(DatagramFate::kLost), 0u);  // Loss recovery really ran.
}

// Issue 8, defect 2: the client closes in the middle of an echo while its one
// CONNECTION_CLOSE (and what follows it for a while) is lost. The server,
// unaware, keeps sending; the closing client answers with the saved
// CONNECTION_CLOSE (1st, 2nd, 4th, ... datagram), one answer gets through
// once the blackhole ends, and the server's side ends then, not at its idle
// timeout. Both ends keep their own reason; the client's endpoint counts it.
TEST(EndpointOverSimTest, ALostCloseIsResentSoThePeerEndsLongBeforeItsIdleTimeout) {
  LinkConditions link;
  link.delay = std::chrono::milliseconds(10);
  link.bandwidth_bps = 20'000'000;
  EndpointPair pair(link);
  EventQueue& queue = pair.queue;
  Endpoint &server = *pair.server, &client = *pair.client;
  testing::EchoApp& client_app = pair.client_app;
  testing::EchoApp& server_app = pair.server_app;
  const SocketAddress server_address = pair.server_address;
  SimNetwork& network = pair.network;
  const HostId server_host = pair.server_host, client_host = pair.client_host;
  const Duration idle_timeout = EndpointConfig{}.quic.idle_timeout;

  ConnectionHandle handle;
  ASSERT_EQ(client.Dial(server_address, &handle), DialResult::kOk);
  ASSERT_TRUE(
      queue.RunUntil([&] { return !client_app.ready().empty() && !server_app.ready().empty(); },
                     queue.Now() + std::chrono::seconds(5)));
  const std::vector<uint8_t> payload(1 << 20, 0x6b);
  int64_t id;
  ASSERT_EQ(client.Find(handle)->OpenStream(&id), StreamOpenResult::kOk);
  size_t accepted;
  ASSERT_EQ(client.Find(handle)->WriteStream(id, payload, true, &accepted), StreamWriteResult::kOk);
  client.Flush(handle);
  ASSERT_TRUE(queue.RunUntil(queue.Now() + std::chrono::milliseconds(200)));
  ASSERT_FALSE(client_app.received().empty());  // The echo is under way.
  ASSERT_TRUE(client_app.finished().empty());

  ASSERT_EQ(network.Blackhole(client_host, server_host), NetworkResult::kOk);
  const Timestamp closed_at = queue.Now();
  client.Close(handle, 0);
  ASSERT_TRUE(queue.RunUntil(queue.Now() + std::chrono::milliseconds(50)));
  ASSERT_EQ(network.EndBlackhole(client_host, server_host), NetworkResult::kOk);
  ASSERT_TRUE(
      queue.RunUntil([&] { return !server_app.closed().empty() && !client_app.closed().empty(); },
                     closed_at + idle_timeout));
  EXPECT_LT(queue.Now() - closed_at, std::chrono::seconds(2));
  EXPECT_EQ(server_app.closed().front().reason, "closed by the peer with code 0");
  EXPECT_EQ(client_app.closed().front().reason, "closed locally with code 0");
  EXPECT_GE(client.stats().closing_datagrams_received, 2u);
  EXPECT_GE(client.stats().connection_closes_resent, 2u);  // The first answers were lost too.
  EXPECT_LT(client.stats().connection_closes_resent, client.stats().closing_datagrams_received);
  EXPECT_EQ(server.stats().connection_closes_resent, 0u);  // It drained: silent.
  EXPECT_EQ(network.CheckInvariants(), "");
}

}  // namespace
}  // namespace p2pquic::sim
