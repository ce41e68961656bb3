#include "transport/protocols/ping_responder.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/transport/protocols/test_bytes.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::protocols {
namespace {

std::vector<uint8_t> RandomBytes(SeededRandom& random, size_t size) {
  std::vector<uint8_t> bytes(size);
  random.Fill(bytes);
  return bytes;
}

TEST(PingResponderTest, EchoesAWholePayloadAtOnce) {
  SeededRandom random(1);
  const std::vector<uint8_t> payload = RandomBytes(random, kPingPayloadBytes);
  PingResponder responder;
  EXPECT_EQ(responder.Feed(payload), payload);
  EXPECT_EQ(responder.echoed_payloads(), 1u);
  EXPECT_EQ(responder.Finish(), PingResponderResult::kClean);
}

TEST(PingResponderTest, HoldsAPartialPayloadUntilItCompletes) {
  SeededRandom random(2);
  const std::vector<uint8_t> payload = RandomBytes(random, kPingPayloadBytes);
  PingResponder responder;
  const std::span<const uint8_t> all(payload);
  EXPECT_TRUE(responder.Feed(all.first(31)).empty());
  EXPECT_EQ(responder.Finish(), PingResponderResult::kPartialPayload);
  EXPECT_EQ(responder.Feed(all.subspan(31)), payload);
  EXPECT_EQ(responder.Finish(), PingResponderResult::kClean);
}

TEST(PingResponderTest, EchoesOnlyCompletePayloadsOfALongerRead) {
  SeededRandom random(3);
  const std::vector<uint8_t> bytes = RandomBytes(random, 2 * kPingPayloadBytes + 5);
  PingResponder responder;
  const std::vector<uint8_t> echo = responder.Feed(bytes);
  EXPECT_EQ(echo, std::vector<uint8_t>(bytes.begin(), bytes.begin() + 2 * kPingPayloadBytes));
  EXPECT_EQ(responder.Finish(), PingResponderResult::kPartialPayload);
}

TEST(PingResponderTest, EchoesTheSameBytesHoweverTheStreamIsCut) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    SeededRandom random(seed);
    const std::vector<uint8_t> bytes = RandomBytes(random, 20 * kPingPayloadBytes);
    PingResponder responder;
    std::vector<uint8_t> echoed;
    for (std::span<const uint8_t> piece : testing::SplitRandomly(bytes, random, 70)) {
      const std::vector<uint8_t> echo = responder.Feed(piece);
      ASSERT_EQ(echo.size() % kPingPayloadBytes, 0u);
      echoed.insert(echoed.end(), echo.begin(), echo.end());
    }
    EXPECT_EQ(echoed, bytes) << "seed " << seed;
    EXPECT_EQ(responder.echoed_payloads(), 20u);
  }
}

TEST(PingResponderTest, AnEmptyReadEchoesNothing) {
  PingResponder responder;
  EXPECT_TRUE(responder.Feed({}).empty());
  EXPECT_EQ(responder.Finish(), PingResponderResult::kClean);
  EXPECT_STRNE(ToString(PingResponderResult::kPartialPayload), "unknown");
}

}  // namespace
}  // namespace p2pquic::protocols
