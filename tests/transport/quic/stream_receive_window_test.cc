#include "transport/quic/connection/stream_receive_window.h"

#include <gtest/gtest.h>

#include <chrono>

namespace p2pquic {
namespace {

using std::chrono::milliseconds;

constexpr uint64_t kInitial = 1000;
constexpr uint64_t kMax = 3000;
const Duration kRtt = milliseconds(10);

TEST(StreamReceiveWindowTest, BelowHalfTheWindowGrantsTheConsumedBytesOnly) {
  StreamReceiveWindow window(kInitial, kMax);
  EXPECT_EQ(window.OnConsumed(500, Timestamp(milliseconds(1)), kRtt), 500u);
  EXPECT_EQ(window.window(), kInitial);
}

TEST(StreamReceiveWindowTest, FirstUpdateDoesNotGrow) {
  // No earlier update to be close to: like ngtcp2's first MAX_STREAM_DATA.
  StreamReceiveWindow window(kInitial, kMax);
  EXPECT_EQ(window.OnConsumed(501, Timestamp(milliseconds(1)), kRtt), 501u);
  EXPECT_EQ(window.window(), kInitial);
}

TEST(StreamReceiveWindowTest, UpdatesWithinTwoRttsDoubleTheWindowAsExtraCredit) {
  StreamReceiveWindow window(kInitial, kMax);
  window.OnConsumed(501, Timestamp(milliseconds(1)), kRtt);
  // 19 ms later < 2 RTTs: the window doubles; the growth is granted now.
  EXPECT_EQ(window.OnConsumed(501, Timestamp(milliseconds(20)), kRtt), 501u + kInitial);
  EXPECT_EQ(window.window(), 2 * kInitial);
}

TEST(StreamReceiveWindowTest, GrowthStopsAtTheMaximum) {
  StreamReceiveWindow window(kInitial, kMax);
  window.OnConsumed(501, Timestamp(milliseconds(1)), kRtt);
  window.OnConsumed(501, Timestamp(milliseconds(2)), kRtt);  // 2000
  EXPECT_EQ(window.OnConsumed(1001, Timestamp(milliseconds(3)), kRtt), 1001u + 1000u);
  EXPECT_EQ(window.window(), kMax);
  EXPECT_EQ(window.OnConsumed(1501, Timestamp(milliseconds(4)), kRtt), 1501u);
  EXPECT_EQ(window.window(), kMax);
}

TEST(StreamReceiveWindowTest, SlowUpdatesKeepTheWindow) {
  StreamReceiveWindow window(kInitial, kMax);
  window.OnConsumed(501, Timestamp(milliseconds(1)), kRtt);
  EXPECT_EQ(window.OnConsumed(501, Timestamp(milliseconds(21)), kRtt), 501u);
  EXPECT_EQ(window.window(), kInitial);
}

TEST(StreamReceiveWindowTest, MaximumBelowTheInitialWindowKeepsTheInitialWindow) {
  StreamReceiveWindow window(kInitial, 10);
  window.OnConsumed(501, Timestamp(milliseconds(1)), kRtt);
  EXPECT_EQ(window.OnConsumed(501, Timestamp(milliseconds(2)), kRtt), 501u);
  EXPECT_EQ(window.window(), kInitial);
}

}  // namespace
}  // namespace p2pquic
