// PerfClientHandler against PerfService (and against misbehaving servers),
// between two real hosts over loopback UDP.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "testing/null_stream_handler.h"
#include "tests/transport/host/host_pair_test_base.h"
#include "transport/host/perf_client_handler.h"
#include "transport/protocols/perf_protocol.h"

namespace p2pquic::testing {
namespace {

constexpr uint64_t kMegabyte = 1000 * 1000;
constexpr uint64_t kUpload = 3 * kMegabyte;
constexpr uint64_t kDownload = 5 * kMegabyte;
constexpr uint64_t kResetCode = 42;
constexpr size_t kShortDownloadBytes = 1000;
constexpr char kResetDuringUpload[] = "/p2pquic/test/perf-reset-upload/1.0.0";
constexpr char kResetDuringDownload[] = "/p2pquic/test/perf-reset-download/1.0.0";
constexpr char kShortDownload[] = "/p2pquic/test/perf-short/1.0.0";
constexpr char kSilent[] = "/p2pquic/test/perf-silent/1.0.0";

// Counts what arrives; once `reset_after` bytes have, resets the stream.
class ResetWhileReceiving final : public NullStreamHandler {
 public:
  explicit ResetWhileReceiving(uint64_t reset_after) : reset_after_(reset_after) {}
  void OnData(Libp2pStream& stream, std::span<const uint8_t> data) override {
    received_ += data.size();
    if (received_ < reset_after_ || reset_) return;
    reset_ = true;
    stream.Reset(kResetCode);
  }

 private:
  uint64_t reset_after_;
  uint64_t received_ = 0;
  bool reset_ = false;
};

// Reads the request to the end, fills the send buffer with zeros and, once
// the peer has acknowledged some of them (OnWritable), resets the stream.
class ResetWhileSending final : public NullStreamHandler {
 public:
  void OnRemoteClosed(Libp2pStream& stream) override {
    const std::vector<uint8_t> zeros(protocols::kMaxPerfChunkBytes);
    // Bounded: the send buffer fills within a few dozen chunks.
    for (int i = 0; i < kMaxChunks && stream.Write(zeros) == zeros.size(); ++i) {
    }
  }
  void OnWritable(Libp2pStream& stream) override { stream.Reset(kResetCode); }

 private:
  static constexpr int kMaxChunks = 1000;
};

// Answers any request with `bytes` bytes and half-closes.
class SendsOnly final : public NullStreamHandler {
 public:
  explicit SendsOnly(size_t bytes) : bytes_(bytes) {}
  void OnRemoteClosed(Libp2pStream& stream) override {
    stream.Write(std::vector<uint8_t>(bytes_));
    stream.CloseWrite();
  }

 private:
  size_t bytes_;
};

// Reads everything, counting it, and never answers.
class Silent final : public NullStreamHandler {
 public:
  explicit Silent(std::shared_ptr<uint64_t> received) : received_(std::move(received)) {}
  void OnData(Libp2pStream&, std::span<const uint8_t> data) override { *received_ += data.size(); }

 private:
  std::shared_ptr<uint64_t> received_;
};

double MegabytesPerSecond(uint64_t bytes, Duration time) {
  const double seconds = std::chrono::duration<double>(time).count();
  return seconds > 0 ? static_cast<double>(bytes) / kMegabyte / seconds : 0;
}

class PerfTest : public HostPairTestBase {
 protected:
  using PerfRecorder = Recorder<PerfReport>;

  std::shared_ptr<PerfRecorder> StartPerf(const std::string& protocol, uint64_t upload,
                                          uint64_t download) {
    auto recorder = std::make_shared<PerfRecorder>();
    EXPECT_EQ(
        dialer_->OpenStream(connection_, {protocol},
                            std::make_unique<PerfClientHandler>(dialer_->clock(), upload, download,
                                                                PerfRecorder::Callback(recorder))),
        OpenStreamResult::kOk);
    return recorder;
  }

  std::shared_ptr<PerfRecorder> RunPerf(const std::string& protocol, uint64_t upload,
                                        uint64_t download) {
    auto recorder = StartPerf(protocol, upload, download);
    EXPECT_TRUE(RunUntil([&] { return recorder->done(); }));
    EXPECT_LE(recorder->reports.size(), 1u);
    return recorder;
  }
};

TEST_F(PerfTest, UploadsAndDownloadsExactlyTheBytesAskedFor) {
  ASSERT_TRUE(ConnectPair());
  auto recorder = RunPerf(std::string(protocols::kPerfProtocolId), kUpload, kDownload);
  ASSERT_TRUE(recorder->done());
  const PerfReport& report = recorder->report();
  EXPECT_EQ(report.error, "");
  EXPECT_EQ(report.uploaded, kUpload);
  EXPECT_EQ(report.downloaded, kDownload);
  EXPECT_GT(report.upload_time, Duration::zero());
  EXPECT_GT(report.download_time, Duration::zero());
  EXPECT_GE(report.total_time, report.upload_time + report.download_time);
  std::printf(
      "perf over loopback: %.1f MB up in %.1f ms (%.1f MB/s), %.1f MB down in %.1f ms "
      "(%.1f MB/s)\n",
      static_cast<double>(report.uploaded) / kMegabyte,
      std::chrono::duration<double, std::milli>(report.upload_time).count(),
      MegabytesPerSecond(report.uploaded, report.upload_time),
      static_cast<double>(report.downloaded) / kMegabyte,
      std::chrono::duration<double, std::milli>(report.download_time).count(),
      MegabytesPerSecond(report.downloaded, report.download_time));
}

TEST_F(PerfTest, AResetDuringTheUploadReportsAnError) {
  listener_->Handle(kResetDuringUpload,
                    [] { return std::make_unique<ResetWhileReceiving>(kMegabyte); });
  ASSERT_TRUE(ConnectPair());
  auto recorder = RunPerf(kResetDuringUpload, kUpload, kDownload);
  ASSERT_EQ(recorder->reports.size(), 1u);
  EXPECT_NE(recorder->report().error.find("reset"), std::string::npos) << recorder->report().error;
  EXPECT_EQ(recorder->report().downloaded, 0u);
}

TEST_F(PerfTest, AResetDuringTheDownloadReportsAnError) {
  listener_->Handle(kResetDuringDownload, [] { return std::make_unique<ResetWhileSending>(); });
  ASSERT_TRUE(ConnectPair());
  auto recorder = RunPerf(kResetDuringDownload, kUpload, kDownload);
  ASSERT_EQ(recorder->reports.size(), 1u);
  EXPECT_NE(recorder->report().error.find("reset"), std::string::npos) << recorder->report().error;
  EXPECT_EQ(recorder->report().uploaded, kUpload);
  EXPECT_GT(recorder->report().downloaded, 0u);
  EXPECT_LT(recorder->report().downloaded, kDownload);
}

TEST_F(PerfTest, AShortDownloadReportsAByteCountMismatch) {
  listener_->Handle(kShortDownload,
                    [] { return std::make_unique<SendsOnly>(kShortDownloadBytes); });
  ASSERT_TRUE(ConnectPair());
  auto recorder = RunPerf(kShortDownload, kMegabyte, kDownload);
  ASSERT_EQ(recorder->reports.size(), 1u);
  EXPECT_NE(
      recorder->report().error.find(protocols::ToString(protocols::PerfResult::kByteCountMismatch)),
      std::string::npos)
      << recorder->report().error;
  EXPECT_EQ(recorder->report().downloaded, kShortDownloadBytes);
}

TEST_F(PerfTest, ClosingTheConnectionMidRunReportsAnError) {
  auto received = std::make_shared<uint64_t>(0);
  listener_->Handle(kSilent, [received] { return std::make_unique<Silent>(received); });
  ASSERT_TRUE(ConnectPair());
  auto recorder = StartPerf(kSilent, kMegabyte, kDownload);
  // The whole request (8-byte header and upload) has arrived; no answer comes.
  ASSERT_TRUE(RunUntil([&] { return *received == protocols::kPerfHeaderBytes + kMegabyte; }));
  EXPECT_FALSE(recorder->done());
  dialer_->Disconnect(connection_);
  ASSERT_TRUE(RunUntil([&] { return recorder->done(); }));
  ASSERT_EQ(recorder->reports.size(), 1u);
  EXPECT_NE(recorder->report().error.find("closed before"), std::string::npos)
      << recorder->report().error;
  EXPECT_EQ(recorder->report().uploaded, kMegabyte);
}

TEST_F(PerfTest, DestroyingTheHostMidRunReportsAnError) {
  auto received = std::make_shared<uint64_t>(0);
  listener_->Handle(kSilent, [received] { return std::make_unique<Silent>(received); });
  ASSERT_TRUE(ConnectPair());
  auto recorder = StartPerf(kSilent, kMegabyte, kDownload);
  ASSERT_TRUE(RunUntil([&] { return *received > 0; }));
  dialer_.reset();
  ASSERT_EQ(recorder->reports.size(), 1u);
  EXPECT_NE(recorder->report().error.find("dropped"), std::string::npos)
      << recorder->report().error;
}

}  // namespace
}  // namespace p2pquic::testing
