// EAGAIN is backpressure, not loss: the production Endpoint over the
// simulated network, with a client socket that says kWouldBlock, either on
// command (testing::BlockingSocket) or because its simulated send buffer is
// full (SimSocket::SetSendBufferBytes). What the socket refuses is held and
// sent, in order, on the writable signal; nothing is counted as a send
// failure; the transfer completes intact.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <vector>

#include "sim/event_queue.h"
#include "sim/sim_clock.h"
#include "sim/sim_network.h"
#include "testing/accept_any_certificate.h"
#include "testing/blocking_socket.h"
#include "testing/echo_app.h"
#include "testing/test_certificate.h"
#include "transport/quic/endpoint/endpoint.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::sim {
namespace {

using std::chrono::milliseconds;

constexpr size_t kTransferBytes = 1 << 20;
constexpr auto kTransferLimit = std::chrono::seconds(60);

std::vector<uint8_t> Payload(size_t size) {
  std::vector<uint8_t> payload(size);
  for (size_t i = 0; i < size; ++i) payload[i] = static_cast<uint8_t>(i * 7 + i / 251);
  return payload;
}

// A server and a client host on one link; the client's socket may be
// wrapped before the endpoints start.
class WouldBlockTest : public ::testing::Test {
 protected:
  WouldBlockTest() : network_(queue_, network_random_) {}

  void MakeSockets(const LinkConditions& link) {
    ASSERT_EQ(network_.SetDefaultConditions(link), NetworkResult::kOk);
    ASSERT_EQ(network_.AddAddress(network_.AddHost("server"), kServer), NetworkResult::kOk);
    ASSERT_EQ(network_.AddAddress(network_.AddHost("client"), kClient), NetworkResult::kOk);
    server_socket_ = network_.Bind(kServer);
    client_socket_ = network_.Bind(kClient);
    ASSERT_NE(server_socket_, nullptr);
    ASSERT_NE(client_socket_, nullptr);
  }

  // Starts both endpoints (the client's on `client_socket`) and completes
  // the handshake.
  void Connect(DatagramSocket& client_socket, EndpointConfig client_config = {}) {
    server_credentials_ = testing::MakeSelfSignedCredentials(key_random_, clock_.WallNow());
    client_credentials_ = testing::MakeSelfSignedCredentials(key_random_, clock_.WallNow());
    server_ = std::make_unique<Endpoint>(EndpointConfig{}, *server_socket_, clock_, server_random_,
                                         server_credentials_, server_app_);
    client_config.accept_inbound = false;
    client_ = std::make_unique<Endpoint>(client_config, client_socket, clock_, client_random_,
                                         client_credentials_, client_app_);
    server_app_.set_endpoint(server_.get());
    client_app_.set_endpoint(client_.get());
    server_->Start();
    client_->Start();
    ASSERT_EQ(client_->Dial(kServer, &handle_), DialResult::kOk);
    ASSERT_TRUE(queue_.RunUntil(
        [&] { return !client_app_.ready().empty() && !server_app_.ready().empty(); },
        queue_.Now() + std::chrono::seconds(10)));
  }

  // Queues `payload` with FIN on a new client stream and flushes.
  void Upload(const std::vector<uint8_t>& payload) {
    QuicConnection* quic = client_->Find(handle_);
    ASSERT_NE(quic, nullptr);
    int64_t id;
    ASSERT_EQ(quic->OpenStream(&id), StreamOpenResult::kOk);
    size_t accepted;
    ASSERT_EQ(quic->WriteStream(id, payload, true, &accepted), StreamWriteResult::kOk);
    ASSERT_EQ(accepted, payload.size());
    client_->Flush(handle_);
  }

  // The client's socket behind a BlockingSocket; it outlives the endpoints.
  testing::BlockingSocket& WrapClientSocket() {
    blocking_ = std::make_unique<testing::BlockingSocket>(*client_socket_, clock_);
    return *blocking_;
  }

  bool RunUntilUploaded() {
    return queue_.RunUntil([&] { return !server_app_.finished().empty(); },
                           queue_.Now() + kTransferLimit);
  }

  const SocketAddress kServer = SocketAddress::Ipv4({10, 0, 0, 1}, 4433);
  const SocketAddress kClient = SocketAddress::Ipv4({10, 0, 0, 2}, 50000);
  EventQueue queue_;
  SimClock clock_{queue_};
  SeededRandom network_random_{7}, server_random_{8}, client_random_{9}, key_random_{10};
  SimNetwork network_;
  std::unique_ptr<SimSocket> server_socket_, client_socket_;
  std::unique_ptr<testing::BlockingSocket> blocking_;
  TlsCredentials server_credentials_, client_credentials_;
  testing::AcceptAnyCertificate verifier_;
  testing::EchoApp server_app_{verifier_, testing::EchoMode::kRecordOnly};
  testing::EchoApp client_app_{verifier_, testing::EchoMode::kRecordOnly};
  std::unique_ptr<Endpoint> server_, client_;
  ConnectionHandle handle_;
};

LinkConditions TwentyMs() {
  LinkConditions link;
  link.delay = milliseconds(20);
  return link;
}

// Every refused datagram went out later, and in the order it was first
// refused (held datagrams leave oldest first).
void ExpectEveryRefusedDatagramSentInOrder(const testing::BlockingSocket& socket) {
  std::vector<std::vector<uint8_t>> first_refusals;
  std::set<std::vector<uint8_t>> seen;
  for (const auto& d : socket.refused()) {
    if (seen.insert(d).second) first_refusals.push_back(d);
  }
  size_t next = 0;
  for (const auto& d : socket.passed()) {
    if (next < first_refusals.size() && d == first_refusals[next]) ++next;
  }
  EXPECT_EQ(next, first_refusals.size())
      << "refused datagram " << next << " of " << first_refusals.size()
      << " never went out (or went out of order)";
}

TEST_F(WouldBlockTest, RefusedDatagramsAreHeldAndSentOnWritableNotCountedAsFailures) {
  MakeSockets(TwentyMs());
  testing::BlockingSocket& socket = WrapClientSocket();
  Connect(socket);
  EXPECT_TRUE(socket.has_writable_handler()) << "the endpoint must listen for writable";
  const std::vector<uint8_t> payload = Payload(kTransferBytes);
  // The socket fills up every 10 ms, in the middle of a batch (a few
  // datagrams still go), and drains 5 ms later.
  constexpr int kEpisodes = 40;
  for (int i = 0; i < kEpisodes; ++i) {
    const Timestamp at = queue_.Now() + milliseconds(10 * i);
    queue_.Schedule(at, [&socket, i] { socket.BlockAfter(static_cast<size_t>(i % 4)); });
    queue_.Schedule(at + milliseconds(5), [&socket] { socket.Unblock(); });
  }
  Upload(payload);
  ASSERT_TRUE(RunUntilUploaded());
  EXPECT_EQ(server_app_.received(), payload);

  const EndpointStats& stats = client_->stats();
  EXPECT_EQ(stats.send_failures, 0u) << "EAGAIN counted as a failed send";
  EXPECT_GE(stats.sends_blocked, 10u);
  EXPECT_GT(stats.datagrams_held, 0u);
  EXPECT_EQ(stats.held_dropped, 0u);
  EXPECT_GE(socket.writable_calls(), 10u);
  EXPECT_FALSE(socket.refused().empty());
  ExpectEveryRefusedDatagramSentInOrder(socket);
  EXPECT_EQ(stats.datagrams_sent, socket.passed().size()) << "sent = what the socket took";
  EXPECT_EQ(network_.CheckInvariants(), "");
}

TEST_F(WouldBlockTest, NothingIsWrittenWhileBlockedAndWritingResumesOnTheSignal) {
  MakeSockets(TwentyMs());
  testing::BlockingSocket& socket = WrapClientSocket();
  Connect(socket);
  socket.Block();
  const std::vector<uint8_t> payload = Payload(kTransferBytes);
  Upload(payload);
  const EndpointStats& stats = client_->stats();
  EXPECT_EQ(stats.sends_blocked, 1u);
  const size_t held = stats.datagrams_held;
  EXPECT_GT(held, 0u);
  // Blocked for 200 ms: the connection stops producing datagrams (no new
  // ones pile up behind the held ones) and no timer spins meanwhile.
  const uint64_t events_before = queue_.executed();
  ASSERT_TRUE(queue_.RunUntil(queue_.Now() + milliseconds(200)));
  EXPECT_EQ(stats.datagrams_held, held);
  EXPECT_LT(queue_.executed() - events_before, 20u);
  EXPECT_EQ(socket.writable_calls(), 0u);
  socket.Unblock();
  ASSERT_TRUE(RunUntilUploaded());
  EXPECT_EQ(socket.writable_calls(), 1u);
  EXPECT_EQ(server_app_.received(), payload);
  EXPECT_EQ(stats.send_failures, 0u);
  EXPECT_EQ(stats.held_dropped, 0u);
  ExpectEveryRefusedDatagramSentInOrder(socket);
}

TEST_F(WouldBlockTest, HeldDatagramsBeyondTheBoundAreDroppedCountedAndRecovered) {
  MakeSockets(TwentyMs());
  testing::BlockingSocket& socket = WrapClientSocket();
  EndpointConfig config;
  config.max_held_datagrams = 3;
  Connect(socket, config);
  socket.Block();
  const std::vector<uint8_t> payload = Payload(kTransferBytes);
  Upload(payload);
  const EndpointStats& stats = client_->stats();
  EXPECT_GT(stats.held_dropped, 0u);
  EXPECT_EQ(stats.datagrams_held - stats.held_dropped, 3u) << "exactly the bound is kept";
  queue_.Schedule(queue_.Now() + milliseconds(50), [&socket] { socket.Unblock(); });
  ASSERT_TRUE(RunUntilUploaded()) << "loss recovery resends what was dropped";
  EXPECT_EQ(server_app_.received(), payload);
  EXPECT_EQ(stats.send_failures, 0u);
}

// The simulator's own backpressure: a 16 KiB socket send buffer in front
// of a 20 Mbit/s link whose queue (150 kB) would otherwise take a whole
// congestion window. The socket blocks long before the link's queue fills:
// no tail drop, no failure, the transfer near the link rate.
TEST_F(WouldBlockTest, ASmallSimulatedSendBufferBlocksAndTheTransferCompletesIntact) {
  LinkConditions link = TwentyMs();
  link.bandwidth_bps = 20'000'000;
  MakeSockets(link);
  client_socket_->SetSendBufferBytes(16 * 1024);
  Connect(*client_socket_);
  const std::vector<uint8_t> payload = Payload(kTransferBytes);
  const Timestamp start = queue_.Now();
  Upload(payload);
  ASSERT_TRUE(RunUntilUploaded());
  EXPECT_EQ(server_app_.received(), payload);
  const EndpointStats& stats = client_->stats();
  EXPECT_GT(stats.sends_blocked, 0u);
  EXPECT_EQ(stats.sends_blocked, network_.stats().would_block);
  EXPECT_EQ(stats.send_failures, 0u);
  EXPECT_EQ(stats.held_dropped, 0u);
  EXPECT_EQ(network_.stats().count(DatagramFate::kQueueFull), 0u);
  EXPECT_LE(client_socket_->buffered_bytes(), 16 * 1024 + kMaxUdpPayload);
  // 1 MiB at 20 Mbit/s is 0.42 s of serialisation; allow slow start and
  // the waits for writable, but not stalls.
  EXPECT_LT(queue_.Now() - start, std::chrono::seconds(2));
  EXPECT_EQ(network_.CheckInvariants(), "");
}

}  // namespace
}  // namespace p2pquic::sim
