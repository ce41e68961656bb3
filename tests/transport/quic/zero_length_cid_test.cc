// Zero-length CIDs (QuicConfig::local_cid_length 0, RFC 9000 §5.1) on a
// client endpoint, over real UDP on 127.0.0.1 driven by the Boost.Asio
// runtime: the server's datagrams carry an empty DCID and reach the client by
// its 4-tuple; the client's registry holds no CID. A server endpoint with
// zero-length CIDs is refused (CheckEndpointConfig).
#include <gtest/gtest.h>

#include <vector>

#include "testing/packet_builder.h"
#include "tests/transport/quic/endpoint_pair_test_base.h"
#include "transport/quic/endpoint/endpoint.h"

namespace p2pquic {
namespace {

// The registry holds nothing: no connection, CID, initial DCID or tuple.
void ExpectRegistryEmpty(const Endpoint& endpoint) {
  const RegistryStats& s = endpoint.registry().stats();
  EXPECT_EQ(endpoint.registry().LiveConnectionCount(), 0u);
  EXPECT_EQ(s.cids(CidState::kIssued) + s.cids(CidState::kActive) + s.cids(CidState::kRetiring),
            0u);
  EXPECT_EQ(s.address_bindings + s.initial_dcids, 0u);
  EXPECT_TRUE(endpoint.registry().CheckInvariants().ok())
      << endpoint.registry().CheckInvariants().violation;
}

void ExpectInvariants(const Endpoint& endpoint) {
  const InvariantReport report = endpoint.registry().CheckInvariants();
  EXPECT_TRUE(report.ok()) << report.violation;
}

class ZeroLengthCidTest : public testing::EndpointPairTest {
 protected:
  // A default server and a client with zero-length CIDs.
  void MakeEndpoints() {
    EndpointConfig client_config;
    client_config.quic.local_cid_length = 0;
    EndpointPairTest::MakeEndpoints({}, client_config);
    ASSERT_EQ(client_->config_status(), EndpointConfigStatus::kOk);
  }

  // Dials and waits for both sides to be ready.
  ConnectionHandle Connect() {
    ConnectionHandle handle;
    EXPECT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
    EXPECT_TRUE(
        RunUntil([&] { return !client_app_.ready().empty() && !server_app_.ready().empty(); }));
    return handle;
  }

  // Opens a stream on `handle`, queues `payload` with FIN and flushes.
  int64_t SendOnNewStream(ConnectionHandle handle, const std::vector<uint8_t>& payload) {
    return testing::SendOnNewStream(*client_, handle, payload);
  }
};

TEST_F(ZeroLengthCidTest, TheHandshakeCompletesAndTheServerReachesTheClientByItsTuple) {
  MakeEndpoints();
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
  // Dial bound the tuple and registered no CID.
  EXPECT_EQ(client_->registry().CidCount(handle), 0u);
  EXPECT_EQ(client_->registry().stats().address_bindings, 1u);
  ExpectInvariants(*client_);
  ASSERT_TRUE(
      RunUntil([&] { return !client_app_.ready().empty() && !server_app_.ready().empty(); }));
  ExpectInvariants(*client_);
  ExpectInvariants(*server_);
  const std::vector<uint8_t> payload(150000, 0x3c);
  const int64_t id = SendOnNewStream(handle, payload);
  ASSERT_TRUE(RunUntil([&] { return !client_app_.finished().empty(); }));
  EXPECT_EQ(client_app_.ReceivedOn(id), payload);
  const RegistryStats& stats = client_->registry().stats();
  // Every datagram of the server (Initial and Handshake long headers, then
  // short headers) carried an empty DCID: all routed by the tuple.
  EXPECT_GE(stats.lookups(RouteOutcome::kTupleHit), 3u);
  EXPECT_EQ(stats.lookups(RouteOutcome::kCidHit), 0u);
  EXPECT_EQ(stats.lookups(RouteOutcome::kMissShort), 0u);
  EXPECT_EQ(stats.lookups(RouteOutcome::kMissLong), 0u);
  // ngtcp2 announced no CID of ours (no NEW_CONNECTION_ID for an empty SCID).
  EXPECT_EQ(stats.cids_issued, 0u);
  EXPECT_EQ(client_->registry().CidCount(handle), 0u);
  EXPECT_EQ(client_->stats().cid_collisions, 0u);
  ExpectInvariants(*client_);
  ExpectInvariants(*server_);

  client_->Close(handle, 0);
  ASSERT_TRUE(
      RunUntil([&] { return !client_app_.closed().empty() && !server_app_.closed().empty(); }));
  EXPECT_EQ(client_app_.closed().front().cause, CloseCause::kLocalClose);
  EXPECT_EQ(server_app_.closed().front().cause, CloseCause::kPeerClose);
  ExpectRegistryEmpty(*client_);
  ExpectRegistryEmpty(*server_);
}

TEST_F(ZeroLengthCidTest, AMigratedClientIsReachedByItsNewTuple) {
  MakeEndpoints();
  const ConnectionHandle handle = Connect();
  // Migration needs a spare CID of the server's (it issues them; we issue none).
  ASSERT_TRUE(RunUntil(
      [&] { return client_->Find(handle)->MigrationBlocker(clock_.Now()) == MigrateResult::kOk; }));
  const SocketAddress before = client_->local_address();
  const uint64_t tuple_hits_before = client_->registry().stats().lookups(RouteOutcome::kTupleHit);
  ASSERT_EQ(client_->Migrate(SocketAddress::Loopback4(0)), MigrateResult::kOk);
  ASSERT_NE(client_->local_address(), before);
  // The new tuple replaced the old one at once.
  EXPECT_EQ(client_->registry().stats().address_bindings, 1u);
  ExpectInvariants(*client_);
  const std::vector<uint8_t> payload(150000, 0x5a);
  const int64_t id = SendOnNewStream(handle, payload);
  ASSERT_TRUE(RunUntil([&] {
    return !client_app_.finished().empty() && server_->stats().path_validations_succeeded >= 1 &&
           client_->stats().path_validations_succeeded >= 1;
  }));
  EXPECT_EQ(client_app_.ReceivedOn(id), payload);  // Echoed over the new path.
  EXPECT_EQ(client_->Find(handle)->path().local, client_->local_address());
  EXPECT_GT(client_->registry().stats().lookups(RouteOutcome::kTupleHit), tuple_hits_before);
  EXPECT_EQ(client_->registry().stats().lookups(RouteOutcome::kMissShort), 0u);
  EXPECT_EQ(client_->registry().stats().address_bindings, 1u);
  ExpectInvariants(*client_);
  ExpectInvariants(*server_);
  client_->Close(handle, 0);
  ASSERT_TRUE(
      RunUntil([&] { return !client_app_.closed().empty() && !server_app_.closed().empty(); }));
  ExpectRegistryEmpty(*client_);
  ExpectRegistryEmpty(*server_);
}

TEST_F(ZeroLengthCidTest, ASecondConnectionOnTheSameTupleIsRefused) {
  MakeEndpoints();
  const ConnectionHandle first = Connect();
  ConnectionHandle second;
  EXPECT_EQ(client_->Dial(server_->local_address(), &second), DialResult::kTupleInUse);
  EXPECT_NE(std::string(ToString(DialResult::kTupleInUse)).find("4-tuple"), std::string::npos);
  EXPECT_EQ(client_->connection_count(), 1u);
  EXPECT_EQ(client_->registry().LiveConnectionCount(), 1u);
  ExpectInvariants(*client_);
  // The first one still works.
  const std::vector<uint8_t> payload(5000, 0x11);
  const int64_t id = SendOnNewStream(first, payload);
  ASSERT_TRUE(RunUntil([&] { return !client_app_.finished().empty(); }));
  EXPECT_EQ(client_app_.ReceivedOn(id), payload);
}

TEST_F(ZeroLengthCidTest, AnUnknownTupleWithAnEmptyDcidGetsNoStatelessReset) {
  MakeEndpoints();
  auto raw = OpenSocket();
  int answers = 0;
  raw->SetReceiveHandler([&](const ReceivedDatagram&) { ++answers; });
  // Large enough that a CID-carrying endpoint would answer it with a reset.
  ASSERT_EQ(raw->SendTo(client_->local_address(), testing::ShortHeaderPacket(ConnectionId(), 80)),
            SendResult::kSent);
  ASSERT_TRUE(RunUntil([&] { return client_->stats().datagrams_received == 1; }));
  const auto settle = std::chrono::steady_clock::now() + std::chrono::milliseconds(150);
  RunUntil([&] { return std::chrono::steady_clock::now() >= settle; });
  EXPECT_EQ(answers, 0);
  EXPECT_EQ(client_->stats().stateless_resets_sent, 0u);
  EXPECT_EQ(client_->stats().dropped, 1u);
  EXPECT_EQ(client_->registry().stats().lookups(RouteOutcome::kMissShort), 1u);
  ExpectRegistryEmpty(*client_);
}

TEST(ZeroLengthCidConfigTest, AServerWithZeroLengthCidsIsRefusedWithTheReason) {
  EndpointConfig server;
  server.quic.local_cid_length = 0;
  ASSERT_TRUE(server.accept_inbound);
  EXPECT_EQ(CheckEndpointConfig(server), EndpointConfigStatus::kZeroLengthCidServer);
  const std::string reason = ToString(EndpointConfigStatus::kZeroLengthCidServer);
  EXPECT_NE(reason.find("zero-length"), std::string::npos);
  EXPECT_NE(reason.find("RFC 9000 §5.1"), std::string::npos);
  EndpointConfig client = server;
  client.accept_inbound = false;
  EXPECT_EQ(CheckEndpointConfig(client), EndpointConfigStatus::kOk);
  EndpointConfig too_long;
  too_long.quic.local_cid_length = kMaxConnectionIdLength + 1;
  EXPECT_EQ(CheckEndpointConfig(too_long), EndpointConfigStatus::kCidLengthTooLong);
  EXPECT_EQ(CheckEndpointConfig(EndpointConfig{}), EndpointConfigStatus::kOk);
}

TEST_F(ZeroLengthCidTest, AnEndpointBuiltFromARefusedConfigDialsAndAcceptsNothing) {
  // A "server" with zero-length CIDs, and a normal client dialing it.
  server_socket_ = OpenSocket();
  client_socket_ = OpenSocket();
  EndpointConfig refused;
  refused.quic.local_cid_length = 0;
  server_ = std::make_unique<Endpoint>(refused, *server_socket_, clock_, random_,
                                       server_credentials_, server_app_);
  EXPECT_EQ(server_->config_status(), EndpointConfigStatus::kZeroLengthCidServer);
  EndpointConfig client_config;
  client_config.accept_inbound = false;
  client_ = std::make_unique<Endpoint>(client_config, *client_socket_, clock_, random_,
                                       client_credentials_, client_app_);
  server_app_.set_endpoint(server_.get());
  client_app_.set_endpoint(client_.get());
  server_->Start();
  client_->Start();
  ConnectionHandle handle;
  EXPECT_EQ(server_->Dial(client_->local_address(), &handle), DialResult::kBadConfig);
  EXPECT_EQ(server_->connection_count(), 0u);
  ASSERT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return server_->stats().initials_refused >= 1; }));
  EXPECT_EQ(server_->connection_count(), 0u);
  EXPECT_EQ(server_->stats().connections_accepted, 0u);
  ExpectRegistryEmpty(*server_);
}

}  // namespace
}  // namespace p2pquic
