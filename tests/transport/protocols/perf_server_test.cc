#include "transport/protocols/perf_server.h"

#include <gtest/gtest.h>

#include <vector>

namespace p2pquic::protocols {
namespace {

std::vector<uint8_t> Header(uint64_t value) {
  std::vector<uint8_t> bytes;
  for (int shift = 56; shift >= 0; shift -= 8)
    bytes.push_back(static_cast<uint8_t>(value >> shift));
  return bytes;
}

// Writes everything the server offers, in its chunks; returns the byte count.
uint64_t Drain(PerfServer& server) {
  uint64_t total = 0;
  while (!server.NextChunk().empty()) {
    const size_t size = server.NextChunk().size();
    EXPECT_LE(size, kMaxPerfChunkBytes);
    EXPECT_EQ(server.Advance(size), PerfResult::kOk);
    total += size;
  }
  return total;
}

TEST(PerfServerTest, ReadsAHeaderSplitAcrossReadsAndCountsTheUpload) {
  PerfServer server;
  const std::vector<uint8_t> header = Header(200000);
  const std::span<const uint8_t> all(header);
  ASSERT_EQ(server.Feed(all.first(3)), PerfResult::kOk);
  EXPECT_EQ(server.state(), PerfServerState::kReadingHeader);
  std::vector<uint8_t> rest(all.begin() + 3, all.end());
  rest.resize(rest.size() + 1000, 0x55);
  ASSERT_EQ(server.Feed(rest), PerfResult::kOk);
  EXPECT_EQ(server.state(), PerfServerState::kReceiving);
  EXPECT_EQ(server.requested_bytes(), 200000u);
  EXPECT_EQ(server.received_bytes(), 1000u);
}

TEST(PerfServerTest, SendsNothingUntilTheClientEndsThenExactlyWhatWasAsked) {
  PerfServer server;
  ASSERT_EQ(server.Feed(Header(300000)), PerfResult::kOk);
  EXPECT_TRUE(server.NextChunk().empty());
  ASSERT_EQ(server.FinishInput(), PerfResult::kOk);
  EXPECT_EQ(server.state(), PerfServerState::kSending);
  EXPECT_EQ(Drain(server), 300000u);
  EXPECT_EQ(server.sent_bytes(), 300000u);
  EXPECT_EQ(server.state(), PerfServerState::kDone);
}

TEST(PerfServerTest, AZeroRequestIsDoneAsSoonAsTheClientEnds) {
  PerfServer server;
  ASSERT_EQ(server.Feed(Header(0)), PerfResult::kOk);
  ASSERT_EQ(server.FinishInput(), PerfResult::kOk);
  EXPECT_EQ(server.state(), PerfServerState::kDone);
}

TEST(PerfServerTest, EndingBeforeTheWholeHeaderIsAShortHeader) {
  PerfServer server;
  const std::vector<uint8_t> seven(7, 0);
  ASSERT_EQ(server.Feed(seven), PerfResult::kOk);
  EXPECT_EQ(server.FinishInput(), PerfResult::kShortHeader);
  EXPECT_EQ(server.state(), PerfServerState::kFailed);
  EXPECT_TRUE(server.NextChunk().empty());
  EXPECT_EQ(server.Feed(seven), PerfResult::kShortHeader);
}

TEST(PerfServerTest, DataAfterTheClientEndedIsUnexpected) {
  PerfServer server;
  ASSERT_EQ(server.Feed(Header(10)), PerfResult::kOk);
  ASSERT_EQ(server.FinishInput(), PerfResult::kOk);
  const std::vector<uint8_t> late{1};
  EXPECT_EQ(server.Feed(late), PerfResult::kUnexpectedData);
  EXPECT_EQ(server.state(), PerfServerState::kFailed);
}

TEST(PerfServerTest, RefusesRequestsOverItsLimitButServesTheMaximumByDefault) {
  PerfServer limited(1000);
  EXPECT_EQ(limited.Feed(Header(1001)), PerfResult::kRequestTooLarge);
  PerfServer at_limit(1000);
  EXPECT_EQ(at_limit.Feed(Header(1000)), PerfResult::kOk);
  PerfServer unlimited;
  ASSERT_EQ(unlimited.Feed(Header(kPerfUnlimited)), PerfResult::kOk);
  ASSERT_EQ(unlimited.FinishInput(), PerfResult::kOk);
  EXPECT_EQ(unlimited.NextChunk().size(), kMaxPerfChunkBytes);
  EXPECT_STRNE(ToString(PerfServerState::kSending), "unknown");
}

}  // namespace
}  // namespace p2pquic::protocols
