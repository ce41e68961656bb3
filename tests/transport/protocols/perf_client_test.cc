#include "transport/protocols/perf_client.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/transport/protocols/test_bytes.h"
#include "transport/protocols/perf_server.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::protocols {
namespace {

using testing::Below;

TEST(PerfClientTest, WritesTheRequestedCountBigEndianThenTheUpload) {
  PerfClient client(5, 0x1122);
  const std::span<const uint8_t> header = client.NextChunk();
  EXPECT_EQ(std::vector<uint8_t>(header.begin(), header.end()),
            (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0x11, 0x22}));
  ASSERT_EQ(client.Advance(8), PerfResult::kOk);
  EXPECT_EQ(client.NextChunk().size(), 5u);
  ASSERT_EQ(client.Advance(5), PerfResult::kOk);
  EXPECT_EQ(client.uploaded_bytes(), 5u);
  EXPECT_EQ(client.state(), PerfClientState::kDownloading);  // Half-close now.
}

TEST(PerfClientTest, IsDoneWhenExactlyTheRequestedBytesArrive) {
  PerfClient client(0, 100);
  client.Advance(8);
  const std::vector<uint8_t> sixty(60), forty(40);
  ASSERT_EQ(client.Feed(sixty), PerfResult::kOk);
  ASSERT_EQ(client.Feed(forty), PerfResult::kOk);
  EXPECT_EQ(client.state(), PerfClientState::kDownloading);
  ASSERT_EQ(client.FinishInput(), PerfResult::kOk);
  EXPECT_EQ(client.state(), PerfClientState::kDone);
  EXPECT_EQ(client.downloaded_bytes(), 100u);
}

TEST(PerfClientTest, FewerBytesThanRequestedIsACountMismatch) {
  PerfClient client(0, 100);
  client.Advance(8);
  const std::vector<uint8_t> ninety_nine(99);
  ASSERT_EQ(client.Feed(ninety_nine), PerfResult::kOk);
  EXPECT_EQ(client.FinishInput(), PerfResult::kByteCountMismatch);
  EXPECT_EQ(client.state(), PerfClientState::kFailed);
}

TEST(PerfClientTest, MoreBytesThanRequestedOrAfterTheEndAreUnexpected) {
  PerfClient greedy(0, 10);
  const std::vector<uint8_t> eleven(11);
  EXPECT_EQ(greedy.Feed(eleven), PerfResult::kUnexpectedData);
  EXPECT_EQ(greedy.state(), PerfClientState::kFailed);
  EXPECT_TRUE(greedy.NextChunk().empty());

  PerfClient late(0, 0);
  late.Advance(8);
  ASSERT_EQ(late.FinishInput(), PerfResult::kOk);
  const std::vector<uint8_t> one(1);
  EXPECT_EQ(late.Feed(one), PerfResult::kUnexpectedData);
}

// Client and server through a pipe with short writes and random cuts: both
// agree on every byte count.
TEST(PerfClientTest, RoundTripWithAServerCountsEveryByte) {
  for (uint64_t seed = 0; seed < 20; ++seed) {
    SeededRandom random(seed);
    const uint64_t upload = Below(random, 400000);
    const uint64_t download = Below(random, 400000);
    PerfClient client(upload, download);
    PerfServer server;
    while (!client.NextChunk().empty()) {
      const std::span<const uint8_t> chunk = client.NextChunk();
      const size_t wrote = 1 + Below(random, chunk.size());
      ASSERT_EQ(server.Feed(chunk.first(wrote)), PerfResult::kOk);
      ASSERT_EQ(client.Advance(wrote), PerfResult::kOk);
    }
    ASSERT_EQ(client.state(), PerfClientState::kDownloading);
    ASSERT_EQ(server.FinishInput(), PerfResult::kOk);  // The client's half-close.
    while (!server.NextChunk().empty()) {
      const std::span<const uint8_t> chunk = server.NextChunk();
      const size_t wrote = 1 + Below(random, chunk.size());
      ASSERT_EQ(client.Feed(chunk.first(wrote)), PerfResult::kOk);
      ASSERT_EQ(server.Advance(wrote), PerfResult::kOk);
    }
    ASSERT_EQ(server.state(), PerfServerState::kDone);
    ASSERT_EQ(client.FinishInput(), PerfResult::kOk);  // The server's close.
    EXPECT_EQ(client.state(), PerfClientState::kDone);
    EXPECT_EQ(server.requested_bytes(), download);
    EXPECT_EQ(server.received_bytes(), upload);
    EXPECT_EQ(client.uploaded_bytes(), upload);
    EXPECT_EQ(client.downloaded_bytes(), download);
    EXPECT_EQ(server.sent_bytes(), download);
  }
  EXPECT_STRNE(ToString(PerfClientState::kDownloading), "unknown");
}

}  // namespace
}  // namespace p2pquic::protocols
