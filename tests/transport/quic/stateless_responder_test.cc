// StatelessResponder on its own: the reset size rule (RFC 9000 §10.3.3),
// the reset rate limit and the Version Negotiation threshold. The endpoint
// tests cover the same answers end to end.
#include "transport/quic/endpoint/stateless_responder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "testing/packet_builder.h"
#include "testing/recording_socket.h"
#include "transport/quic/endpoint/endpoint.h"
#include "transport/quic/endpoint/socket_sink.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

constexpr size_t kCidLength = 8;

// Takes every datagram it is given.
class StatelessResponderTest : public ::testing::Test {
 protected:
  StatelessResponderTest()
      : sink_(socket_, 16, stats_, tracer_),
        responder_({kCidLength, 2}, random_, secret_, sink_, stats_, tracer_) {}

  ReceivedDatagram From(const std::vector<uint8_t>& payload) {
    return {payload, SocketAddress::Loopback4(2), SocketAddress::Loopback4(1), Timestamp{}};
  }
  void AnswerShort(const std::vector<uint8_t>& payload, Timestamp now) {
    RoutingHeader header;
    ASSERT_EQ(ParseRoutingHeader(payload, kCidLength, &header), HeaderParseStatus::kOk);
    responder_.AnswerUnknownShortHeader(From(payload), header, now);
  }

  ::p2pquic::testing::RecordingSocket socket_;
  SeededRandom random_{7};
  ResetSecret secret_{};
  EndpointStats stats_;
  EndpointTracer* tracer_ = nullptr;
  SocketSink sink_;
  StatelessResponder responder_;
};

TEST_F(StatelessResponderTest, NoDatagramAsSmallAsAResetIsAnsweredWithOne) {
  const size_t reset_size = StatelessResetSize(kCidLength);
  EXPECT_EQ(reset_size, kCidLength + 21);
  const ConnectionId dcid = testing::MakeCid(1);
  // ShortHeaderPacket(dcid, n) is 1 + kCidLength + n bytes.
  AnswerShort(testing::ShortHeaderPacket(dcid, reset_size - 1 - kCidLength), Timestamp{});
  EXPECT_TRUE(socket_.sent.empty());
  EXPECT_EQ(stats_.possible_resets_unanswered, 1u);
  AnswerShort(testing::ShortHeaderPacket(dcid, reset_size - kCidLength), Timestamp{});
  ASSERT_EQ(socket_.sent.size(), 1u);
  EXPECT_EQ(socket_.sent[0].size(), reset_size) << "every reset has the one size";
  EXPECT_EQ(stats_.stateless_resets_sent, 1u);
}

TEST_F(StatelessResponderTest, ResetsAreRateLimitedAndTheBucketRefills) {
  const std::vector<uint8_t> packet = testing::ShortHeaderPacket(testing::MakeCid(2), 60);
  const Timestamp start = Timestamp{} + std::chrono::seconds(10);
  for (int i = 0; i < 4; ++i) AnswerShort(packet, start);
  EXPECT_EQ(stats_.stateless_resets_sent, 2u) << "burst = rate = 2";
  EXPECT_EQ(stats_.stateless_resets_suppressed, 2u);
  AnswerShort(packet, start + std::chrono::milliseconds(500));  // One token back.
  AnswerShort(packet, start + std::chrono::milliseconds(500));
  EXPECT_EQ(stats_.stateless_resets_sent, 3u);
  EXPECT_EQ(stats_.stateless_resets_suppressed, 3u);
}

TEST_F(StatelessResponderTest, VersionNegotiationOnlyAnswersAFullSizeDatagram) {
  const ConnectionId dcid = testing::MakeCid(3);
  const ConnectionId scid = testing::MakeCid(4);
  responder_.AnswerUnsupportedVersion(
      From(testing::LongHeaderPacket(testing::LongType::kInitial, dcid, scid, 1199, 0x1a2a3a4a)));
  EXPECT_TRUE(socket_.sent.empty());
  responder_.AnswerUnsupportedVersion(
      From(testing::LongHeaderPacket(testing::LongType::kInitial, dcid, scid, 1200, 0x1a2a3a4a)));
  ASSERT_EQ(socket_.sent.size(), 1u);
  EXPECT_EQ(stats_.version_negotiations_sent, 1u);
  // A VN packet: long form, version 0, its DCID the client's SCID.
  const std::vector<uint8_t>& vn = socket_.sent[0];
  ASSERT_GE(vn.size(), 6u + scid.size());
  EXPECT_NE(vn[0] & 0x80, 0);
  EXPECT_EQ(vn[1] | vn[2] | vn[3] | vn[4], 0);
  EXPECT_EQ(vn[5], scid.size());
  EXPECT_TRUE(std::equal(scid.bytes().begin(), scid.bytes().end(), vn.begin() + 6));
}

}  // namespace
}  // namespace p2pquic
