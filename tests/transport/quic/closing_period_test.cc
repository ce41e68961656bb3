// ClosingPeriod's answer policy on its own: what is saved, which datagrams
// earn an answer, where the answer goes.
#include "transport/quic/connection/closing_period.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace p2pquic {
namespace {

using std::chrono::milliseconds;

const NetworkPath kFirst{SocketAddress::Loopback4(4433), SocketAddress::Loopback4(50000)};
const NetworkPath kRebound{SocketAddress::Loopback4(4433), SocketAddress::Loopback4(50001)};
const std::vector<uint8_t> kClose = {0x40, 1, 2, 3, 4, 5};
const Timestamp kStart = Timestamp(std::chrono::seconds(10));

// Sends the due answer, if any: its path, or nullopt.
std::optional<NetworkPath> Take(ClosingPeriod& closing) {
  NetworkPath path;
  std::span<const uint8_t> datagram;
  if (!closing.TakeAnswer(&path, &datagram)) return std::nullopt;
  EXPECT_EQ(std::vector<uint8_t>(datagram.begin(), datagram.end()), kClose);
  return path;
}

TEST(ClosingPeriodTest, NothingIsAnsweredBeforeTheCloseIsSaved) {
  ClosingPeriod closing;
  EXPECT_EQ(closing.phase(), ClosingPhase::kCloseToSend);
  EXPECT_EQ(closing.OnDatagram(kFirst, kStart), ClosingAnswer::kNothingSaved);
  EXPECT_EQ(Take(closing), std::nullopt);
  EXPECT_EQ(closing.datagrams_received(), 0u);
}

TEST(ClosingPeriodTest, WithNothingSavedNothingIsEverAnswered) {
  ClosingPeriod closing;
  closing.SaveNothing();
  EXPECT_EQ(closing.phase(), ClosingPhase::kSilent);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(closing.OnDatagram(kFirst, kStart + milliseconds(100 * i)),
              ClosingAnswer::kNothingSaved);
  }
  EXPECT_EQ(Take(closing), std::nullopt);
  EXPECT_EQ(closing.answers_sent(), 0u);
}

TEST(ClosingPeriodTest, AFloodIsAnsweredWithExponentialBackoffInTime) {
  ClosingPeriod closing;
  closing.Save(kClose);
  EXPECT_EQ(closing.phase(), ClosingPhase::kSaved);
  // A datagram every millisecond for a second, each read then written.
  std::vector<int> answered_at_ms;
  for (int ms = 0; ms < 1000; ++ms) {
    const ClosingAnswer answer = closing.OnDatagram(kFirst, kStart + milliseconds(ms));
    const std::optional<NetworkPath> sent = Take(closing);
    EXPECT_EQ(sent.has_value(), answer == ClosingAnswer::kAnswer) << ms;
    if (!sent) continue;
    answered_at_ms.push_back(ms);
    EXPECT_EQ(*sent, kFirst);
  }
  // Each wait twice the last: 1, 2, 4, ... 256 ms.
  EXPECT_EQ(answered_at_ms, (std::vector<int>{0, 1, 3, 7, 15, 31, 63, 127, 255, 511}));
  EXPECT_EQ(closing.datagrams_received(), 1000u);
  EXPECT_EQ(closing.answers_sent(), 10u);
}

TEST(ClosingPeriodTest, AProbeAfterAQuietSpellIsAnswered) {
  ClosingPeriod closing;
  closing.Save(kClose);
  // A burst right after the close (packets that were in flight): the first
  // is answered, the rest within the backoff are not.
  for (int i = 0; i < 10; ++i) closing.OnDatagram(kFirst, kStart);
  ASSERT_TRUE(Take(closing).has_value());
  EXPECT_EQ(closing.OnDatagram(kFirst, kStart + std::chrono::microseconds(500)),
            ClosingAnswer::kRateLimited);
  // The peer's next packet, a probe 100 ms later, is answered: a count of
  // datagrams would have made it wait for the 16th.
  EXPECT_EQ(closing.OnDatagram(kFirst, kStart + milliseconds(100)), ClosingAnswer::kAnswer);
  EXPECT_TRUE(Take(closing).has_value());
  EXPECT_EQ(closing.answers_sent(), 2u);
  EXPECT_EQ(closing.datagrams_received(), 12u);
}

TEST(ClosingPeriodTest, AnswersDueTogetherLeaveOnceToTheLatestSender) {
  ClosingPeriod closing;
  closing.Save(kClose);
  EXPECT_EQ(closing.OnDatagram(kFirst, kStart), ClosingAnswer::kAnswer);
  // Before the answer is written, a NAT moves the peer: the one answer goes
  // to where it is now.
  EXPECT_EQ(closing.OnDatagram(kRebound, kStart), ClosingAnswer::kAnswer);
  EXPECT_EQ(closing.phase(), ClosingPhase::kAnswerDue);
  EXPECT_EQ(Take(closing), kRebound);
  EXPECT_EQ(Take(closing), std::nullopt);
  EXPECT_EQ(closing.phase(), ClosingPhase::kSaved);
  EXPECT_EQ(closing.answers_sent(), 1u);
}

}  // namespace
}  // namespace p2pquic
