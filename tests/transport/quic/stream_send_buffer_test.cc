#include "transport/quic/connection/stream_send_buffer.h"

#include <gtest/gtest.h>

#include <vector>

#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

std::vector<uint8_t> Collect(const StreamSendBuffer& buffer) {
  std::span<const uint8_t> pieces[64];
  const size_t n = buffer.UnsentPieces(pieces);
  std::vector<uint8_t> out;
  for (size_t i = 0; i < n; ++i) out.insert(out.end(), pieces[i].begin(), pieces[i].end());
  return out;
}

TEST(StreamSendBufferTest, HoldsBytesUntilAcknowledged) {
  StreamSendBuffer buffer;
  std::vector<uint8_t> data(100, 9);
  buffer.Append(data);
  EXPECT_EQ(buffer.buffered(), 100u);
  buffer.MarkSent(60);
  EXPECT_EQ(buffer.unsent(), 40u);
  EXPECT_EQ(buffer.sent(), 60u);
  EXPECT_EQ(buffer.buffered(), 100u);  // Sent is not acknowledged.
  buffer.AckUpTo(50);
  EXPECT_EQ(buffer.acked(), 50u);
  EXPECT_EQ(buffer.buffered(), 50u);
  buffer.AckUpTo(80);  // Beyond what was sent: capped.
  EXPECT_EQ(buffer.acked(), 60u);
  EXPECT_EQ(buffer.buffered(), 40u);
}

TEST(StreamSendBufferTest, PiecesCrossChunkBoundariesInOrder) {
  constexpr size_t kChunk = StreamSendBuffer::kChunkSize;
  StreamSendBuffer buffer;
  std::vector<uint8_t> data(3 * kChunk + 123);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7);
  buffer.Append(data);
  ASSERT_EQ(buffer.written(), data.size());
  EXPECT_EQ(Collect(buffer), data);
  buffer.MarkSent(kChunk + 5);
  EXPECT_EQ(Collect(buffer), std::vector<uint8_t>(data.begin() + kChunk + 5, data.end()));
}

// Random appends, sends and acks against a plain byte vector.
TEST(StreamSendBufferTest, MatchesAPlainQueueUnderRandomUse) {
  SeededRandom random(5);
  constexpr size_t kLimit = 100000;
  StreamSendBuffer buffer;
  std::vector<uint8_t> stream;  // Every byte ever accepted.
  uint64_t sent = 0, acked = 0;
  for (int step = 0; step < 5000; ++step) {
    const uint64_t roll = random.NextU64() % 3;
    if (roll == 0) {
      // The owner's limit (SendBufferBudget) keeps a real buffer bounded.
      std::vector<uint8_t> chunk(random.NextU64() % (kLimit - buffer.buffered() + 1));
      for (auto& b : chunk) b = static_cast<uint8_t>(random.NextU64());
      buffer.Append(chunk);
      stream.insert(stream.end(), chunk.begin(), chunk.end());
    } else if (roll == 1) {
      const size_t n = random.NextU64() % (buffer.unsent() + 1);
      buffer.MarkSent(n);
      sent += n;
    } else {
      acked = acked + random.NextU64() % (sent - acked + 1);
      buffer.AckUpTo(acked);
    }
    ASSERT_EQ(buffer.written(), stream.size());
    ASSERT_EQ(buffer.buffered(), stream.size() - acked);
    ASSERT_EQ(Collect(buffer).size() <= buffer.unsent(), true);
    const auto unsent = Collect(buffer);
    ASSERT_TRUE(std::equal(unsent.begin(), unsent.end(), stream.begin() + static_cast<long>(sent)));
  }
}

}  // namespace
}  // namespace p2pquic
