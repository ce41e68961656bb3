// SteeringSocket on a scripted inner socket: a datagram whose DCID names
// this worker (or no worker) is delivered here; one naming another worker
// is handed to the forwarder with the owner's index and not delivered;
// DeliverForwarded delivers and ends a burst; stats count each path.
#include "transport/runtime/steering/steering_socket.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "transport/routing/quic_lb_cid_minter.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

// An inner socket the test feeds.
class FedSocket final : public DatagramSocket {
 public:
  SendResult SendTo(const SocketAddress&, std::span<const uint8_t>) override {
    return SendResult::kSent;
  }
  void SetReceiveHandler(ReceiveHandler handler) override { receive = std::move(handler); }
  void SetBurstEndHandler(BurstEndHandler handler) override { burst_end = std::move(handler); }
  void SetWritableHandler(WritableHandler) override {}
  SocketAddress LocalAddress() const override { return SocketAddress::Loopback4(4433); }
  RebindResult Rebind(const SocketAddress&) override { return RebindResult::kError; }

  void Feed(std::span<const uint8_t> payload) {
    receive({payload, SocketAddress::Loopback4(7000), LocalAddress(), Timestamp{}});
    burst_end();
  }
  ReceiveHandler receive;
  BurstEndHandler burst_end;
};

struct Forwarded {
  uint32_t to;
  std::vector<uint8_t> payload;
};

class RecordingForwarder final : public DatagramForwarder {
 public:
  void Forward(uint32_t to_worker, const ReceivedDatagram& d) override {
    forwarded.push_back({to_worker, {d.payload.begin(), d.payload.end()}});
  }
  std::vector<Forwarded> forwarded;
};

// A short-header datagram to a CID minted for `worker`.
std::vector<uint8_t> ShortHeaderTo(const QuicLbConfig& config, uint32_t worker, Random& random) {
  const ConnectionId cid = QuicLbCidMinter(config, worker).Mint(random);
  constexpr size_t kPayload = 30;  // Some protected payload after the DCID.
  std::vector<uint8_t> datagram(1 + cid.size() + kPayload, 0xab);
  datagram[0] = 0x40;  // Short header, fixed bit.
  std::copy(cid.bytes().begin(), cid.bytes().end(), datagram.begin() + 1);
  return datagram;
}

class SteeringSocketTest : public ::testing::Test {
 protected:
  static constexpr uint32_t kWorker = 1;
  SteeringSocketTest() {
    config_.worker_count = 4;
    socket_ = std::make_unique<SteeringSocket>(inner_, kWorker, config_, forwarder_);
    socket_->SetReceiveHandler([this](const ReceivedDatagram& d) {
      delivered_.emplace_back(d.payload.begin(), d.payload.end());
    });
    socket_->SetBurstEndHandler([this] { ++bursts_; });
  }

  WorkerSteeringConfig config_;
  SeededRandom random_{11};
  FedSocket inner_;
  RecordingForwarder forwarder_;
  std::unique_ptr<SteeringSocket> socket_;
  std::vector<std::vector<uint8_t>> delivered_;
  int bursts_ = 0;
};

TEST_F(SteeringSocketTest, DeliversItsOwnDatagrams) {
  const std::vector<uint8_t> mine = ShortHeaderTo(config_.lb, kWorker, random_);
  inner_.Feed(mine);
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(delivered_[0], mine);
  EXPECT_TRUE(forwarder_.forwarded.empty());
  EXPECT_EQ(bursts_, 1);
  EXPECT_EQ(socket_->stats().delivered_here, 1u);
  EXPECT_EQ(socket_->stats().misrouted, 0u);
}

TEST_F(SteeringSocketTest, ForwardsMisroutesToTheirOwner) {
  for (uint32_t owner : {0u, 2u, 3u}) {
    const std::vector<uint8_t> theirs = ShortHeaderTo(config_.lb, owner, random_);
    inner_.Feed(theirs);
    ASSERT_FALSE(forwarder_.forwarded.empty());
    EXPECT_EQ(forwarder_.forwarded.back().to, owner);
    EXPECT_EQ(forwarder_.forwarded.back().payload, theirs);
  }
  EXPECT_TRUE(delivered_.empty());
  EXPECT_EQ(socket_->stats().misrouted, 3u);
  EXPECT_EQ(socket_->stats().delivered_here, 0u);
}

TEST_F(SteeringSocketTest, UnsteeredDatagramsStayHere) {
  const std::vector<uint8_t> tiny = {0x40, 1, 2};  // Too short for a DCID.
  inner_.Feed(tiny);
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_TRUE(forwarder_.forwarded.empty());
  EXPECT_EQ(socket_->stats().unsteered, 1u);
  EXPECT_EQ(socket_->stats().delivered_here, 1u);
}

TEST_F(SteeringSocketTest, DeliverForwardedDeliversWhateverTheRuleSaysAndEndsABurst) {
  // Owned by worker 3 by the rule, but it was steered once: never bounced on.
  const std::vector<uint8_t> theirs = ShortHeaderTo(config_.lb, 3, random_);
  socket_->DeliverForwarded(
      {theirs, SocketAddress::Loopback4(7000), SocketAddress::Loopback4(4433), Timestamp{}});
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(delivered_[0], theirs);
  EXPECT_EQ(bursts_, 1);
  EXPECT_TRUE(forwarder_.forwarded.empty());
  EXPECT_EQ(socket_->stats().forwarded_in, 1u);
  EXPECT_EQ(socket_->stats().delivered_here, 0u);
}

}  // namespace
}  // namespace p2pquic
