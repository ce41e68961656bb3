#include "transport/protocols/ping_initiator.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/transport/protocols/test_bytes.h"
#include "transport/protocols/ping_responder.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::protocols {
namespace {

TEST(PingInitiatorTest, PayloadsComeFromTheCallersRandom) {
  SeededRandom a(5), b(5);
  const PingPayload first = DrawPingPayload(a);
  EXPECT_EQ(first, DrawPingPayload(b));
  EXPECT_NE(first, DrawPingPayload(a));
}

TEST(PingInitiatorTest, AMatchingEchoCompletesThePing) {
  SeededRandom random(1);
  const PingPayload payload = DrawPingPayload(random);
  PingInitiator initiator;
  ASSERT_EQ(initiator.Start(payload), PingInitiatorResult::kOk);
  EXPECT_TRUE(initiator.outstanding());
  EXPECT_EQ(initiator.Feed(payload), PingInitiatorResult::kEchoMatched);
  EXPECT_FALSE(initiator.outstanding());
  EXPECT_EQ(initiator.completed_pings(), 1u);
  EXPECT_EQ(initiator.PeerClosed(), PingInitiatorResult::kOk);
}

TEST(PingInitiatorTest, AnEchoInPiecesCompletesOnTheLastPiece) {
  SeededRandom random(2);
  const PingPayload payload = DrawPingPayload(random);
  PingInitiator initiator;
  initiator.Start(payload);
  const std::span<const uint8_t> all(payload);
  EXPECT_EQ(initiator.Feed(all.first(10)), PingInitiatorResult::kNeedMore);
  EXPECT_EQ(initiator.Feed({}), PingInitiatorResult::kNeedMore);
  EXPECT_EQ(initiator.Feed(all.subspan(10, 21)), PingInitiatorResult::kNeedMore);
  EXPECT_EQ(initiator.Feed(all.subspan(31)), PingInitiatorResult::kEchoMatched);
}

TEST(PingInitiatorTest, OnlyOnePingIsOutstandingAtATime) {
  SeededRandom random(3);
  const PingPayload payload = DrawPingPayload(random);
  PingInitiator initiator;
  initiator.Start(payload);
  EXPECT_EQ(initiator.Start(DrawPingPayload(random)), PingInitiatorResult::kBusy);
  EXPECT_EQ(initiator.Feed(payload), PingInitiatorResult::kEchoMatched);  // The first one.
  EXPECT_EQ(initiator.Start(DrawPingPayload(random)), PingInitiatorResult::kOk);
}

TEST(PingInitiatorTest, ADifferentEchoIsAFinalMismatch) {
  SeededRandom random(4);
  PingPayload payload = DrawPingPayload(random);
  PingInitiator initiator;
  initiator.Start(payload);
  payload[31] ^= 1;
  EXPECT_EQ(initiator.Feed(payload), PingInitiatorResult::kEchoMismatch);
  EXPECT_EQ(initiator.Start(payload), PingInitiatorResult::kEchoMismatch);
  EXPECT_EQ(initiator.Feed(payload), PingInitiatorResult::kEchoMismatch);
}

TEST(PingInitiatorTest, BytesBeyondTheEchoAreUnexpected) {
  SeededRandom random(5);
  const PingPayload payload = DrawPingPayload(random);
  PingInitiator initiator;
  initiator.Start(payload);
  std::vector<uint8_t> too_much(payload.begin(), payload.end());
  too_much.push_back(0);
  EXPECT_EQ(initiator.Feed(too_much), PingInitiatorResult::kUnexpectedData);

  PingInitiator idle;
  const std::vector<uint8_t> one{1};
  EXPECT_EQ(idle.Feed(one), PingInitiatorResult::kUnexpectedData);
}

TEST(PingInitiatorTest, ThePeerClosingMidEchoTruncatesIt) {
  SeededRandom random(6);
  const PingPayload payload = DrawPingPayload(random);
  PingInitiator initiator;
  initiator.Start(payload);
  initiator.Feed(std::span<const uint8_t>(payload).first(5));
  EXPECT_EQ(initiator.PeerClosed(), PingInitiatorResult::kTruncatedEcho);
  EXPECT_STRNE(ToString(PingInitiatorResult::kTruncatedEcho), "unknown");
}

// Initiator and responder through a pipe cut at random points, 50 pings.
TEST(PingInitiatorTest, ManyPingsThroughAResponderOverAChoppyStream) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    SeededRandom random(seed);
    PingInitiator initiator;
    PingResponder responder;
    for (int ping = 0; ping < 50; ++ping) {
      const PingPayload payload = DrawPingPayload(random);
      ASSERT_EQ(initiator.Start(payload), PingInitiatorResult::kOk);
      std::vector<uint8_t> echo;
      for (std::span<const uint8_t> piece : testing::SplitRandomly(payload, random, 12)) {
        const std::vector<uint8_t> out = responder.Feed(piece);
        echo.insert(echo.end(), out.begin(), out.end());
      }
      PingInitiatorResult result = PingInitiatorResult::kNeedMore;
      for (std::span<const uint8_t> piece : testing::SplitRandomly(echo, random, 12)) {
        result = initiator.Feed(piece);
      }
      ASSERT_EQ(result, PingInitiatorResult::kEchoMatched) << "seed " << seed << " ping " << ping;
    }
    EXPECT_EQ(initiator.completed_pings(), 50u);
    EXPECT_EQ(responder.echoed_payloads(), 50u);
  }
}

}  // namespace
}  // namespace p2pquic::protocols
