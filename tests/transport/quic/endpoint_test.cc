// Endpoints over real UDP on 127.0.0.1, driven by the Boost.Asio runtime.
#include "transport/quic/endpoint/endpoint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <vector>

#include "sim/delaying_cid_registrar.h"
#include "testing/echo_app.h"
#include "testing/packet_builder.h"
#include "testing/test_certificate.h"
#include "tests/transport/quic/endpoint_pair_test_base.h"
#include "transport/runtime/asio/asio_clock.h"
#include "transport/runtime/asio/asio_udp_socket.h"
#include "transport/runtime/asio/system_random.h"

namespace p2pquic {
namespace {

// The system's randomness, except that while `stuck` is set every 8-byte
// draw (a CID of the default length) gives the same bytes: a collision storm.
class StuckCidRandom final : public Random {
 public:
  void Fill(std::span<uint8_t> out) override {
    if (stuck && out.size() == kStuck.size()) {
      std::copy(kStuck.begin(), kStuck.end(), out.begin());
    } else {
      system.Fill(out);
    }
  }
  static constexpr std::array<uint8_t, 8> kStuck = {0xc0, 0x11, 0x1d, 0xe5, 0, 1, 2, 3};
  bool stuck = false;
  SystemRandom system;
};

// Records the CIDs an endpoint issued whose registration is delayed.
class UnregisteredCids final : public EndpointTracer {
 public:
  void OnDatagramRouted(const ReceivedDatagram&, const RoutingHeader&,
                        const RouteResult&) override {}
  void OnDatagramSent(const NetworkPath&, std::span<const uint8_t>) override {}
  ConnectionTrace* OnConnectionCreated(ConnectionHandle, bool, const NetworkPath&) override {
    return nullptr;
  }
  void OnHandshakeCompleted(ConnectionHandle) override {}
  void OnCidIssued(ConnectionHandle, const ConnectionId& cid, uint64_t, bool registered) override {
    if (!registered) cids.push_back(cid);
  }
  void OnCidRegistered(ConnectionHandle, const ConnectionId&, uint64_t) override {}
  void OnCidRetired(ConnectionHandle, const ConnectionId&, uint64_t) override {}
  void OnPathValidation(ConnectionHandle, const NetworkPath&, PathValidation) override {}
  void OnPathMtuBlackHole(ConnectionHandle, const NetworkPath&, size_t, size_t) override {}
  void OnConnectionRemoved(ConnectionHandle, const ConnectionEnd&) override {}
  void OnStatelessResetSent(const NetworkPath&, const ConnectionId&) override {}

  std::vector<ConnectionId> cids;
};

class EndpointTest : public testing::EndpointPairTest {};

using testing::SendOnNewStream;

TEST_F(EndpointTest, DialsHandshakesAndEchoesAStreamOverLoopback) {
  MakeEndpoints();
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(
      RunUntil([&] { return !client_app_.ready().empty() && !server_app_.ready().empty(); }));
  QuicConnection* quic = client_->Find(handle);
  ASSERT_NE(quic, nullptr);
  int64_t id;
  ASSERT_EQ(quic->OpenStream(&id), StreamOpenResult::kOk);
  std::vector<uint8_t> payload(300000);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i);
  size_t accepted;
  ASSERT_EQ(quic->WriteStream(id, payload, true, &accepted), StreamWriteResult::kOk);
  ASSERT_EQ(accepted, payload.size());
  client_->Flush(handle);
  ASSERT_TRUE(RunUntil([&] { return !client_app_.finished().empty(); }));
  EXPECT_EQ(client_app_.ReceivedOn(id), payload);
  EXPECT_EQ(server_app_.inbound_count(), 1);
  EXPECT_EQ(server_->registry().stats().connections_established, 1u);
  // Kept a while for late duplicates of the first Initial (initial_dcid_linger).
  EXPECT_EQ(server_->registry().stats().initial_dcids, 1u);
  EXPECT_GE(server_->registry().stats().lookups(RouteOutcome::kCidHit), 1u);
}

TEST_F(EndpointTest, InitialDcidsLingerForTheConfiguredTimeAfterTheHandshake) {
  EndpointConfig server_config;
  server_config.initial_dcid_linger = std::chrono::milliseconds(150);
  MakeEndpoints(server_config);
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return !server_app_.ready().empty(); }));
  const auto completed = std::chrono::steady_clock::now();
  EXPECT_EQ(server_->registry().stats().initial_dcids, 1u);
  ASSERT_TRUE(RunUntil([&] { return server_->registry().stats().initial_dcids == 0; }));
  EXPECT_GE(std::chrono::steady_clock::now() - completed, std::chrono::milliseconds(140));
  EXPECT_EQ(server_->connection_count(), 1u);  // The connection itself stays.
  EXPECT_TRUE(server_->registry().CheckInvariants().ok());
}

TEST_F(EndpointTest, ClosingRemovesTheConnectionAndAllItsCidsOnBothSides) {
  MakeEndpoints();
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return !server_app_.ready().empty(); }));
  client_->Close(handle, 0);
  ASSERT_TRUE(
      RunUntil([&] { return !client_app_.closed().empty() && !server_app_.closed().empty(); }));
  EXPECT_EQ(client_app_.closed().front().reason, "closed locally with code 0");
  EXPECT_EQ(client_app_.closed().front().cause, CloseCause::kLocalClose);
  EXPECT_EQ(server_app_.closed().front().reason, "closed by the peer with code 0");
  EXPECT_EQ(server_app_.closed().front().cause, CloseCause::kPeerClose);
  EXPECT_EQ(client_->connection_count(), 0u);
  EXPECT_EQ(server_->connection_count(), 0u);
  for (const Endpoint* e : {client_.get(), server_.get()}) {
    const RegistryStats& s = e->registry().stats();
    EXPECT_EQ(s.cids(CidState::kIssued) + s.cids(CidState::kActive) + s.cids(CidState::kRetiring),
              0u);
    EXPECT_EQ(s.address_bindings + s.initial_dcids, 0u);
    EXPECT_TRUE(e->registry().CheckInvariants().ok());
  }
}

TEST_F(EndpointTest, AnUnknownVersionGetsVersionNegotiation) {
  MakeEndpoints();
  auto raw = OpenSocket();
  std::vector<uint8_t> answer;
  raw->SetReceiveHandler(
      [&](const ReceivedDatagram& d) { answer.assign(d.payload.begin(), d.payload.end()); });
  const auto probe = testing::LongHeaderPacket(testing::LongType::kInitial, testing::MakeCid(1),
                                               testing::MakeCid(2), 1200, 0x1a2a3a4a);
  ASSERT_EQ(raw->SendTo(server_->local_address(), probe), SendResult::kSent);
  ASSERT_TRUE(RunUntil([&] { return !answer.empty(); }));
  // A Version Negotiation packet: long header, version 0, listing v1.
  EXPECT_NE(answer[0] & 0x80, 0);
  EXPECT_EQ((std::vector<uint8_t>(answer.begin() + 1, answer.begin() + 5)),
            (std::vector<uint8_t>{0, 0, 0, 0}));
  EXPECT_EQ((std::vector<uint8_t>(answer.end() - 4, answer.end())),
            (std::vector<uint8_t>{0, 0, 0, 1}));
  EXPECT_EQ(server_->stats().version_negotiations_sent, 1u);
}

TEST_F(EndpointTest, AnUnknownShortHeaderGetsASmallerStatelessReset) {
  MakeEndpoints();
  auto raw = OpenSocket();
  std::vector<uint8_t> answer;
  raw->SetReceiveHandler(
      [&](const ReceivedDatagram& d) { answer.assign(d.payload.begin(), d.payload.end()); });
  const auto probe = testing::ShortHeaderPacket(testing::MakeCid(0x77), 60);
  ASSERT_EQ(raw->SendTo(server_->local_address(), probe), SendResult::kSent);
  ASSERT_TRUE(RunUntil([&] { return !answer.empty(); }));
  EXPECT_LT(answer.size(), probe.size());
  EXPECT_GE(answer.size(), 21u);
  EXPECT_EQ(answer[0] & 0xc0, 0x40);  // Looks like a short header.
  EXPECT_EQ(server_->stats().stateless_resets_sent, 1u);
}

TEST_F(EndpointTest, StatelessResetsAreRateLimited) {
  EndpointConfig config;
  config.stateless_resets_per_second = 3;
  MakeEndpoints(config);
  auto raw = OpenSocket();
  int answers = 0;
  raw->SetReceiveHandler([&](const ReceivedDatagram&) { ++answers; });
  for (int i = 0; i < 20; ++i) {
    raw->SendTo(server_->local_address(), testing::ShortHeaderPacket(testing::MakeCid(i), 60));
  }
  RunUntil([&] { return server_->stats().datagrams_received == 20; });
  const auto settle = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  RunUntil([&] { return std::chrono::steady_clock::now() >= settle; });
  EXPECT_EQ(static_cast<uint64_t>(answers), server_->stats().stateless_resets_sent);
  EXPECT_LE(server_->stats().stateless_resets_sent, 4u);
  // Suppressed by the endpoint's budget, or (one sender, one prefix) its
  // prefix's.
  EXPECT_GE(server_->stats().stateless_resets_suppressed +
                server_->stats().stateless_resets_suppressed_prefix,
            16u);
}

TEST_F(EndpointTest, HandshakesBeyondThePendingLimitAreRefused) {
  EndpointConfig config;
  config.max_pending_handshakes = 0;
  MakeEndpoints(config);
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return server_->stats().initials_refused >= 1; }));
  EXPECT_EQ(server_->connection_count(), 0u);
  EXPECT_EQ(server_app_.inbound_count(), 0);
}

TEST_F(EndpointTest, ACompletedHandshakeFreesItsPendingSlot) {
  EndpointConfig config;
  config.max_pending_handshakes = 1;
  MakeEndpoints(config);
  ConnectionHandle first, second;
  ASSERT_EQ(client_->Dial(server_->local_address(), &first), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return server_app_.ready().size() == 1; }));
  ASSERT_EQ(client_->Dial(server_->local_address(), &second), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return server_app_.ready().size() == 2; }));
  EXPECT_EQ(server_->stats().initials_refused, 0u);
}

TEST_F(EndpointTest, ConnectionsBeyondMaxConnectionsAreRefused) {
  EndpointConfig config;
  config.max_connections = 1;
  MakeEndpoints(config);
  ConnectionHandle first;
  ASSERT_EQ(client_->Dial(server_->local_address(), &first), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return !server_app_.ready().empty(); }));
  auto second_socket = OpenSocket();
  testing::EchoApp second_app{testing::EchoMode::kRecordOnly};
  EndpointConfig client_config;
  client_config.accept_inbound = false;
  Endpoint second(client_config, *second_socket, clock_, random_, client_credentials_, second_app);
  second.Start();
  ConnectionHandle handle;
  ASSERT_EQ(second.Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return server_->stats().initials_refused >= 1; }));
  EXPECT_EQ(server_->connection_count(), 1u);
  EXPECT_TRUE(second_app.ready().empty());
}

TEST_F(EndpointTest, AnEndpointThatDoesNotAcceptInboundRefusesInitials) {
  MakeEndpoints();
  ConnectionHandle handle;
  // The client endpoint has accept_inbound = false: dial it from the server.
  ASSERT_EQ(server_->Dial(client_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return client_->stats().initials_refused >= 1; }));
  EXPECT_EQ(client_->connection_count(), 0u);
}

TEST_F(EndpointTest, AClientMigratesToANewPortAndItsStreamsCarryOn) {
  MakeEndpoints();
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(
      RunUntil([&] { return !client_app_.ready().empty() && !server_app_.ready().empty(); }));
  ASSERT_TRUE(
      RunUntil([&] { return client_->registry().stats().lookups(RouteOutcome::kCidHit) >= 2; }));
  const SocketAddress before = client_->local_address();
  EXPECT_FALSE(client_->Find(handle)->PeerDisallowsMigration());
  ASSERT_EQ(client_->Migrate(SocketAddress::Loopback4(0)), MigrateResult::kOk);
  EXPECT_NE(client_->local_address(), before);
  const std::vector<uint8_t> payload(200000, 0x5a);
  const int64_t id = SendOnNewStream(*client_, handle, payload);
  ASSERT_TRUE(RunUntil([&] {
    return !client_app_.finished().empty() && server_->stats().path_validations_succeeded >= 1 &&
           client_->stats().path_validations_succeeded >= 1;
  }));
  EXPECT_EQ(client_app_.ReceivedOn(id), payload);  // Echoed over the new path.
  EXPECT_EQ(client_->stats().migrations, 1u);
  EXPECT_EQ(client_->Find(handle)->path().local, client_->local_address());
  EXPECT_TRUE(server_->registry().CheckInvariants().ok());
  EXPECT_TRUE(client_->registry().CheckInvariants().ok());
}

TEST_F(EndpointTest, AClientStaysPutWhenTheServerForbidsMigration) {
  EndpointConfig server_config;
  server_config.quic.disable_active_migration = true;
  MakeEndpoints(server_config);
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(
      RunUntil([&] { return !client_app_.ready().empty() && !server_app_.ready().empty(); }));
  ASSERT_TRUE(
      RunUntil([&] { return client_->registry().stats().lookups(RouteOutcome::kCidHit) >= 2; }));
  const SocketAddress before = client_->local_address();
  EXPECT_TRUE(client_->Find(handle)->PeerDisallowsMigration());
  EXPECT_EQ(client_->Migrate(SocketAddress::Loopback4(0)), MigrateResult::kPeerDisallows);
  EXPECT_EQ(client_->local_address(), before);  // Refused before the socket moved.
  const std::vector<uint8_t> payload(20000, 0x33);
  const int64_t id = SendOnNewStream(*client_, handle, payload);
  ASSERT_TRUE(RunUntil([&] { return !client_app_.finished().empty(); }));
  EXPECT_EQ(client_app_.ReceivedOn(id), payload);  // Still served on the old path.
  EXPECT_EQ(client_->stats().migrations, 0u);
  EXPECT_EQ(server_->stats().path_validations_succeeded, 0u);
}

TEST_F(EndpointTest, AMigrationWithoutASpareCidWaitsForThePeersNextOne) {
  EndpointConfig client_config;
  client_config.quic.active_connection_id_limit = 2;  // The server keeps one spare CID with us.
  MakeEndpoints({}, client_config);
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil(
      [&] { return client_->Find(handle)->MigrationBlocker(clock_.Now()) == MigrateResult::kOk; }));
  ASSERT_EQ(client_->Migrate(SocketAddress::Loopback4(0)), MigrateResult::kOk);  // Uses the spare.
  const SocketAddress first = client_->local_address();
  // The server issues the next CID only once it sees the retirement.
  EXPECT_EQ(client_->Migrate(SocketAddress::Loopback4(0)), MigrateResult::kDeferred);
  EXPECT_EQ(client_->local_address(), first);  // Nothing moved yet.
  ASSERT_TRUE(client_->pending_migration().has_value());
  ASSERT_TRUE(RunUntil([&] { return !client_->pending_migration(); }));
  EXPECT_NE(client_->local_address(), first);
  EXPECT_EQ(client_->Find(handle)->path().local, client_->local_address());
  EXPECT_EQ(client_->stats().migrations, 2u);
  EXPECT_EQ(client_->stats().migrations_deferred, 1u);
  EXPECT_EQ(client_->stats().migrations_abandoned, 0u);
  const std::vector<uint8_t> payload(30000, 0x42);
  const int64_t id = SendOnNewStream(*client_, handle, payload);
  ASSERT_TRUE(RunUntil([&] { return !client_app_.finished().empty(); }));
  EXPECT_EQ(client_app_.ReceivedOn(id), payload);  // Echoed over the newest path.
  EXPECT_TRUE(client_->registry().CheckInvariants().ok());
}

// Every CID the server draws is the same: the second connection's first CID
// collides with the first's on every draw, so it is refused (before: it ran
// on a CID the registry did not hold), and the first fails when it must
// issue more. Both counted; the registry stays consistent.
TEST_F(EndpointTest, ACidCollisionStormRefusesTheConnection) {
  StuckCidRandom stuck;
  stuck.stuck = true;
  server_random_ = &stuck;
  MakeEndpoints();
  ConnectionHandle first, second;
  ASSERT_EQ(client_->Dial(server_->local_address(), &first), DialResult::kOk);
  ASSERT_EQ(client_->Dial(server_->local_address(), &second), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return server_->stats().cid_draws_exhausted >= 2; }));
  EXPECT_EQ(server_->stats().handshakes_started, 1u);  // The second was refused.
  EXPECT_GE(server_->stats().initials_refused, 1u);
  EXPECT_GE(server_->stats().cid_collisions, 2u * CidGenerator::kMaxDraws);
  EXPECT_TRUE(server_->registry().CheckInvariants().ok());
  ASSERT_TRUE(RunUntil([&] { return server_->connection_count() == 0; }));
  EXPECT_TRUE(server_->registry().CheckInvariants().ok());
  EXPECT_EQ(server_->registry().stats().address_bindings, 0u);
}

TEST_F(EndpointTest, AServerDoesNotMigrate) {
  MakeEndpoints();
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return !server_app_.ready().empty(); }));
  EXPECT_EQ(server_->Migrate(SocketAddress::Loopback4(0)), MigrateResult::kServesInbound);
}

TEST_F(EndpointTest, CidsRegisteredLateAreReachedThroughAddressFallback) {
  // The client's later CIDs reach its registry a second after they are
  // announced; after migrating, the server answers on one of them at once.
  client_registrar_.set_delay(std::chrono::seconds(1));
  EndpointConfig client_config;
  client_config.cid_registrar = &client_registrar_;
  MakeEndpoints({}, client_config);
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(
      RunUntil([&] { return !client_app_.ready().empty() && !server_app_.ready().empty(); }));
  ASSERT_TRUE(
      RunUntil([&] { return client_->registry().stats().lookups(RouteOutcome::kCidHit) >= 2; }));
  ASSERT_EQ(client_->Migrate(SocketAddress::Loopback4(0)), MigrateResult::kOk);
  const std::vector<uint8_t> payload(50000, 0x11);
  const int64_t id = SendOnNewStream(*client_, handle, payload);
  ASSERT_TRUE(RunUntil([&] { return !client_app_.finished().empty(); }));
  EXPECT_EQ(client_app_.ReceivedOn(id), payload);
  EXPECT_GE(client_->registry().stats().lookups(RouteOutcome::kFallback), 1u);
  EXPECT_GE(client_->registry().stats().fallback_confirmed, 1u);
  EXPECT_TRUE(client_->registry().CheckInvariants().ok());
}

// Issue 8, defect 6: a CID reached through the address fallback may be bound
// only once the connection decrypted a packet sent to it. ngtcp2 takes an
// undecryptable 1-RTT packet without error, and the endpoint used to take
// that for proof: anyone sending from (or spoofing) the peer's address could
// bind CIDs it merely guessed or saw announced.
TEST_F(EndpointTest, AnUndecryptableDatagramBindsNoFallbackCidAndAGenuineOneDoes) {
  UnregisteredCids issued;
  client_tracer_ = &issued;
  // The client's later CIDs reach its registry only after the test is done
  // with them, so each can only be reached through the fallback.
  client_registrar_.set_delay(std::chrono::seconds(3));
  EndpointConfig client_config;
  client_config.cid_registrar = &client_registrar_;
  MakeEndpoints({}, client_config);
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(
      RunUntil([&] { return !client_app_.ready().empty() && !server_app_.ready().empty(); }));
  ASSERT_TRUE(RunUntil([&] {
    return !issued.cids.empty() && client_->registry().stats().lookups(RouteOutcome::kCidHit) >= 2;
  }));
  const RegistryStats& stats = client_->registry().stats();
  ASSERT_EQ(stats.lookups(RouteOutcome::kFallback), 0u);
  // Forged: from the server's address, under every CID the client issued
  // and has not registered, with a payload that decrypts under no key.
  for (const ConnectionId& cid : issued.cids) {
    ASSERT_EQ(server_socket_->SendTo(client_->local_address(), testing::ShortHeaderPacket(cid, 60)),
              SendResult::kSent);
  }
  ASSERT_TRUE(
      RunUntil([&] { return stats.lookups(RouteOutcome::kFallback) >= issued.cids.size(); }));
  EXPECT_EQ(stats.fallback_confirmed, 0u) << "a CID was bound by a datagram nobody decrypted";
  EXPECT_EQ(client_->connection_count(), 1u);
  // Genuine: after the client migrates, the server answers on one of those
  // CIDs (a fresh one for the new path), and that binds it.
  ASSERT_EQ(client_->Migrate(SocketAddress::Loopback4(0)), MigrateResult::kOk);
  const std::vector<uint8_t> payload(50000, 0x11);
  const int64_t id = SendOnNewStream(*client_, handle, payload);
  ASSERT_TRUE(RunUntil([&] { return !client_app_.finished().empty(); }));
  EXPECT_EQ(client_app_.ReceivedOn(id), payload);
  EXPECT_GE(stats.fallback_confirmed, 1u);
  EXPECT_TRUE(client_->registry().CheckInvariants().ok());
}

}  // namespace
}  // namespace p2pquic
