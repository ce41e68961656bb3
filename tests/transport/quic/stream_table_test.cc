// StreamTable: each SendState transition its header lists (and the ones it
// refuses), the round-robin scheduler, the waiting and flow-blocked lists,
// and the budget and outbound count it keeps with the streams.
#include "transport/quic/connection/stream_table.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace p2pquic {
namespace {

constexpr uint64_t kWide = 1 << 20;  // Windows that never limit these tests.

class StreamTableTest : public ::testing::Test {
 protected:
  StreamTableTest() {
    config_.max_outbound_streams = 2;
    config_.stream_send_buffer = 1024;
    config_.max_stream_send_buffer = 4096;
    config_.max_connection_send_buffer = 8192;
  }
  void TearDown() override { EXPECT_EQ(table_.CheckInvariants(), ""); }

  // Writes `n` bytes with room for all of them.
  StreamWriteResult Write(int64_t id, size_t n, bool fin, size_t* accepted) {
    const std::vector<uint8_t> data(n, 0x5a);
    return table_.Write(id, data, fin, table_.Space(id, kWide, kWide), accepted);
  }
  // Sends everything `id` has pending, FIN included.
  void SendAll(int64_t id) {
    const StreamTable::Pending pending = table_.Unsent(id);
    table_.OnSent(id, pending.bytes, pending.fin_follows);
  }

  QuicConfig config_;
  StreamTable table_{config_};
  size_t accepted_ = 0;
};

TEST_F(StreamTableTest, ANewStreamSends) {
  table_.Add(0, StreamOrigin::kLocal);
  EXPECT_EQ(table_.send_state(0), SendState::kSend);
  EXPECT_EQ(table_.send_state(4), std::nullopt);
  EXPECT_EQ(table_.NextToSend(), -1);  // Nothing written yet.
}

TEST_F(StreamTableTest, WriteWithFinQueuesTheFinThenSendingItEndsTheDirection) {
  table_.Add(0, StreamOrigin::kLocal);
  ASSERT_EQ(Write(0, 100, /*fin=*/true, &accepted_), StreamWriteResult::kOk);
  EXPECT_EQ(accepted_, 100u);
  EXPECT_EQ(table_.send_state(0), SendState::kFinQueued);
  const StreamTable::Pending pending = table_.Unsent(0);
  EXPECT_EQ(pending.bytes, 100u);
  EXPECT_TRUE(pending.fin_follows);
  // ngtcp2 took part of it: the FIN waits for the rest.
  table_.OnSent(0, 40, /*fin_sent=*/false);
  EXPECT_EQ(table_.send_state(0), SendState::kFinQueued);
  EXPECT_EQ(table_.NextToSend(), 0);
  SendAll(0);
  EXPECT_EQ(table_.send_state(0), SendState::kDataSent);
  EXPECT_EQ(table_.NextToSend(), -1);
  EXPECT_EQ(Write(0, 1, false, &accepted_), StreamWriteResult::kWriteClosed);
  EXPECT_EQ(table_.Finish(0), StreamShutdownResult::kWriteClosed);
}

TEST_F(StreamTableTest, AShortWriteWithFinLeavesTheStreamOpenAndWaiting) {
  table_.Add(0, StreamOrigin::kLocal);
  const std::vector<uint8_t> data(100, 1);
  ASSERT_EQ(table_.Write(0, data, /*fin=*/true, /*space=*/60, &accepted_), StreamWriteResult::kOk);
  EXPECT_EQ(accepted_, 60u);
  EXPECT_EQ(table_.send_state(0), SendState::kSend);  // fin only with every byte.
  EXPECT_TRUE(table_.IsWaitingForSpace(0));
  std::vector<int64_t> waiting;
  table_.WaitingForSpace(&waiting);
  EXPECT_EQ(waiting, std::vector<int64_t>{0});
  table_.StopWaitingForSpace(0);
  EXPECT_FALSE(table_.IsWaitingForSpace(0));
}

TEST_F(StreamTableTest, FinishQueuesAFinOnlyOnce) {
  table_.Add(0, StreamOrigin::kLocal);
  EXPECT_EQ(table_.Finish(0), StreamShutdownResult::kOk);
  EXPECT_EQ(table_.send_state(0), SendState::kFinQueued);
  EXPECT_EQ(table_.Finish(0), StreamShutdownResult::kWriteClosed);
  EXPECT_EQ(Write(0, 1, false, &accepted_), StreamWriteResult::kWriteClosed);
  EXPECT_EQ(accepted_, 0u);
  // A FIN without bytes is still something to send.
  EXPECT_EQ(table_.NextToSend(), 0);
  const StreamTable::Pending pending = table_.Unsent(0);
  EXPECT_EQ(pending.count, 0u);
  EXPECT_TRUE(pending.fin_follows);
  table_.OnSent(0, 0, /*fin_sent=*/true);
  EXPECT_EQ(table_.send_state(0), SendState::kDataSent);
}

TEST_F(StreamTableTest, ResetFromEveryOpenState) {
  for (int64_t id : {0, 4, 8}) table_.Add(id, StreamOrigin::kPeer);
  ASSERT_EQ(table_.Finish(4), StreamShutdownResult::kOk);
  ASSERT_EQ(table_.Finish(8), StreamShutdownResult::kOk);
  SendAll(8);
  ASSERT_EQ(table_.send_state(8), SendState::kDataSent);
  for (int64_t id : {0, 4, 8}) {
    table_.MarkReset(id);
    EXPECT_EQ(table_.send_state(id), SendState::kResetSent) << id;
    EXPECT_EQ(Write(id, 1, false, &accepted_), StreamWriteResult::kWriteClosed) << id;
    EXPECT_EQ(table_.Finish(id), StreamShutdownResult::kWriteClosed) << id;
  }
}

TEST_F(StreamTableTest, PeerStopSendingEndsOurDirectionWithUnsentBytes) {
  table_.Add(0, StreamOrigin::kLocal);
  ASSERT_EQ(Write(0, 100, false, &accepted_), StreamWriteResult::kOk);
  table_.OnPeerStopped(0);
  EXPECT_EQ(table_.send_state(0), SendState::kResetSent);
  EXPECT_EQ(table_.NextToSend(), -1);  // Its bytes never go out.
  EXPECT_EQ(table_.buffered(), 100u);  // Until the stream closes.
  EXPECT_TRUE(table_.Remove(0));
  EXPECT_EQ(table_.buffered(), 0u);
}

TEST_F(StreamTableTest, UnknownStreams) {
  EXPECT_EQ(Write(0, 1, false, &accepted_), StreamWriteResult::kUnknownStream);
  EXPECT_EQ(table_.Finish(0), StreamShutdownResult::kUnknownStream);
  EXPECT_EQ(table_.Space(0, kWide, kWide), 0u);
  EXPECT_EQ(table_.Unsent(0).count, 0u);
  EXPECT_FALSE(table_.Remove(0));
  table_.OnFlowBlocked(0);  // Ignored: the table lists only its streams.
  table_.MarkReset(0);
  table_.OnPeerStopped(0);
  table_.OnAcked(0, 10);
  EXPECT_EQ(table_.size(), 0u);
}

TEST_F(StreamTableTest, RoundRobinSkipsFlowBlockedStreams) {
  for (int64_t id : {0, 4, 8}) {
    table_.Add(id, StreamOrigin::kPeer);
    ASSERT_EQ(Write(id, 10, false, &accepted_), StreamWriteResult::kOk);
  }
  EXPECT_EQ(table_.NextToSend(), 0);
  table_.OnSent(0, 5, false);
  EXPECT_EQ(table_.NextToSend(), 4);  // After the last one that sent.
  table_.OnFlowBlocked(4);
  EXPECT_EQ(table_.NextToSend(), 8);
  table_.OnSent(8, 10, false);
  EXPECT_EQ(table_.NextToSend(), 0);  // Wraps; 4 still blocked.
  table_.OnCreditExtended(4);
  table_.OnSent(0, 5, false);
  EXPECT_EQ(table_.NextToSend(), 4);
}

TEST_F(StreamTableTest, BudgetFollowsWritesAcksAndRemovals) {
  table_.Add(0, StreamOrigin::kLocal);
  table_.Add(1, StreamOrigin::kPeer);
  ASSERT_EQ(Write(0, 300, false, &accepted_), StreamWriteResult::kOk);
  ASSERT_EQ(Write(1, 200, false, &accepted_), StreamWriteResult::kOk);
  EXPECT_EQ(table_.buffered(), 500u);
  table_.OnSent(0, 300, false);
  table_.OnAcked(0, 100);
  EXPECT_EQ(table_.buffered(), 400u);
  // Acknowledged above what was sent counts only what was sent.
  table_.OnAcked(0, 1000);
  EXPECT_EQ(table_.buffered(), 200u);
  EXPECT_TRUE(table_.Remove(1));
  EXPECT_EQ(table_.buffered(), 0u);
}

TEST_F(StreamTableTest, SpaceFollowsTheWindowsAndTheStreamLimit) {
  table_.Add(0, StreamOrigin::kLocal);
  // Small windows: the floor (stream_send_buffer).
  EXPECT_EQ(table_.Space(0, 100, 100), 1024u);
  ASSERT_EQ(Write(0, 1000, false, &accepted_), StreamWriteResult::kOk);
  EXPECT_EQ(table_.Space(0, 100, 100), 24u);
  // Twice the smaller window, up to max_stream_send_buffer: credit from
  // the acknowledged offset (0) to sent (0) + what is left.
  EXPECT_EQ(table_.Space(0, kWide, 1500), 3000u - 1000u);
  EXPECT_EQ(table_.Space(0, kWide, kWide), 4096u - 1000u);
}

TEST_F(StreamTableTest, OutboundStreamsCountAgainstTheLimit) {
  EXPECT_TRUE(table_.CanOpenOutbound());
  table_.Add(0, StreamOrigin::kLocal);
  table_.Add(1, StreamOrigin::kPeer);  // The peer's do not count.
  EXPECT_TRUE(table_.CanOpenOutbound());
  table_.Add(4, StreamOrigin::kLocal);
  table_.Add(4, StreamOrigin::kLocal);  // Already there: counted once.
  EXPECT_EQ(table_.outbound(), 2u);
  EXPECT_FALSE(table_.CanOpenOutbound());
  EXPECT_TRUE(table_.Remove(0));
  EXPECT_TRUE(table_.CanOpenOutbound());
}

TEST_F(StreamTableTest, RemoveForgetsTheListsToo) {
  table_.Add(0, StreamOrigin::kLocal);
  const std::vector<uint8_t> data(10, 1);
  ASSERT_EQ(table_.Write(0, data, false, /*space=*/5, &accepted_), StreamWriteResult::kOk);
  table_.OnFlowBlocked(0);
  EXPECT_TRUE(table_.Remove(0));
  EXPECT_FALSE(table_.IsWaitingForSpace(0));
  EXPECT_EQ(table_.CheckInvariants(), "");
}

}  // namespace
}  // namespace p2pquic
