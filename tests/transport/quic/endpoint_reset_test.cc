// Stateless resets between Endpoints over the simulated network (virtual
// time, so "at once" and "a PTO later" are exact): the peer's reset tokens
// are routable while their CIDs are in use, a reset ends the one connection
// that owns its token even when several share a 4-tuple, a restarted
// endpoint with a static secret is recognised, and a datagram that may be a
// reset is never answered with one (RFC 9000 §10.3).
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/event_queue.h"
#include "sim/sim_clock.h"
#include "sim/sim_network.h"
#include "testing/accept_any_certificate.h"
#include "testing/packet_builder.h"
#include "testing/test_certificate.h"
#include "transport/quic/endpoint/endpoint.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

using std::chrono::milliseconds;

const SocketAddress kServerAddress = SocketAddress::Ipv4({10, 0, 0, 1}, 4433);
const SocketAddress kClientAddress = SocketAddress::Ipv4({10, 0, 1, 2}, 50000);
const SocketAddress kProberAddress = SocketAddress::Ipv4({10, 0, 2, 3}, 50000);
constexpr auto kStepLimit = std::chrono::seconds(20);
// Far beyond every wait below: a connection that "failed by reset" within
// these tests did not just time out.
constexpr auto kIdleTimeout = std::chrono::seconds(60);

// Records each connection's fate; consumes whatever arrives.
class Recorder final : public EndpointDelegate {
 public:
  struct PerConnection final : ConnectionObserver {
    Recorder* owner = nullptr;
    ConnectionHandle handle;
    bool ready = false;
    void OnHandshakeCompleted() override { ready = true; }
    void OnStreamOpened(int64_t) override {}
    void OnStreamData(int64_t id, std::span<const uint8_t> data, bool) override {
      if (QuicConnection* quic = owner->endpoint->Find(handle))
        quic->ConsumeStream(id, data.size());
    }
    void OnStreamWritable(int64_t) override {}
    void OnStreamReset(int64_t, uint64_t) override {}
    void OnStreamWriteStopped(int64_t) override {}
    void OnStreamClosed(int64_t, uint64_t) override {}
  };

  ConnectionParts OnConnectionCreated(ConnectionHandle handle, bool, const NetworkPath&) override {
    auto& slot = connections[handle.index];
    slot = std::make_unique<PerConnection>();
    slot->owner = this;
    slot->handle = handle;
    return {slot.get(), &verifier};
  }
  void OnConnectionClosed(ConnectionHandle handle, const ConnectionEnd& end) override {
    closed[handle.index] = end.reason;
    causes[handle.index] = end.cause;
  }

  bool Ready(ConnectionHandle handle) const {
    auto it = connections.find(handle.index);
    return it != connections.end() && it->second->ready;
  }
  // The close reason, or "" while open.
  std::string ClosedWith(ConnectionHandle handle) const {
    auto it = closed.find(handle.index);
    return it == closed.end() ? "" : it->second;
  }

  Endpoint* endpoint = nullptr;
  testing::AcceptAnyCertificate verifier;
  std::map<uint32_t, std::unique_ptr<PerConnection>> connections;
  std::map<uint32_t, std::string> closed;
  std::map<uint32_t, CloseCause> causes;
};

// A short-header datagram of exactly `size` bytes for `dcid`.
std::vector<uint8_t> Datagram(const ConnectionId& dcid, size_t size) {
  return testing::ShortHeaderPacket(dcid, size - 1 - dcid.size());
}

ResetSecret SecretOf(uint8_t fill) {
  ResetSecret secret;
  secret.fill(fill);
  return secret;
}

class EndpointResetTest : public ::testing::Test {
 protected:
  EndpointResetTest()
      : clock_(queue_),
        network_random_(1),
        server_random_(2),
        client_random_(3),
        key_random_(4),
        network_(queue_, network_random_) {
    sim::LinkConditions link;
    link.delay = milliseconds(10);
    EXPECT_EQ(network_.SetDefaultConditions(link), sim::NetworkResult::kOk);
    server_host_ = network_.AddHost("server");
    client_host_ = network_.AddHost("client");
    EXPECT_EQ(network_.AddAddress(server_host_, kServerAddress), sim::NetworkResult::kOk);
    EXPECT_EQ(network_.AddAddress(client_host_, kClientAddress), sim::NetworkResult::kOk);
    server_socket_ = network_.Bind(kServerAddress);
    client_socket_ = network_.Bind(kClientAddress);
    server_credentials_ = testing::MakeSelfSignedCredentials(key_random_, clock_.WallNow());
    client_credentials_ = testing::MakeSelfSignedCredentials(key_random_, clock_.WallNow());
    server_config_.quic.idle_timeout = kIdleTimeout;
    client_config_.quic.idle_timeout = kIdleTimeout;
    client_config_.accept_inbound = false;
  }

  void StartServer() {
    server_app_ = std::make_unique<Recorder>();
    server_ = std::make_unique<Endpoint>(server_config_, *server_socket_, clock_, server_random_,
                                         server_credentials_, *server_app_);
    server_app_->endpoint = server_.get();
    server_->Start();
  }
  void StartClient() {
    client_ = std::make_unique<Endpoint>(client_config_, *client_socket_, clock_, client_random_,
                                         client_credentials_, client_app_);
    client_app_.endpoint = client_.get();
    client_->Start();
  }
  // The server process dies and comes back on the same address: every
  // connection and key gone, only the configuration (and its secret) kept.
  void RestartServer() {
    server_.reset();
    StartServer();
  }

  ConnectionHandle Connect() {
    ConnectionHandle handle;
    EXPECT_EQ(client_->Dial(kServerAddress, &handle), DialResult::kOk);
    EXPECT_TRUE(RunUntil([&] { return client_app_.Ready(handle); }));
    return handle;
  }

  // Queues `bytes` on a new stream of `handle` (packets far above any reset size).
  void Send(ConnectionHandle handle, size_t bytes) {
    QuicConnection* quic = client_->Find(handle);
    ASSERT_NE(quic, nullptr);
    int64_t id;
    ASSERT_EQ(quic->OpenStream(&id), StreamOpenResult::kOk);
    const std::vector<uint8_t> payload(bytes, 0x42);
    size_t accepted;
    ASSERT_EQ(quic->WriteStream(id, payload, true, &accepted), StreamWriteResult::kOk);
    client_->Flush(handle);
  }

  template <typename Done>
  bool RunUntil(Done done) {
    return queue_.RunUntil(done, queue_.Now() + kStepLimit);
  }
  void RunFor(Duration duration) { ASSERT_TRUE(queue_.RunUntil(queue_.Now() + duration)); }

  const RegistryStats& ClientRegistry() const { return client_->registry().stats(); }

  sim::EventQueue queue_;
  sim::SimClock clock_;
  SeededRandom network_random_, server_random_, client_random_, key_random_;
  sim::SimNetwork network_;
  sim::HostId server_host_, client_host_;
  std::unique_ptr<sim::SimSocket> server_socket_, client_socket_;
  TlsCredentials server_credentials_, client_credentials_;
  EndpointConfig server_config_, client_config_;
  std::unique_ptr<Recorder> server_app_;
  Recorder client_app_;
  std::unique_ptr<Endpoint> server_, client_;
};

TEST_F(EndpointResetTest, TheServersTransportParameterTokenIsRoutableUntilTheConnectionGoes) {
  StartServer();
  StartClient();
  const ConnectionHandle handle = Connect();
  RunFor(milliseconds(100));
  // The server's token for its first CID (a client gives none).
  EXPECT_EQ(ClientRegistry().reset_tokens, 1u);
  EXPECT_EQ(server_->registry().stats().reset_tokens, 0u);
  client_->Close(handle, 0);
  ASSERT_TRUE(RunUntil([&] { return client_app_.ClosedWith(handle) != ""; }));
  EXPECT_EQ(ClientRegistry().reset_tokens, 0u);
  EXPECT_TRUE(client_->registry().CheckInvariants().ok());
}

TEST_F(EndpointResetTest, AMigratedClientHoldsItsNewCidsTokenAndDropsTheOldOneAfterAPto) {
  StartServer();
  StartClient();
  const ConnectionHandle handle = Connect();
  RunFor(milliseconds(200));  // Handshake confirmed, the server's spare CIDs here.
  const SocketAddress moved = kClientAddress.WithPort(50001);
  ASSERT_EQ(client_->Migrate(moved), MigrateResult::kOk);
  // The NEW_CONNECTION_ID token of the CID it moved to, and still the old one.
  EXPECT_EQ(ClientRegistry().reset_tokens, 2u);
  Send(handle, 4000);
  ASSERT_TRUE(RunUntil([&] { return ClientRegistry().reset_tokens == 1; }));
  EXPECT_TRUE(client_->registry().CheckInvariants().ok());
  // The server moved to one of the client's NEW_CONNECTION_ID CIDs too, and
  // keys its token by the client's new address once the path is validated.
  ASSERT_TRUE(RunUntil([&] { return server_->stats().path_validations_succeeded == 1; }));
  EXPECT_EQ(server_->registry().stats().reset_tokens, 1u);
  EXPECT_TRUE(server_->registry().CheckInvariants().ok());
  EXPECT_EQ(client_app_.ClosedWith(handle), "");
}

TEST_F(EndpointResetTest, TwoConnectionsOnOneSocketAreEachResetByTokenWhenTheServerRestarts) {
  server_config_.stateless_reset_secret = SecretOf(0x31);
  StartServer();
  StartClient();
  const ConnectionHandle first = Connect();
  const ConnectionHandle second = Connect();
  RunFor(milliseconds(100));
  RestartServer();
  const Timestamp restarted = queue_.Now();
  Send(first, 20000);
  Send(second, 20000);
  ASSERT_TRUE(RunUntil(
      [&] { return client_app_.ClosedWith(first) != "" && client_app_.ClosedWith(second) != ""; }));
  EXPECT_EQ(client_app_.ClosedWith(first), "stateless reset");
  EXPECT_EQ(client_app_.ClosedWith(second), "stateless reset");
  EXPECT_EQ(client_app_.causes.at(first.index), CloseCause::kStatelessReset);
  EXPECT_EQ(client_app_.causes.at(second.index), CloseCause::kStatelessReset);
  EXPECT_LT(queue_.Now() - restarted, milliseconds(100));  // One round trip, no timeout.
  // The shared 4-tuple cannot route them: only the tokens can.
  EXPECT_GE(ClientRegistry().lookups(RouteOutcome::kResetToken), 2u);
  EXPECT_EQ(client_->stats().stateless_resets_received, 2u);
  EXPECT_GE(server_->stats().stateless_resets_sent, 2u);
  RunFor(milliseconds(500));  // Resets still in flight arrive for closed connections.
  EXPECT_EQ(client_->stats().stateless_resets_sent, 0u);
  EXPECT_EQ(ClientRegistry().reset_tokens, 0u);
  EXPECT_TRUE(client_->registry().CheckInvariants().ok());
}

TEST_F(EndpointResetTest, ARestartedServerWithoutAStaticSecretIsNotRecognised) {
  StartServer();  // Its secret is drawn from its Random, as is each restart's.
  StartClient();
  const ConnectionHandle handle = Connect();
  RunFor(milliseconds(100));
  RestartServer();
  Send(handle, 20000);
  RunFor(milliseconds(1000));
  EXPECT_GE(server_->stats().stateless_resets_sent, 1u);
  EXPECT_EQ(client_app_.ClosedWith(handle), "");  // Left to its idle timeout.
  EXPECT_EQ(client_->stats().stateless_resets_received, 0u);
}

TEST_F(EndpointResetTest, AResetFromAMigratedPeerIsRecognisedAtItsNewAddress) {
  // The client is the one that loses its state here: the server must know
  // the client's token under the address the client moved to.
  client_config_.stateless_reset_secret = SecretOf(0x52);
  StartServer();
  StartClient();
  const ConnectionHandle handle = Connect();
  RunFor(milliseconds(200));
  ASSERT_EQ(client_->Migrate(kClientAddress.WithPort(50001)), MigrateResult::kOk);
  Send(handle, 4000);
  ASSERT_TRUE(RunUntil([&] { return server_->stats().path_validations_succeeded == 1; }));
  RunFor(milliseconds(100));
  ASSERT_EQ(server_app_->connections.size(), 1u);
  const ConnectionHandle inbound = server_app_->connections.begin()->second->handle;
  // The client restarts on its new address; the server writes to it.
  client_.reset();
  StartClient();
  QuicConnection* quic = server_->Find(inbound);
  ASSERT_NE(quic, nullptr);
  int64_t id;
  ASSERT_EQ(quic->OpenStream(&id), StreamOpenResult::kOk);
  const std::vector<uint8_t> payload(20000, 0x17);
  size_t accepted;
  ASSERT_EQ(quic->WriteStream(id, payload, true, &accepted), StreamWriteResult::kOk);
  server_->Flush(inbound);
  ASSERT_TRUE(RunUntil([&] { return server_app_->ClosedWith(inbound) != ""; }));
  EXPECT_EQ(server_app_->ClosedWith(inbound), "stateless reset");
  EXPECT_GE(server_->registry().stats().lookups(RouteOutcome::kResetToken), 1u);
}

TEST_F(EndpointResetTest, ADatagramThatMayBeAResetIsNotAnsweredWithOne) {
  StartServer();
  const sim::HostId prober = network_.AddHost("prober");
  ASSERT_EQ(network_.AddAddress(prober, kProberAddress), sim::NetworkResult::kOk);
  std::unique_ptr<sim::SimSocket> raw = network_.Bind(kProberAddress);
  std::vector<size_t> answers;
  raw->SetReceiveHandler([&](const ReceivedDatagram& d) { answers.push_back(d.payload.size()); });
  // 8-byte CIDs: every packet a peer sends is 30+ bytes (8 + 22 of
  // padding, RFC 9000 §10.3), so 29 bytes can only be a reset.
  ASSERT_EQ(raw->SendTo(kServerAddress, Datagram(testing::MakeCid(1), 29)), SendResult::kSent);
  RunFor(milliseconds(100));
  EXPECT_TRUE(answers.empty());
  EXPECT_EQ(server_->stats().possible_resets_unanswered, 1u);
  EXPECT_EQ(server_->stats().stateless_resets_sent, 0u);
  // The smallest packet a peer sends gets a reset one byte shorter, which a
  // peer of the same CID length would never answer.
  ASSERT_EQ(raw->SendTo(kServerAddress, Datagram(testing::MakeCid(2), 30)), SendResult::kSent);
  RunFor(milliseconds(100));
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers.front(), 29u);
  // Larger ones too: a larger reset could itself be answered.
  ASSERT_EQ(raw->SendTo(kServerAddress, Datagram(testing::MakeCid(3), 1200)), SendResult::kSent);
  RunFor(milliseconds(100));
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers.back(), 29u);
  EXPECT_EQ(server_->stats().stateless_resets_sent, 2u);
}

}  // namespace
}  // namespace p2pquic
