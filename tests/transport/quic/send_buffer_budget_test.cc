// SendBufferBudget: a stream's send-buffer limit follows the windows that
// bound its bytes in flight, between the floor and the ceiling of
// QuicConfig, and all streams share the connection's limit.
#include "transport/quic/connection/send_buffer_budget.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace p2pquic {
namespace {

constexpr size_t kKiB = 1 << 10;

QuicConfig Limits(size_t floor, size_t stream_max, size_t connection_max) {
  QuicConfig config;
  config.stream_send_buffer = floor;
  config.max_stream_send_buffer = stream_max;
  config.max_connection_send_buffer = connection_max;
  return config;
}

TEST(SendBufferBudgetTest, SmallWindowsGiveTheFloor) {
  const QuicConfig config = Limits(64 * kKiB, 1024 * kKiB, 4096 * kKiB);
  const SendBufferBudget budget(config);
  EXPECT_EQ(budget.StreamLimit({12 * kKiB, 1024 * kKiB}), 64 * kKiB);
  EXPECT_EQ(budget.StreamLimit({0, 0}), 64 * kKiB);
}

TEST(SendBufferBudgetTest, AStreamMayHoldTwiceTheSmallerWindow) {
  const QuicConfig config = Limits(64 * kKiB, 1024 * kKiB, 4096 * kKiB);
  const SendBufferBudget budget(config);
  // Congestion-limited: twice the congestion window.
  EXPECT_EQ(budget.StreamLimit({100 * kKiB, 900 * kKiB}), 200 * kKiB);
  // Flow-control-limited: the peer lets no more than its credit fly, so a
  // large congestion window does not grow the buffer past twice the credit.
  EXPECT_EQ(budget.StreamLimit({900 * kKiB, 100 * kKiB}), 200 * kKiB);
}

TEST(SendBufferBudgetTest, TheStreamCeilingCapsLargeWindows) {
  const QuicConfig config = Limits(64 * kKiB, 1024 * kKiB, 4096 * kKiB);
  const SendBufferBudget budget(config);
  EXPECT_EQ(budget.StreamLimit({800 * kKiB, 800 * kKiB}), 1024 * kKiB);
  // Windows near 2^64 saturate instead of wrapping to a small limit.
  constexpr uint64_t kHuge = std::numeric_limits<uint64_t>::max() - 1;
  EXPECT_EQ(budget.StreamLimit({kHuge, kHuge}), 1024 * kKiB);
}

TEST(SendBufferBudgetTest, AFloorAboveTheCeilingMeansTheFloor) {
  const QuicConfig config = Limits(512 * kKiB, 128 * kKiB, 4096 * kKiB);
  const SendBufferBudget budget(config);
  EXPECT_EQ(budget.StreamLimit({800 * kKiB, 800 * kKiB}), 512 * kKiB);
}

TEST(SendBufferBudgetTest, SpaceIsTheRoomLeftUnderTheStreamLimit) {
  const QuicConfig config = Limits(64 * kKiB, 1024 * kKiB, 4096 * kKiB);
  const SendBufferBudget budget(config);
  const SendBufferBudget::Windows windows{100 * kKiB, 900 * kKiB};  // Limit 200 KiB.
  EXPECT_EQ(budget.Space(0, windows), 200 * kKiB);
  EXPECT_EQ(budget.Space(150 * kKiB, windows), 50 * kKiB);
  EXPECT_EQ(budget.Space(200 * kKiB, windows), 0u);
  // The windows shrank under what the stream holds: no room, no wrap.
  EXPECT_EQ(budget.Space(300 * kKiB, windows), 0u);
}

TEST(SendBufferBudgetTest, AllStreamsShareTheConnectionLimit) {
  const QuicConfig config = Limits(64 * kKiB, 1024 * kKiB, 1536 * kKiB);
  SendBufferBudget budget(config);
  const SendBufferBudget::Windows windows{800 * kKiB, 800 * kKiB};  // Stream limit 1 MiB.
  budget.Add(1024 * kKiB);                                          // One full stream.
  EXPECT_EQ(budget.total(), 1024 * kKiB);
  // A second stream holds nothing yet, but only 512 KiB are left overall.
  EXPECT_EQ(budget.Space(0, windows), 512 * kKiB);
  budget.Add(512 * kKiB);
  EXPECT_EQ(budget.Space(0, windows), 0u);
  budget.Release(256 * kKiB);  // Acknowledged.
  EXPECT_EQ(budget.Space(0, windows), 256 * kKiB);
  budget.Release(10 * 1024 * kKiB);  // More than held: empty, not wrapped.
  EXPECT_EQ(budget.total(), 0u);
}

}  // namespace
}  // namespace p2pquic
