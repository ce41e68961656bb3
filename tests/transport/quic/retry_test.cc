// Address validation end to end over loopback: Retry under each
// RetryPolicy, NEW_TOKEN letting a returning client skip the Retry, the
// per-source limit, a Retry token replayed from another port, and the
// replay attack of issue 11 (one captured Initial from 300 ports of one IP)
// against which a client from another address still connects promptly.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "tests/transport/quic/endpoint_pair_test_base.h"

namespace p2pquic::testing {
namespace {

// The replay attack of issue 11: copies of one Initial, each from its own port.
constexpr size_t kReplayCopies = 300;
// How long a legitimate client may take to connect while under attack.
constexpr auto kPromptly = std::chrono::seconds(2);

class RetryTest : public EndpointPairTest {
 protected:
  std::unique_ptr<AsioUdpSocket> OpenOn(uint8_t last_octet) {
    RebindResult result;
    auto socket =
        AsioUdpSocket::Open(io_, clock_, SocketAddress::Ipv4({127, 0, 0, last_octet}, 0), &result);
    EXPECT_NE(socket, nullptr) << ToString(result);
    return socket;
  }

  // A real client Initial: the client dials a socket that only records.
  std::vector<uint8_t> CaptureInitial() {
    auto trap = OpenSocket();
    std::vector<uint8_t> initial;
    trap->SetReceiveHandler([&](const ReceivedDatagram& d) {
      if (initial.empty()) initial.assign(d.payload.begin(), d.payload.end());
    });
    ConnectionHandle handle;
    EXPECT_EQ(client_->Dial(trap->LocalAddress(), &handle), DialResult::kOk);
    EXPECT_TRUE(RunUntil([&] { return !initial.empty(); }));
    client_->Close(handle, 0);
    trap->SetReceiveHandler(nullptr);
    return initial;
  }

  // Sends `initial` to the server from `copies` fresh sockets on 127.0.0.1
  // (kept open: the server's answers land there, unread).
  void Replay(const std::vector<uint8_t>& initial, size_t copies) {
    for (size_t i = 0; i < copies; ++i) {
      attackers_.push_back(OpenOn(1));
      ASSERT_EQ(attackers_.back()->SendTo(server_->local_address(), initial), SendResult::kSent);
    }
  }

  // Every datagram the server got was decided on.
  uint64_t Decided() const {
    const EndpointStats& s = server_->stats();
    return s.connections_accepted + s.retries_sent + s.initials_refused + s.retries_suppressed +
           s.retries_suppressed_prefix;
  }

  // A client endpoint on 127.0.0.2: another source address.
  struct OtherClient {
    std::unique_ptr<AsioUdpSocket> socket;
    EchoApp app{EchoMode::kRecordOnly};
    std::unique_ptr<Endpoint> endpoint;
  };
  std::unique_ptr<OtherClient> MakeOtherClient() {
    auto other = std::make_unique<OtherClient>();
    other->socket = OpenOn(2);
    EndpointConfig config;
    config.accept_inbound = false;
    other->endpoint = std::make_unique<Endpoint>(config, *other->socket, clock_, random_,
                                                 client_credentials_, other->app);
    other->app.set_endpoint(other->endpoint.get());
    other->endpoint->Start();
    return other;
  }

  std::vector<std::unique_ptr<AsioUdpSocket>> attackers_;
};

EndpointConfig WithPolicy(RetryPolicy policy) {
  EndpointConfig config;
  config.retry_policy = policy;
  return config;
}

TEST_F(RetryTest, AlwaysConnectsAfterExactlyOneRetryAndStreamsWork) {
  MakeEndpoints(WithPolicy(RetryPolicy::kAlways));
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(
      RunUntil([&] { return !client_app_.ready().empty() && !server_app_.ready().empty(); }));
  const std::vector<uint8_t> payload(5000, 0x5a);
  const int64_t id = SendOnNewStream(*client_, handle, payload);
  ASSERT_TRUE(RunUntil([&] { return !client_app_.finished().empty(); }));
  EXPECT_EQ(client_app_.ReceivedOn(id), payload);
  const EndpointStats& s = server_->stats();
  EXPECT_EQ(s.retries_sent, 1u);
  EXPECT_EQ(s.retry_tokens_accepted, 1u);
  EXPECT_EQ(s.connections_accepted, 1u);  // The Retry created nothing.
  EXPECT_EQ(server_app_.inbound_count(), 1);
  EXPECT_EQ(s.initials_refused, 0u);
  // The handshake ended with a NEW_TOKEN the client kept.
  ASSERT_TRUE(RunUntil([&] { return client_->stats().new_tokens_received == 1; }));
  EXPECT_EQ(s.new_tokens_sent, 1u);
  EXPECT_EQ(client_->token_cache().size(), 1u);
  // Both ends name the connection by the client's first DCID (the qlog's
  // ODCID), not the Retry's SCID the server's connection was created by.
  const QuicConnection* server_side = server_->Find(server_app_.ready().front());
  const QuicConnection* client_side = client_->Find(handle);
  ASSERT_NE(server_side, nullptr);
  ASSERT_NE(client_side, nullptr);
  EXPECT_EQ(server_side->original_dcid(), client_side->original_dcid())
      << server_side->original_dcid().ToHex() << " vs " << client_side->original_dcid().ToHex();
}

TEST_F(RetryTest, ANewTokenLetsTheReturningClientSkipTheRetry) {
  MakeEndpoints(WithPolicy(RetryPolicy::kAlways));
  ConnectionHandle first;
  ASSERT_EQ(client_->Dial(server_->local_address(), &first), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return client_->stats().new_tokens_received == 1; }));
  ASSERT_EQ(server_->stats().retries_sent, 1u);
  ConnectionHandle second;
  ASSERT_EQ(client_->Dial(server_->local_address(), &second), DialResult::kOk);
  EXPECT_EQ(client_->token_cache().size(), 0u);  // Taken: used once.
  ASSERT_TRUE(RunUntil([&] { return client_app_.ready().size() == 2; }));
  EXPECT_EQ(server_->stats().retries_sent, 1u);
  EXPECT_EQ(server_->stats().regular_tokens_accepted, 1u);
  EXPECT_EQ(server_->stats().connections_accepted, 2u);
}

TEST_F(RetryTest, NeverSendsNoRetry) {
  MakeEndpoints(WithPolicy(RetryPolicy::kNever));
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return !server_app_.ready().empty(); }));
  EXPECT_EQ(server_->stats().retries_sent, 0u);
  EXPECT_EQ(server_->stats().retry_tokens_accepted, 0u);
}

TEST_F(RetryTest, AutoRetriesOnlyAboveTheThreshold) {
  EndpointConfig config = WithPolicy(RetryPolicy::kAuto);
  config.retry_threshold = 4;
  MakeEndpoints(config);
  auto below = MakeOtherClient();
  ConnectionHandle handle;
  ASSERT_EQ(below->endpoint->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return !below->app.ready().empty(); }));
  EXPECT_EQ(server_->stats().retries_sent, 0u);
  // Four unvalidated handshakes that never finish (the sockets never answer).
  const std::vector<uint8_t> initial = CaptureInitial();
  Replay(initial, 4);
  ASSERT_TRUE(RunUntil([&] { return server_->admission().unvalidated() == 4; }));
  auto above = MakeOtherClient();
  ASSERT_EQ(above->endpoint->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return !above->app.ready().empty(); }));
  EXPECT_EQ(server_->stats().retries_sent, 1u);
  EXPECT_EQ(server_->stats().retry_tokens_accepted, 1u);
}

TEST_F(RetryTest, PerSourceLimitRefusesUnderNeverWhileAnotherIpConnects) {
  EndpointConfig config = WithPolicy(RetryPolicy::kNever);
  config.max_unvalidated_per_source = 5;
  MakeEndpoints(config);
  Replay(CaptureInitial(), 6);
  ASSERT_TRUE(RunUntil([&] { return Decided() >= 6; }));
  EXPECT_EQ(server_->stats().connections_accepted, 5u);
  EXPECT_EQ(server_->stats().initials_refused_per_source, 1u);
  EXPECT_EQ(server_->stats().retries_sent, 0u);
  auto other = MakeOtherClient();
  ConnectionHandle handle;
  ASSERT_EQ(other->endpoint->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return !other->app.ready().empty(); }));
}

TEST_F(RetryTest, PerSourceLimitRetriesUnderAuto) {
  EndpointConfig config = WithPolicy(RetryPolicy::kAuto);
  config.max_unvalidated_per_source = 5;
  MakeEndpoints(config);
  Replay(CaptureInitial(), 8);
  ASSERT_TRUE(RunUntil([&] { return Decided() >= 8; }));
  EXPECT_EQ(server_->stats().connections_accepted, 5u);
  EXPECT_EQ(server_->stats().retries_sent, 3u);
  EXPECT_EQ(server_->stats().initials_refused, 0u);
}

TEST_F(RetryTest, MemoryCapRetries) {
  EndpointConfig config = WithPolicy(RetryPolicy::kAuto);
  config.max_pending_memory = 3 * HandshakeAdmission::kPendingConnectionBytes;
  MakeEndpoints(config);
  Replay(CaptureInitial(), 5);
  ASSERT_TRUE(RunUntil([&] { return Decided() >= 5; }));
  EXPECT_EQ(server_->stats().connections_accepted, 3u);
  EXPECT_EQ(server_->stats().retries_sent, 2u);
}

TEST_F(RetryTest, ARetryTokenReplayedFromAnotherPortIsRefusedWithInvalidToken) {
  MakeEndpoints(WithPolicy(RetryPolicy::kAlways));
  // A relay between client and server records what the client sends.
  auto relay = OpenSocket();
  std::vector<std::vector<uint8_t>> from_client;
  SocketAddress client_address;
  relay->SetReceiveHandler([&](const ReceivedDatagram& d) {
    if (d.remote == server_->local_address()) {
      relay->SendTo(client_address, d.payload);
      return;
    }
    client_address = d.remote;
    from_client.emplace_back(d.payload.begin(), d.payload.end());
    relay->SendTo(server_->local_address(), d.payload);
  });
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(relay->LocalAddress(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return !client_app_.ready().empty(); }));
  ASSERT_EQ(server_->stats().retry_tokens_accepted, 1u);
  // The first Initial after the Retry carries the token: the first client
  // datagram the Retry was answered with is the second one recorded.
  ASSERT_GE(from_client.size(), 2u);
  auto thief = OpenSocket();
  std::vector<uint8_t> answer;
  thief->SetReceiveHandler(
      [&](const ReceivedDatagram& d) { answer.assign(d.payload.begin(), d.payload.end()); });
  ASSERT_EQ(thief->SendTo(server_->local_address(), from_client[1]), SendResult::kSent);
  ASSERT_TRUE(RunUntil([&] { return !answer.empty(); }));
  EXPECT_EQ(server_->stats().retry_tokens_invalid, 1u);
  EXPECT_EQ(server_->stats().initials_refused_invalid_token, 1u);
  EXPECT_EQ(server_->stats().invalid_token_closes_sent, 1u);
  EXPECT_LT(answer.size(), from_client[1].size());
  EXPECT_EQ(server_->stats().connections_accepted, 1u);
  relay->SetReceiveHandler(nullptr);
  thief->SetReceiveHandler(nullptr);
}

TEST_F(RetryTest, ReplayedInitialFromThreeHundredPortsLeavesRoomForAnotherClient) {
  MakeEndpoints(WithPolicy(RetryPolicy::kAuto));
  Replay(CaptureInitial(), kReplayCopies);
  ASSERT_TRUE(RunUntil([&] { return Decided() >= kReplayCopies; }));
  const EndpointConfig defaults;
  EXPECT_EQ(server_->stats().connections_accepted, defaults.max_unvalidated_per_source);
  // The replays all come from 127.0.0.1's /24: Retries up to its prefix's
  // burst, the rest dropped before a token is sealed (they cost nothing).
  EXPECT_EQ(server_->stats().retries_sent, defaults.retry_prefix_burst);
  EXPECT_EQ(server_->stats().retries_suppressed_prefix,
            kReplayCopies - defaults.max_unvalidated_per_source - defaults.retry_prefix_burst);
  EXPECT_EQ(server_->stats().retries_suppressed, 0u);
  EXPECT_EQ(server_->admission().unvalidated(), defaults.max_unvalidated_per_source);
  auto other = MakeOtherClient();
  ConnectionHandle handle;
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(other->endpoint->Dial(server_->local_address(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return !other->app.ready().empty(); }));
  EXPECT_LT(std::chrono::steady_clock::now() - start, kPromptly);
  // Below the kAuto threshold from elsewhere: no Retry for it.
  EXPECT_EQ(server_->stats().retry_tokens_accepted, 0u);
}

}  // namespace
}  // namespace p2pquic::testing
