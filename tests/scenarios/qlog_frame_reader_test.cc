// QlogFrameReader reads the traced frames out of ngtcp2 0.12.1's qlog text
// (records below are copied from real runs, or written from
// lib/ngtcp2_qlog.c where the library never produces them), whatever way
// the text is cut into pieces, and counts what it cannot read.
#include "scenarios/runner/qlog_frame_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace p2pquic::scenarios {
namespace {

constexpr char kHeader[] =
    "\x1e{\"qlog_format\":\"JSON-SEQ\",\"qlog_version\":\"0.3\",\"trace\":{\"vantage_point\":{"
    "\"name\":\"ngtcp2\",\"type\":\"client\"},\"common_fields\":{\"protocol_type\":[\"QUIC\"],"
    "\"time_format\":\"relative\",\"reference_time\":0,\"group_id\":"
    "\"fb9f8b1d30a590c74c89efeca03f0123be07\"}}}\n";
constexpr char kMetrics[] =
    "\x1e{\"time\":0,\"name\":\"recovery:metrics_updated\",\"data\":{\"smoothed_rtt\":333,"
    "\"latest_rtt\":0,\"rtt_variance\":166,\"pto_count\":0,\"congestion_window\":14520,"
    "\"bytes_in_flight\":1200}}\n";
// The server's first batch, in the order ngtcp2 0.12.1 sends it: 3, 2, 1.
constexpr char kNewConnectionIds[] =
    "\x1e{\"time\":46,\"name\":\"transport:packet_sent\",\"data\":{\"frames\":["
    "{\"frame_type\":\"ack\",\"ack_delay\":0,\"acked_ranges\":[[0,3]]},"
    "{\"frame_type\":\"new_connection_id\",\"sequence_number\":3,\"retire_prior_to\":0,"
    "\"connection_id_length\":8,\"connection_id\":\"d75b98c4e95cee1d\","
    "\"stateless_reset_token\":{\"data\":\"0367b5f1c9be550bc606e7571111eb11\"}},"
    "{\"frame_type\":\"new_connection_id\",\"sequence_number\":2,\"retire_prior_to\":0,"
    "\"connection_id_length\":8,\"connection_id\":\"93ae291d0e9185dc\","
    "\"stateless_reset_token\":{\"data\":\"e52b1eb46aacd8c85b90dc1845dea91c\"}},"
    "{\"frame_type\":\"new_connection_id\",\"sequence_number\":1,\"retire_prior_to\":0,"
    "\"connection_id_length\":8,\"connection_id\":\"8e9b400d37198b59\","
    "\"stateless_reset_token\":{\"data\":\"c0c7b5f1c9be550bc606e7571111eb11\"}}],"
    "\"header\":{\"packet_type\":\"1RTT\",\"packet_number\":4},\"raw\":{\"length\":160}}}\n";
constexpr char kRetire[] =
    "\x1e{\"time\":600,\"name\":\"transport:packet_sent\",\"data\":{\"frames\":[{\"frame_type\":"
    "\"retire_connection_id\",\"sequence_number\":0},{\"frame_type\":\"padding\"}],\"header\":"
    "{\"packet_type\":\"1RTT\",\"packet_number\":3288},\"raw\":{\"length\":30}}}\n";
constexpr char kPathFrames[] =
    "\x1e{\"time\":600,\"name\":\"transport:packet_received\",\"data\":{\"frames\":[{\"frame_"
    "type\":\"path_challenge\",\"data\":\"7f6d3dc5c4ff8a57\"},{\"frame_type\":\"path_response\","
    "\"data\":\"88cc99eb014bddb8\"},{\"frame_type\":\"padding\"}],\"header\":{\"packet_type\":"
    "\"1RTT\",\"packet_number\":3286},\"raw\":{\"length\":1200}}}\n";
constexpr char kClose[] =
    "\x1e{\"time\":5000,\"name\":\"transport:packet_sent\",\"data\":{\"frames\":[{\"frame_type\":"
    "\"connection_close\",\"error_space\":\"application\",\"error_code\":7,\"raw_error_code\":7}"
    ",{\"frame_type\":\"padding\"}],\"header\":{\"packet_type\":\"1RTT\",\"packet_number\":"
    "3307},\"raw\":{\"length\":30}}}\n";
// Written from write_new_token_frame (our servers send no NEW_TOKEN).
constexpr char kNewToken[] =
    "\x1e{\"time\":40,\"name\":\"transport:packet_received\",\"data\":{\"frames\":[{\"frame_type\""
    ":\"new_token\",\"length\":4,\"token\":{\"data\":\"0a0b0c0d\"}}],\"header\":{\"packet_type\":"
    "\"1RTT\",\"packet_number\":5},\"raw\":{\"length\":30}}}\n";
// Written from ngtcp2_qlog_stateless_reset_pkt_received.
constexpr char kStatelessReset[] =
    "\x1e{\"time\":1200,\"name\":\"transport:packet_received\",\"data\":{\"header\":{\"packet_"
    "type\""
    ":\"stateless_reset\",\"packet_number\":0},\"stateless_reset_token\":"
    "\"00112233445566778899aabbccddeeff\"}}\n";
constexpr char kStreamOnly[] =
    "\x1e{\"time\":47,\"name\":\"transport:packet_sent\",\"data\":{\"frames\":[{\"frame_type\":"
    "\"stream\",\"stream_id\":0,\"offset\":0,\"length\":1200,\"fin\":false}],\"header\":{"
    "\"packet_type\":\"1RTT\",\"packet_number\":6},\"raw\":{\"length\":1252}}}\n";

class QlogFrameReaderTest : public ::testing::Test {
 protected:
  QlogFrameReaderTest()
      : reader_([this](FrameDirection direction, const TracedFrame& frame) {
          frames_.emplace_back(direction, frame);
        }) {}

  QlogFrameReader reader_;
  std::vector<std::pair<FrameDirection, TracedFrame>> frames_;
};

TEST_F(QlogFrameReaderTest, TheHeaderNamesTheConnectionsOriginalDcid) {
  EXPECT_EQ(reader_.group_id(), "");
  reader_.Feed(kHeader);
  EXPECT_EQ(reader_.group_id(), "fb9f8b1d30a590c74c89efeca03f0123be07");
  EXPECT_EQ(reader_.unreadable_records(), 0u);
}

TEST_F(QlogFrameReaderTest, NewConnectionIdFramesComeOutInPacketOrderWithEveryField) {
  reader_.Feed(kHeader);
  reader_.Feed(kNewConnectionIds);
  ASSERT_EQ(frames_.size(), 3u);
  const uint64_t sequences[] = {3, 2, 1};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(frames_[i].first, FrameDirection::kSent);
    EXPECT_EQ(frames_[i].second.type, FrameType::kNewConnectionId);
    EXPECT_EQ(frames_[i].second.sequence, sequences[i]);
    EXPECT_EQ(frames_[i].second.retire_prior_to, 0u);
  }
  EXPECT_EQ(frames_[0].second.cid, "d75b98c4e95cee1d");
  EXPECT_EQ(frames_[2].second.cid, "8e9b400d37198b59");
}

TEST_F(QlogFrameReaderTest, EveryTracedTypeIsRead) {
  reader_.Feed(kHeader);
  for (const char* record : {kRetire, kPathFrames, kClose, kNewToken, kStatelessReset}) {
    reader_.Feed(record);
  }
  EXPECT_EQ(reader_.unreadable_records(), 0u);
  ASSERT_EQ(frames_.size(), 6u);
  EXPECT_EQ(frames_[0].second.type, FrameType::kRetireConnectionId);
  EXPECT_EQ(frames_[0].second.sequence, 0u);
  EXPECT_EQ(frames_[1].first, FrameDirection::kReceived);
  EXPECT_EQ(frames_[1].second.type, FrameType::kPathChallenge);
  EXPECT_EQ(frames_[1].second.data, "7f6d3dc5c4ff8a57");
  EXPECT_EQ(frames_[2].second.type, FrameType::kPathResponse);
  EXPECT_EQ(frames_[2].second.data, "88cc99eb014bddb8");
  EXPECT_EQ(frames_[3].first, FrameDirection::kSent);
  EXPECT_EQ(frames_[3].second.type, FrameType::kConnectionClose);
  EXPECT_EQ(frames_[3].second.error_space, "application");
  EXPECT_EQ(frames_[3].second.error_code, 7u);
  EXPECT_EQ(frames_[4].second.type, FrameType::kNewToken);
  EXPECT_EQ(frames_[4].second.data, "0a0b0c0d");
  EXPECT_EQ(frames_[5].first, FrameDirection::kReceived);
  EXPECT_EQ(frames_[5].second.type, FrameType::kStatelessReset);
  EXPECT_EQ(frames_[5].second.data, "00112233445566778899aabbccddeeff");
}

TEST_F(QlogFrameReaderTest, OtherRecordsAndFramesAreSkipped) {
  reader_.Feed(kHeader);
  reader_.Feed(kMetrics);
  reader_.Feed(kStreamOnly);
  EXPECT_TRUE(frames_.empty());
  EXPECT_EQ(reader_.unreadable_records(), 0u);
}

TEST_F(QlogFrameReaderTest, RecordsMayBeCutAnywhereOrShareAPiece) {
  const std::string text = std::string(kHeader) + kMetrics + kNewConnectionIds + kRetire;
  // One byte at a time: every record spans many pieces.
  for (char c : text) reader_.Feed(std::string_view(&c, 1));
  ASSERT_EQ(frames_.size(), 4u);
  EXPECT_EQ(frames_[3].second.type, FrameType::kRetireConnectionId);
  EXPECT_EQ(reader_.group_id(), "fb9f8b1d30a590c74c89efeca03f0123be07");

  size_t seen = 0;
  QlogFrameReader counting([&](FrameDirection, const TracedFrame&) { ++seen; });
  counting.Feed(text);  // Four records in one piece.
  EXPECT_EQ(seen, 4u);
}

TEST_F(QlogFrameReaderTest, AnIncompleteRecordWaitsForItsEnd) {
  reader_.Feed(kHeader);
  const std::string record = kRetire;
  reader_.Feed(std::string_view(record).substr(0, 40));
  EXPECT_TRUE(frames_.empty());
  reader_.Feed(std::string_view(record).substr(40));
  EXPECT_EQ(frames_.size(), 1u);
}

TEST_F(QlogFrameReaderTest, ARecordThatShouldHoldFramesButDoesNotParseIsCounted) {
  reader_.Feed(kHeader);
  // Cut short, so not JSON, but it names a traced frame.
  reader_.Feed(
      "\x1e{\"time\":1,\"name\":\"transport:packet_sent\",\"data\":{\"frames\":[{\"frame_type\":"
      "\"retire_connection_id\",\"seq\n");
  // A traced frame missing the field its type needs.
  reader_.Feed(
      "\x1e{\"time\":1,\"name\":\"transport:packet_sent\",\"data\":{\"frames\":[{\"frame_type\":"
      "\"retire_connection_id\"}]}}\n");
  EXPECT_TRUE(frames_.empty());
  EXPECT_EQ(reader_.unreadable_records(), 2u);
}

TEST_F(QlogFrameReaderTest, AHeaderWithoutAGroupIdIsCounted) {
  reader_.Feed("\x1e{\"qlog_format\":\"JSON-SEQ\"}\n");
  EXPECT_EQ(reader_.group_id(), "");
  EXPECT_EQ(reader_.unreadable_records(), 1u);
}

}  // namespace
}  // namespace p2pquic::scenarios
