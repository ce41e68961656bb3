// PingClient against PingService, between two real hosts over loopback UDP.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "testing/null_stream_handler.h"
#include "tests/transport/host/host_pair_test_base.h"
#include "transport/host/ping_client.h"
#include "transport/protocols/ping_payload.h"

namespace p2pquic::testing {
namespace {

constexpr int kPings = 5;
constexpr char kEchoOnceProtocol[] = "/p2pquic/test/echo-once/1.0.0";

// Echoes the first payload, then half-closes: a responder that quits early.
class EchoOnce final : public NullStreamHandler {
 public:
  void OnData(Libp2pStream& stream, std::span<const uint8_t> data) override {
    for (uint8_t byte : data) {
      if (held_.size() == protocols::kPingPayloadBytes) return;
      held_.push_back(byte);
    }
    if (held_.size() < protocols::kPingPayloadBytes) return;
    stream.Write(held_);
    stream.CloseWrite();
  }

 private:
  std::vector<uint8_t> held_;
};

class PingTest : public HostPairTestBase {
 protected:
  using PingRecorder = Recorder<PingReport>;

  std::unique_ptr<PingClient> MakeClient(int count, Duration interval,
                                         const std::shared_ptr<PingRecorder>& recorder) {
    auto rtts = rtt_indexes_;
    return std::make_unique<PingClient>(
        dialer_->clock(), dialer_->random(), count, interval,
        [rtts](int index, Duration) { rtts->push_back(index); }, PingRecorder::Callback(recorder));
  }

  std::shared_ptr<std::vector<int>> rtt_indexes_ = std::make_shared<std::vector<int>>();
};

TEST_F(PingTest, FivePingsEachReportAPositiveRoundTripTime) {
  ASSERT_TRUE(ConnectPair());
  auto recorder = std::make_shared<PingRecorder>();
  ASSERT_EQ(dialer_->OpenStream(connection_, {std::string(protocols::kPingProtocolId)},
                                MakeClient(kPings, Duration::zero(), recorder)),
            OpenStreamResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return recorder->done(); }));
  ASSERT_EQ(recorder->reports.size(), 1u);
  const PingReport& report = recorder->report();
  EXPECT_EQ(report.error, "");
  EXPECT_EQ(report.completed, kPings);
  ASSERT_EQ(report.rtts.size(), static_cast<size_t>(kPings));
  for (Duration rtt : report.rtts) EXPECT_GT(rtt, Duration::zero());
  EXPECT_EQ(*rtt_indexes_, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST_F(PingTest, TheIntervalSpacesThePingsApart) {
  ASSERT_TRUE(ConnectPair());
  constexpr int kCount = 3;
  constexpr auto kInterval = std::chrono::milliseconds(100);
  auto recorder = std::make_shared<PingRecorder>();
  const Timestamp start = clock_.Now();
  ASSERT_EQ(dialer_->OpenStream(connection_, {std::string(protocols::kPingProtocolId)},
                                MakeClient(kCount, kInterval, recorder)),
            OpenStreamResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return recorder->done(); }));
  EXPECT_EQ(recorder->report().error, "");
  EXPECT_EQ(recorder->report().completed, kCount);
  // Sends at 0, 100 and 200 ms after the stream opened.
  EXPECT_GE(clock_.Now() - start, (kCount - 1) * kInterval);
}

TEST_F(PingTest, AResponderThatClosesEarlyFailsTheRunAfterOnePing) {
  listener_->Handle(kEchoOnceProtocol, [] { return std::make_unique<EchoOnce>(); });
  ASSERT_TRUE(ConnectPair());
  auto recorder = std::make_shared<PingRecorder>();
  ASSERT_EQ(dialer_->OpenStream(connection_, {kEchoOnceProtocol},
                                MakeClient(kPings, Duration::zero(), recorder)),
            OpenStreamResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return recorder->done(); }));
  ASSERT_EQ(recorder->reports.size(), 1u);
  EXPECT_EQ(recorder->report().completed, 1);
  EXPECT_NE(recorder->report().error.find("closed the stream after 1 of 5"), std::string::npos)
      << recorder->report().error;
}

TEST_F(PingTest, ZeroPingsReportSuccessAsSoonAsTheStreamOpens) {
  ASSERT_TRUE(ConnectPair());
  auto recorder = std::make_shared<PingRecorder>();
  ASSERT_EQ(dialer_->OpenStream(connection_, {std::string(protocols::kPingProtocolId)},
                                MakeClient(0, Duration::zero(), recorder)),
            OpenStreamResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return recorder->done(); }));
  EXPECT_EQ(recorder->report().error, "");
  EXPECT_EQ(recorder->report().completed, 0);
}

TEST_F(PingTest, ClosingTheConnectionMidRunReportsAnErrorOnce) {
  ASSERT_TRUE(ConnectPair());
  auto recorder = std::make_shared<PingRecorder>();
  // One ping an hour: the run is certainly unfinished when the connection goes.
  ASSERT_EQ(dialer_->OpenStream(connection_, {std::string(protocols::kPingProtocolId)},
                                MakeClient(kPings, std::chrono::hours(1), recorder)),
            OpenStreamResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return !rtt_indexes_->empty(); }));
  dialer_->Disconnect(connection_);
  ASSERT_TRUE(RunUntil([&] { return recorder->done(); }));
  ASSERT_EQ(recorder->reports.size(), 1u);
  EXPECT_EQ(recorder->report().completed, 1);
  EXPECT_NE(recorder->report().error.find("closed after 1 of 5"), std::string::npos)
      << recorder->report().error;
  // The hour-long interval timer is gone too: once both sides have dropped
  // the connection (closing periods, CID grace), no timer is left at all.
  ASSERT_TRUE(RunUntil([&] {
    return listener_->connection_count() == 0 && dialer_->connection_count() == 0 &&
           clock_.pending_timers() == 0;
  })) << clock_.pending_timers()
      << " timers pending";
}

}  // namespace
}  // namespace p2pquic::testing
