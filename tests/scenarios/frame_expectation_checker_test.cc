// The frames and frame_order expectations judged against a hand-made
// FrameLog: counts by type, direction and sequence, a connection found on
// both ends by its original DCID, first-occurrence order, and the cases
// where no frame can match.
#include "scenarios/runner/frame_expectation_checker.h"

#include <gtest/gtest.h>

#include <chrono>

namespace p2pquic::scenarios {
namespace {

const Timestamp kStart = Timestamp(std::chrono::seconds(1));
constexpr ConnectionHandle kClientConn{0, 0};
constexpr ConnectionHandle kServerConn{3, 1};
constexpr ConnectionHandle kOtherServerConn{4, 1};
constexpr char kDcid[] = "aaaa";
constexpr char kOtherDcid[] = "bbbb";

TracedFrame NewCid(uint64_t sequence) {
  TracedFrame frame;
  frame.type = FrameType::kNewConnectionId;
  frame.sequence = sequence;
  frame.cid = "0" + std::to_string(sequence);
  return frame;
}

TracedFrame Retire(uint64_t sequence) {
  TracedFrame frame;
  frame.type = FrameType::kRetireConnectionId;
  frame.sequence = sequence;
  return frame;
}

class FrameExpectationCheckerTest : public ::testing::Test {
 protected:
  FrameExpectationCheckerTest() : checker_(log_, kStart) {
    log_.SetOriginalDcid("client", kClientConn, kDcid);
    log_.SetOriginalDcid("server", kServerConn, kDcid);
    log_.SetOriginalDcid("server", kOtherServerConn, kOtherDcid);
  }

  void Add(const std::string& host, ConnectionHandle connection, const std::string& dcid,
           FrameDirection direction, TracedFrame frame) {
    now_ += std::chrono::milliseconds(1);
    log_.Add({0, now_, host, connection, dcid, direction, std::move(frame)});
  }
  // The server announces 3, 2, 1; the client retires 0 and gets 4 back,
  // while the server's other connection announces 1.
  void AddExchange() {
    for (uint64_t seq : {3, 2, 1}) Add("server", kServerConn, kDcid, kSent, NewCid(seq));
    Add("server", kOtherServerConn, kOtherDcid, kSent, NewCid(1));
    for (uint64_t seq : {3, 2, 1}) Add("client", kClientConn, kDcid, kReceived, NewCid(seq));
    Add("client", kClientConn, kDcid, kSent, Retire(0));
    Add("server", kServerConn, kDcid, kReceived, Retire(0));
    Add("server", kServerConn, kDcid, kSent, NewCid(4));
    Add("client", kClientConn, kDcid, kReceived, NewCid(4));
  }

  static constexpr FrameDirection kSent = FrameDirection::kSent;
  static constexpr FrameDirection kReceived = FrameDirection::kReceived;
  FrameLog log_;
  FrameExpectationChecker checker_;
  Timestamp now_ = kStart;
  const DialedConnection c1_{"client", kClientConn};
};

FramesExpectation Frames(const std::string& host, FrameSelector select, uint64_t min,
                         std::optional<uint64_t> max,
                         std::optional<std::string> connection = std::nullopt) {
  return FramesExpectation{host, std::move(connection), select, min, max, std::nullopt};
}

TEST_F(FrameExpectationCheckerTest, CountsByHostTypeDirectionAndSequence) {
  AddExchange();
  const FrameSelector all_new{FrameType::kNewConnectionId, kSent, std::nullopt};
  ExpectationResult r = checker_.Check(Frames("server", all_new, 5, 5), nullptr);
  EXPECT_TRUE(r.met) << r.detail;
  EXPECT_EQ(r.detail, "5");
  r = checker_.Check(Frames("server", all_new, 6, std::nullopt), nullptr);
  EXPECT_FALSE(r.met);
  r = checker_.Check(Frames("server", {FrameType::kNewConnectionId, kSent, 1}, 2, 2), nullptr);
  EXPECT_TRUE(r.met) << r.detail;  // One on each server connection.
  r = checker_.Check(Frames("client", {FrameType::kRetireConnectionId, kSent, 0}, 1, 1), nullptr);
  EXPECT_TRUE(r.met) << r.detail;
  r = checker_.Check(
      Frames("client", {FrameType::kRetireConnectionId, kReceived, std::nullopt}, 0, 0), nullptr);
  EXPECT_TRUE(r.met) << r.detail;
  r = checker_.Check(Frames("client", {FrameType::kRetireConnectionId, kSent, 1}, 1, 1), nullptr);
  EXPECT_FALSE(r.met);
  EXPECT_EQ(r.detail, "0");
}

TEST_F(FrameExpectationCheckerTest, AConnectionIsFoundOnTheListenerByItsOriginalDcid) {
  AddExchange();
  const FrameSelector seq1{FrameType::kNewConnectionId, kSent, 1};
  ExpectationResult r = checker_.Check(Frames("server", seq1, 1, 1, "c1"), &c1_);
  EXPECT_TRUE(r.met) << r.detail;  // Not the other connection's sequence 1.
  EXPECT_NE(r.what.find("on server (c1)"), std::string::npos) << r.what;
  r = checker_.Check(
      Frames("client", {FrameType::kNewConnectionId, kReceived, std::nullopt}, 4, 4, "c1"), &c1_);
  EXPECT_TRUE(r.met) << r.detail;
}

TEST_F(FrameExpectationCheckerTest, SharedOriginalDcidsAreCountedTogetherAndSaidSo) {
  log_.SetOriginalDcid("server", kOtherServerConn, kDcid);  // Same DCID as c1's.
  Add("server", kServerConn, kDcid, kSent, NewCid(1));
  Add("server", kOtherServerConn, kDcid, kSent, NewCid(1));
  const ExpectationResult r =
      checker_.Check(Frames("server", {FrameType::kNewConnectionId, kSent, 1}, 2, 2, "c1"), &c1_);
  EXPECT_TRUE(r.met) << r.detail;
  EXPECT_NE(r.what.find("2 connections with its original DCID"), std::string::npos) << r.what;
}

TEST_F(FrameExpectationCheckerTest, AConnectionWithoutFramesOrNeverMadeFailsAndSaysWhy) {
  AddExchange();
  const FrameSelector none{FrameType::kPathChallenge, kSent, std::nullopt};
  ExpectationResult r = checker_.Check(Frames("client", none, 0, 0, "c9"), nullptr);
  EXPECT_FALSE(r.met);
  EXPECT_EQ(r.detail, "connection c9 was never made");
  const DialedConnection unknown{"client", ConnectionHandle{7, 0}};
  r = checker_.Check(Frames("client", none, 0, 0, "c2"), &unknown);
  EXPECT_FALSE(r.met);
  EXPECT_NE(r.detail.find("no qlog header for connection c2"), std::string::npos) << r.detail;
}

TEST_F(FrameExpectationCheckerTest, OrderIsTheFirstOccurrenceOfEach) {
  AddExchange();
  // The first batch leaves 3, 2, 1.
  FrameOrderExpectation e{"server",
                          "c1",
                          {FrameType::kNewConnectionId, kSent, 3},
                          {FrameType::kNewConnectionId, kSent, 1},
                          "ngtcp2 0.12.1"};
  ExpectationResult r = checker_.Check(e, &c1_);
  EXPECT_TRUE(r.met) << r.detail;
  EXPECT_NE(r.what.find("[ngtcp2 0.12.1]"), std::string::npos) << r.what;
  EXPECT_NE(r.detail.find("#0 at t=0.001s"), std::string::npos) << r.detail;
  std::swap(e.before, e.after);
  r = checker_.Check(e, &c1_);
  EXPECT_FALSE(r.met) << r.detail;
  // Crossing, seen from the client: it retired 0 before it received 4.
  e = {"client",
       std::nullopt,
       {FrameType::kRetireConnectionId, kSent, 0},
       {FrameType::kNewConnectionId, kReceived, 4},
       std::nullopt};
  r = checker_.Check(e, nullptr);
  EXPECT_TRUE(r.met) << r.detail;
}

TEST_F(FrameExpectationCheckerTest, OrderFailsWhenEitherFrameNeverCame) {
  AddExchange();
  FrameOrderExpectation e{"server",
                          std::nullopt,
                          {FrameType::kNewConnectionId, kSent, 3},
                          {FrameType::kNewConnectionId, kSent, 9},
                          std::nullopt};
  ExpectationResult r = checker_.Check(e, nullptr);
  EXPECT_FALSE(r.met);
  EXPECT_NE(r.detail.find("new_connection_id sent seq 9: never"), std::string::npos) << r.detail;
  std::swap(e.before, e.after);
  r = checker_.Check(e, nullptr);
  EXPECT_FALSE(r.met);
}

TEST_F(FrameExpectationCheckerTest, ASentStatelessResetBelongsToNoConnection) {
  TracedFrame reset;
  reset.type = FrameType::kStatelessReset;
  log_.Add({0, kStart, "server", ConnectionHandle{}, "", kSent, reset});
  const FrameSelector resets{FrameType::kStatelessReset, kSent, std::nullopt};
  EXPECT_TRUE(checker_.Check(Frames("server", resets, 1, 1), nullptr).met);
  EXPECT_EQ(log_.Count({"server", std::string(kDcid), kSent, FrameType::kStatelessReset, {}}), 0u);
}

}  // namespace
}  // namespace p2pquic::scenarios
