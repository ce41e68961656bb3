// The oracles catch what they promise to: a CID routed to the wrong
// connection, a CID outliving its connection, a bad retirement, and a
// server sending beyond the amplification limit on an unvalidated path.
#include "scenarios/runner/oracles/oracles.h"

#include <gtest/gtest.h>

#include <vector>

#include "transport/runtime/seeded_random.h"

namespace p2pquic::scenarios {
namespace {

constexpr size_t kCidLength = 8;
const SocketAddress kServer = SocketAddress::Ipv4({10, 0, 0, 1}, 4433);
const SocketAddress kClient = SocketAddress::Ipv4({10, 0, 1, 2}, 50000);
const SocketAddress kMoved = SocketAddress::Ipv4({10, 0, 1, 2}, 50001);

ConnectionId Cid(uint8_t fill) {
  std::vector<uint8_t> bytes(kCidLength, fill);
  ConnectionId cid;
  ConnectionId::FromBytes(bytes, &cid);
  return cid;
}

// A 1-RTT (short header) datagram to `cid`, `size` bytes.
std::vector<uint8_t> ShortPacket(const ConnectionId& cid, size_t size = 100) {
  std::vector<uint8_t> packet(size, 0);
  packet[0] = 0x40;
  std::copy(cid.bytes().begin(), cid.bytes().end(), packet.begin() + 1);
  return packet;
}

class OraclesTest : public ::testing::Test {
 protected:
  OraclesTest() : random_(1), registry_(RegistrySettings{}, random_) {
    oracles_.AddHost("server", registry_, kCidLength);
    a_ = registry_.OpenConnection();
    b_ = registry_.OpenConnection();
  }

  void Route(const std::vector<uint8_t>& packet, RouteOutcome outcome, ConnectionHandle to,
             const SocketAddress& from = kClient) {
    const ReceivedDatagram datagram{packet, from, kServer, now_};
    oracles_.OnDatagramRouted("server", datagram, MakeRoute(outcome, to), now_);
  }

  SeededRandom random_;
  ConnectionIdRegistry registry_;
  Oracles oracles_;
  ConnectionHandle a_, b_;
  Timestamp now_ = Timestamp(std::chrono::seconds(1));
};

TEST_F(OraclesTest, CorrectRoutingIsNoViolation) {
  oracles_.OnCidIssued("server", a_, Cid(1), 0, now_);
  Route(ShortPacket(Cid(1)), RouteOutcome::kCidHit, a_);
  EXPECT_EQ(oracles_.violation_count(), 0u);
  EXPECT_GT(oracles_.checks(), 0u);
}

TEST_F(OraclesTest, ALiveCidRoutedToAnotherConnectionIsCaught) {
  oracles_.OnCidIssued("server", a_, Cid(1), 0, now_);
  Route(ShortPacket(Cid(1)), RouteOutcome::kFallback, b_);
  ASSERT_EQ(oracles_.violation_count(), 1u);
  EXPECT_EQ(oracles_.violations()[0].oracle, "routing");
}

TEST_F(OraclesTest, ACidRoutedAfterItsConnectionIsGoneIsCaught) {
  oracles_.OnCidIssued("server", a_, Cid(1), 0, now_);
  oracles_.OnConnectionRemoved("server", a_, now_);
  Route(ShortPacket(Cid(1)), RouteOutcome::kCidHit, a_);
  ASSERT_GE(oracles_.violation_count(), 1u);
  EXPECT_EQ(oracles_.violations().back().oracle, "cid-lifetime");
}

TEST_F(OraclesTest, RetiringTwiceOrSomethingNeverIssuedIsCaught) {
  oracles_.OnCidIssued("server", a_, Cid(1), 3, now_);
  oracles_.OnCidRetired("server", a_, Cid(1), 3, now_);
  EXPECT_EQ(oracles_.violation_count(), 0u);
  oracles_.OnCidRetired("server", a_, Cid(1), 3, now_);
  oracles_.OnCidRetired("server", a_, Cid(9), 4, now_);
  EXPECT_EQ(oracles_.violation_count(), 2u);
  Route(ShortPacket(Cid(1)), RouteOutcome::kCidHit, a_);  // Retired, yet active.
  EXPECT_EQ(oracles_.violation_count(), 3u);
  EXPECT_EQ(oracles_.violations().back().oracle, "cid-retirement");
}

TEST_F(OraclesTest, SendingMoreThanThreeTimesWhatANewPathDeliveredIsCaught) {
  oracles_.OnConnectionCreated("server", a_, true, {kServer, kClient});
  oracles_.OnCidIssued("server", a_, Cid(1), 0, now_);
  Route(ShortPacket(Cid(1), 100), RouteOutcome::kCidHit, a_, kMoved);
  oracles_.OnDatagramSent("server", {kServer, kMoved}, 300, now_);
  EXPECT_EQ(oracles_.violation_count(), 0u);  // Exactly three times.
  oracles_.OnDatagramSent("server", {kServer, kMoved}, 1, now_);
  ASSERT_EQ(oracles_.violation_count(), 1u);
  EXPECT_EQ(oracles_.violations()[0].oracle, "amplification");
  // Once validated, the path is free; the handshake path always was.
  oracles_.OnPathValidation("server", {kServer, kMoved}, PathValidation::kSucceeded);
  oracles_.OnDatagramSent("server", {kServer, kMoved}, 100000, now_);
  oracles_.OnDatagramSent("server", {kServer, kClient}, 100000, now_);
  EXPECT_EQ(oracles_.violation_count(), 1u);
}

// A stateless reset answers a datagram no connection owns (RFC 9000
// §10.3): it is judged against that datagram, not the path's budget.
TEST_F(OraclesTest, AStatelessResetIsJudgedByTheDatagramItAnswers) {
  oracles_.OnConnectionCreated("server", a_, true, {kServer, kClient});
  oracles_.OnCidIssued("server", a_, Cid(1), 0, now_);
  Route(ShortPacket(Cid(1), 30), RouteOutcome::kCidHit, a_, kMoved);
  oracles_.OnDatagramSent("server", {kServer, kMoved}, 90, now_);  // The connection's 3x.
  Route(ShortPacket(Cid(9), 1200), RouteOutcome::kMissShort, ConnectionHandle{}, kMoved);
  oracles_.OnStatelessResetSent("server");
  oracles_.OnDatagramSent("server", {kServer, kMoved}, 29, now_);
  EXPECT_EQ(oracles_.violation_count(), 0u);
  // The reset was the only datagram exempt: the connection's budget is spent.
  oracles_.OnDatagramSent("server", {kServer, kMoved}, 1, now_);
  ASSERT_EQ(oracles_.violation_count(), 1u);
  // A reset three times the datagram it answers is caught.
  Route(ShortPacket(Cid(9), 30), RouteOutcome::kMissShort, ConnectionHandle{}, kMoved);
  oracles_.OnStatelessResetSent("server");
  oracles_.OnDatagramSent("server", {kServer, kMoved}, 90, now_);
  ASSERT_EQ(oracles_.violation_count(), 2u);
  EXPECT_NE(oracles_.violations()[1].detail.find("stateless reset of 90 bytes"), std::string::npos)
      << oracles_.violations()[1].detail;
}

// A client Initial: long header, type Initial, version 1, `dcid`.
std::vector<uint8_t> InitialPacket(const ConnectionId& dcid) {
  std::vector<uint8_t> packet(1200, 0);  // SCID length 0 and padding stay zero.
  packet[0] = 0xc0;
  packet[4] = 1;
  packet[5] = static_cast<uint8_t>(dcid.size());
  for (size_t i = 0; i < dcid.size(); ++i) packet[6 + i] = dcid.bytes()[i];
  return packet;
}

TEST_F(OraclesTest, AnInitialReachesTheConnectionItsClientAddressMadeAndNoOther) {
  const ConnectionId shared = Cid(7);
  Route(InitialPacket(shared), RouteOutcome::kMissInitial, {}, kClient);
  oracles_.OnConnectionCreated("server", a_, true, {kServer, kClient});
  Route(InitialPacket(shared), RouteOutcome::kMissInitial, {}, kMoved);
  oracles_.OnConnectionCreated("server", b_, true, {kServer, kMoved});
  Route(InitialPacket(shared), RouteOutcome::kInitialHit, a_, kClient);
  Route(InitialPacket(shared), RouteOutcome::kInitialHit, b_, kMoved);
  EXPECT_EQ(oracles_.violation_count(), 0u);
  Route(InitialPacket(shared), RouteOutcome::kInitialHit, a_, kMoved);  // B's Initial to A.
  ASSERT_EQ(oracles_.violation_count(), 1u);
  EXPECT_EQ(oracles_.violations()[0].oracle, "routing");
  oracles_.OnConnectionRemoved("server", b_, now_);
  Route(InitialPacket(shared), RouteOutcome::kInitialHit, b_, kMoved);
  EXPECT_EQ(oracles_.violations().back().oracle, "cid-lifetime");
}

TracedFrame NewConnectionId(const ConnectionId& cid, uint64_t sequence) {
  TracedFrame frame;
  frame.type = FrameType::kNewConnectionId;
  frame.sequence = sequence;
  frame.cid = cid.ToHex();
  return frame;
}

TEST_F(OraclesTest, ANewConnectionIdCarryingWhatTheRegistryIssuedIsNoViolation) {
  oracles_.OnCidIssued("server", a_, Cid(1), 1, now_);
  oracles_.OnCidIssued("server", a_, Cid(2), 2, now_);
  const uint64_t checks = oracles_.checks();
  // ngtcp2 0.12.1 sends the first batch in descending order; that is fine.
  oracles_.OnFrame("server", a_, FrameDirection::kSent, NewConnectionId(Cid(2), 2), now_);
  oracles_.OnFrame("server", a_, FrameDirection::kSent, NewConnectionId(Cid(1), 1), now_);
  EXPECT_EQ(oracles_.violation_count(), 0u);
  EXPECT_EQ(oracles_.checks(), checks + 2);
}

// Defect 8: QuicConnection mirrors ngtcp2's sequence counter. A mirror one
// off registers the CID under a sequence the wire does not carry.
TEST_F(OraclesTest, AMirroredSequenceThatDiffersFromTheWireIsCaught) {
  oracles_.OnCidIssued("server", a_, Cid(1), 2, now_);  // The mirror said 2...
  oracles_.OnFrame("server", a_, FrameDirection::kSent, NewConnectionId(Cid(1), 1),
                   now_);  // ...ngtcp2 announced it as 1.
  ASSERT_EQ(oracles_.violation_count(), 1u);
  EXPECT_EQ(oracles_.violations()[0].oracle, "cid-sequence");
  EXPECT_EQ(oracles_.violations()[0].detail, "NEW_CONNECTION_ID sequence 1 with CID " +
                                                 Cid(1).ToHex() +
                                                 ": the registry holds it as sequence 2");
}

TEST_F(OraclesTest, ANewConnectionIdForACidNotIssuedToThatConnectionIsCaught) {
  oracles_.OnCidIssued("server", b_, Cid(1), 1, now_);
  oracles_.OnFrame("server", a_, FrameDirection::kSent, NewConnectionId(Cid(1), 1), now_);
  oracles_.OnFrame("server", a_, FrameDirection::kSent, NewConnectionId(Cid(9), 1), now_);
  oracles_.OnConnectionRemoved("server", b_, now_);
  oracles_.OnFrame("server", b_, FrameDirection::kSent, NewConnectionId(Cid(1), 1), now_);
  ASSERT_EQ(oracles_.violation_count(), 3u);
  EXPECT_NE(oracles_.violations()[0].detail.find("issued it to another connection"),
            std::string::npos);
  EXPECT_NE(oracles_.violations()[1].detail.find("never issued that CID"), std::string::npos);
  EXPECT_NE(oracles_.violations()[2].detail.find("never issued that CID"), std::string::npos);
}

TEST_F(OraclesTest, FramesFromThePeerAreNotOursToCheck) {
  oracles_.OnFrame("server", a_, FrameDirection::kReceived, NewConnectionId(Cid(5), 3), now_);
  TracedFrame retire;
  retire.type = FrameType::kRetireConnectionId;
  oracles_.OnFrame("server", a_, FrameDirection::kSent, retire, now_);
  EXPECT_EQ(oracles_.violation_count(), 0u);
}

TEST_F(OraclesTest, CidsIssuedOutOfSequenceOrderAreCaught) {
  oracles_.OnCidIssued("server", a_, Cid(1), 0, now_);
  oracles_.OnCidIssued("server", a_, Cid(2), 1, now_);
  oracles_.OnCidIssued("server", b_, Cid(3), 0, now_);  // Another connection counts on its own.
  EXPECT_EQ(oracles_.violation_count(), 0u);
  oracles_.OnCidIssued("server", a_, Cid(4), 1, now_);
  ASSERT_EQ(oracles_.violation_count(), 1u);
  EXPECT_EQ(oracles_.violations()[0].oracle, "cid-sequence");
  EXPECT_EQ(oracles_.violations()[0].detail,
            "CID " + Cid(4).ToHex() + " issued with sequence 1 after sequence 1");
  EXPECT_EQ(oracles_.violations()[0].at, now_);
}

TEST_F(OraclesTest, ViolationsBeyondTheCapAreCountedNotKept) {
  for (size_t i = 0; i < Oracles::kMaxKept + 5; ++i) {
    oracles_.Report("routing", "server", now_, "synthetic");
  }
  EXPECT_EQ(oracles_.violation_count(), Oracles::kMaxKept + 5);
  EXPECT_EQ(oracles_.violations().size(), Oracles::kMaxKept);
}

}  // namespace
}  // namespace p2pquic::scenarios
