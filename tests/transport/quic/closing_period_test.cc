// ClosingPeriod's answer policy on its own: what is saved, which datagrams
// earn an answer, where the answer goes.
#include "transport/quic/closing_period.h"

#include <gtest/gtest.h>

#include <vector>

namespace p2pquic {
namespace {

const NetworkPath kFirst{SocketAddress::Loopback4(4433), SocketAddress::Loopback4(50000)};
const NetworkPath kRebound{SocketAddress::Loopback4(4433), SocketAddress::Loopback4(50001)};
const std::vector<uint8_t> kClose = {0x40, 1, 2, 3, 4, 5};

TEST(ClosingPeriodTest, NothingIsAnsweredBeforeTheCloseIsSaved) {
  ClosingPeriod closing;
  EXPECT_EQ(closing.phase(), ClosingPhase::kCloseToSend);
  EXPECT_EQ(closing.OnDatagram(kFirst), ClosingAnswer::kNothingSaved);
  NetworkPath path;
  std::span<const uint8_t> datagram;
  EXPECT_FALSE(closing.TakeAnswer(&path, &datagram));
  EXPECT_EQ(closing.datagrams_received(), 0u);
}

TEST(ClosingPeriodTest, WithNothingSavedNothingIsEverAnswered) {
  ClosingPeriod closing;
  closing.SaveNothing();
  EXPECT_EQ(closing.phase(), ClosingPhase::kSilent);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(closing.OnDatagram(kFirst), ClosingAnswer::kNothingSaved);
  NetworkPath path;
  std::span<const uint8_t> datagram;
  EXPECT_FALSE(closing.TakeAnswer(&path, &datagram));
  EXPECT_EQ(closing.answers_sent(), 0u);
}

TEST(ClosingPeriodTest, AnswersThePowersOfTwoWithTheSavedBytes) {
  ClosingPeriod closing;
  closing.Save(kClose);
  EXPECT_EQ(closing.phase(), ClosingPhase::kSaved);
  std::vector<uint64_t> answered;
  for (uint64_t n = 1; n <= 1000; ++n) {
    const ClosingAnswer answer = closing.OnDatagram(kFirst);
    NetworkPath path;
    std::span<const uint8_t> datagram;
    const bool taken = closing.TakeAnswer(&path, &datagram);
    EXPECT_EQ(taken, answer == ClosingAnswer::kAnswer) << n;
    if (!taken) continue;
    answered.push_back(n);
    EXPECT_EQ(std::vector<uint8_t>(datagram.begin(), datagram.end()), kClose);
    EXPECT_EQ(path, kFirst);
  }
  EXPECT_EQ(answered, (std::vector<uint64_t>{1, 2, 4, 8, 16, 32, 64, 128, 256, 512}));
  EXPECT_EQ(closing.datagrams_received(), 1000u);
  EXPECT_EQ(closing.answers_sent(), 10u);
}

TEST(ClosingPeriodTest, AnswersEarnedInOneBurstLeaveOnceToTheLatestSender) {
  ClosingPeriod closing;
  closing.Save(kClose);
  EXPECT_EQ(closing.OnDatagram(kFirst), ClosingAnswer::kAnswer);    // 1st.
  EXPECT_EQ(closing.OnDatagram(kRebound), ClosingAnswer::kAnswer);  // 2nd: a NAT moved the peer.
  EXPECT_EQ(closing.phase(), ClosingPhase::kAnswerDue);
  NetworkPath path;
  std::span<const uint8_t> datagram;
  ASSERT_TRUE(closing.TakeAnswer(&path, &datagram));
  EXPECT_EQ(path, kRebound);
  EXPECT_FALSE(closing.TakeAnswer(&path, &datagram));
  EXPECT_EQ(closing.phase(), ClosingPhase::kSaved);
  EXPECT_EQ(closing.answers_sent(), 1u);
  EXPECT_EQ(closing.OnDatagram(kFirst), ClosingAnswer::kRateLimited);  // 3rd.
  EXPECT_EQ(closing.OnDatagram(kFirst), ClosingAnswer::kAnswer);       // 4th.
}

}  // namespace
}  // namespace p2pquic
