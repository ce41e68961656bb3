// Libp2pHost with the default services: connecting, peer authentication,
// negotiation failures and many streams on one connection, between two real
// hosts over loopback UDP.
#include "transport/host/libp2p_host.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/transport/host/host_pair_test_base.h"
#include "transport/host/identify_client.h"
#include "transport/host/perf_client_handler.h"
#include "transport/host/ping_client.h"
#include "transport/protocols/identify_message.h"
#include "transport/protocols/perf_protocol.h"
#include "transport/protocols/ping_payload.h"

namespace p2pquic::testing {
namespace {

constexpr char kUnknownProtocol[] = "/p2pquic/test/nobody-speaks-this/1.0.0";

using PingRecorder = Recorder<PingReport>;
using IdentifyRecorder = Recorder<IdentifyReport>;
using PerfRecorder = Recorder<PerfReport>;

class Libp2pHostTest : public HostPairTestBase {
 protected:
  std::unique_ptr<PingClient> Ping(int count, const std::shared_ptr<PingRecorder>& recorder) {
    return std::make_unique<PingClient>(dialer_->clock(), dialer_->random(), count,
                                        Duration::zero(), nullptr,
                                        PingRecorder::Callback(recorder));
  }
};

TEST_F(Libp2pHostTest, ConnectingTellsEachSideTheOthersPeerId) {
  ASSERT_TRUE(ConnectPair());
  EXPECT_EQ(dialer_learned_, listener_->peer_id().ToString());
  ASSERT_EQ(listener_ready_.size(), 1u);
  EXPECT_EQ(listener_ready_[0].second, dialer_->peer_id().ToString());
  const PeerId* seen = listener_->PeerOf(listener_ready_[0].first);
  ASSERT_NE(seen, nullptr);
  EXPECT_EQ(*seen, dialer_->peer_id());
  ASSERT_NE(dialer_->PeerOf(connection_), nullptr);
  EXPECT_EQ(*dialer_->PeerOf(connection_), listener_->peer_id());
}

TEST_F(Libp2pHostTest, DialingTheWrongPeerIdFailsNamingBothIds) {
  const PeerId stranger = PeerIdFor(kStrangerKeySeed);
  bool called = false;
  std::string error;
  const PeerId* learned = nullptr;
  dialer_->Connect(listener_->ListenAddress().WithPeerId(stranger),
                   [&](ConnectionHandle, const PeerId* peer, const std::string& why) {
                     called = true;
                     learned = peer;
                     error = why;
                   });
  ASSERT_TRUE(RunUntil([&] { return called; }));
  EXPECT_EQ(learned, nullptr);
  EXPECT_NE(error.find(stranger.ToString()), std::string::npos) << error;
  EXPECT_NE(error.find(listener_->peer_id().ToString()), std::string::npos) << error;
  EXPECT_EQ(dialer_->connection_count(), 0u);
}

TEST_F(Libp2pHostTest, APingToAProtocolThePeerLacksReportsTheNegotiationFailure) {
  ASSERT_TRUE(ConnectPair());
  auto recorder = std::make_shared<PingRecorder>();
  ASSERT_EQ(dialer_->OpenStream(connection_, {kUnknownProtocol}, Ping(1, recorder)),
            OpenStreamResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return recorder->done(); }));
  ASSERT_EQ(recorder->reports.size(), 1u);
  EXPECT_NE(recorder->report().error.find("negotiation failed"), std::string::npos)
      << recorder->report().error;
}

TEST_F(Libp2pHostTest, AnIdentifyOfAProtocolThePeerLacksReportsTheNegotiationFailure) {
  ASSERT_TRUE(ConnectPair());
  auto recorder = std::make_shared<IdentifyRecorder>();
  ASSERT_EQ(
      dialer_->OpenStream(connection_, {kUnknownProtocol},
                          std::make_unique<IdentifyClient>(IdentifyRecorder::Callback(recorder))),
      OpenStreamResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return recorder->done(); }));
  ASSERT_EQ(recorder->reports.size(), 1u);
  EXPECT_NE(recorder->report().error.find("negotiation failed"), std::string::npos)
      << recorder->report().error;
}

TEST_F(Libp2pHostTest, APerfRunOfAProtocolThePeerLacksReportsTheNegotiationFailure) {
  ASSERT_TRUE(ConnectPair());
  auto recorder = std::make_shared<PerfRecorder>();
  ASSERT_EQ(
      dialer_->OpenStream(connection_, {kUnknownProtocol},
                          std::make_unique<PerfClientHandler>(dialer_->clock(), 1000, 1000,
                                                              PerfRecorder::Callback(recorder))),
      OpenStreamResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return recorder->done(); }));
  ASSERT_EQ(recorder->reports.size(), 1u);
  EXPECT_NE(recorder->report().error.find("negotiation failed"), std::string::npos)
      << recorder->report().error;
}

TEST_F(Libp2pHostTest, AHandlerTheHostRefusesReportsAnErrorAtOnce) {
  auto recorder = std::make_shared<PingRecorder>();
  EXPECT_EQ(dialer_->OpenStream(ConnectionHandle{}, {std::string(protocols::kPingProtocolId)},
                                Ping(1, recorder)),
            OpenStreamResult::kNotConnected);
  ASSERT_EQ(recorder->reports.size(), 1u);
  EXPECT_NE(recorder->report().error, "");
}

TEST_F(Libp2pHostTest, FiftyConcurrentStreamsOnOneConnectionAllComplete) {
  constexpr int kStreamsPerKind = 17;  // 51 streams in all.
  constexpr int kPingsPerStream = 3;
  constexpr uint64_t kPerfBytes = 100 * 1000;
  ASSERT_TRUE(ConnectPair());
  std::vector<std::shared_ptr<PingRecorder>> pings;
  std::vector<std::shared_ptr<IdentifyRecorder>> identifies;
  std::vector<std::shared_ptr<PerfRecorder>> perfs;
  for (int i = 0; i < kStreamsPerKind; ++i) {
    pings.push_back(std::make_shared<PingRecorder>());
    identifies.push_back(std::make_shared<IdentifyRecorder>());
    perfs.push_back(std::make_shared<PerfRecorder>());
    ASSERT_EQ(dialer_->OpenStream(connection_, {std::string(protocols::kPingProtocolId)},
                                  Ping(kPingsPerStream, pings.back())),
              OpenStreamResult::kOk);
    ASSERT_EQ(dialer_->OpenStream(
                  connection_, {std::string(protocols::kIdentifyProtocolId)},
                  std::make_unique<IdentifyClient>(IdentifyRecorder::Callback(identifies.back()))),
              OpenStreamResult::kOk);
    ASSERT_EQ(dialer_->OpenStream(
                  connection_, {std::string(protocols::kPerfProtocolId)},
                  std::make_unique<PerfClientHandler>(dialer_->clock(), kPerfBytes, kPerfBytes,
                                                      PerfRecorder::Callback(perfs.back()))),
              OpenStreamResult::kOk);
  }
  auto all_done = [&] {
    for (int i = 0; i < kStreamsPerKind; ++i) {
      if (!pings[i]->done() || !identifies[i]->done() || !perfs[i]->done()) return false;
    }
    return true;
  };
  ASSERT_TRUE(RunUntil(all_done));
  for (int i = 0; i < kStreamsPerKind; ++i) {
    ASSERT_EQ(pings[i]->reports.size(), 1u);
    EXPECT_EQ(pings[i]->report().error, "") << "ping stream " << i;
    EXPECT_EQ(pings[i]->report().completed, kPingsPerStream);
    ASSERT_EQ(identifies[i]->reports.size(), 1u);
    EXPECT_EQ(identifies[i]->report().error, "") << "identify stream " << i;
    ASSERT_EQ(perfs[i]->reports.size(), 1u);
    EXPECT_EQ(perfs[i]->report().error, "") << "perf stream " << i;
    EXPECT_EQ(perfs[i]->report().downloaded, kPerfBytes);
  }
}

}  // namespace
}  // namespace p2pquic::testing
