// PathMtuFallback: kBlackHolePtos PTOs in a row above the base size cap
// writes at the base size for the raise interval, counted; the raise lifts
// the cap, and a black hole still there falls back again at once.
#include "transport/quic/connection/path_mtu_fallback.h"

#include <gtest/gtest.h>

#include <chrono>

namespace p2pquic {
namespace {

using std::chrono::seconds;

constexpr size_t kBase = PathMtuFallback::kBaseDatagramSize;
constexpr size_t kProbed = 1452;
constexpr size_t kWritable = 1452;  // What the connection could write otherwise.
constexpr Duration kRaise = seconds(60);
const Timestamp kStart = Timestamp(seconds(10));

TEST(PathMtuFallbackTest, StartsProbedAndUncapped) {
  const PathMtuFallback pmtu(kRaise);
  EXPECT_EQ(pmtu.mode(), PathMtuMode::kProbed);
  EXPECT_EQ(pmtu.Cap(kWritable), kWritable);
  EXPECT_EQ(pmtu.raise_at(), Timestamp::max());
  EXPECT_EQ(pmtu.black_holes(), 0u);
}

TEST(PathMtuFallbackTest, FewerPtosThanTheThresholdAreNotABlackHole) {
  PathMtuFallback pmtu(kRaise);
  for (size_t ptos = 0; ptos < PathMtuFallback::kBlackHolePtos; ++ptos) {
    EXPECT_EQ(pmtu.OnTimer(kStart, kProbed, ptos), PathMtuStep::kUnchanged);
  }
  EXPECT_EQ(pmtu.mode(), PathMtuMode::kProbed);
  EXPECT_EQ(pmtu.black_holes(), 0u);
}

TEST(PathMtuFallbackTest, PtosAtTheBaseSizeAreNotABlackHole) {
  // Nothing to fall back from: the loss is not the MTU's doing.
  PathMtuFallback pmtu(kRaise);
  EXPECT_EQ(pmtu.OnTimer(kStart, kBase, 10), PathMtuStep::kUnchanged);
  EXPECT_EQ(pmtu.mode(), PathMtuMode::kProbed);
  EXPECT_EQ(pmtu.black_holes(), 0u);
}

TEST(PathMtuFallbackTest, ABlackHoleCapsWritesAtTheBaseSizeUntilTheRaise) {
  PathMtuFallback pmtu(kRaise);
  EXPECT_EQ(pmtu.OnTimer(kStart, kBase + 1, PathMtuFallback::kBlackHolePtos),
            PathMtuStep::kFellBack);
  EXPECT_EQ(pmtu.mode(), PathMtuMode::kBaseFallback);
  EXPECT_EQ(pmtu.Cap(kWritable), kBase);
  EXPECT_EQ(pmtu.Cap(kBase - 100), kBase - 100);  // A cap, never a floor.
  EXPECT_EQ(pmtu.raise_at(), kStart + kRaise);
  EXPECT_EQ(pmtu.black_holes(), 1u);
}

TEST(PathMtuFallbackTest, TimersBeforeTheRaiseChangeNothing) {
  PathMtuFallback pmtu(kRaise);
  ASSERT_EQ(pmtu.OnTimer(kStart, kProbed, 3), PathMtuStep::kFellBack);
  // More PTOs during the fallback are not another black hole.
  EXPECT_EQ(pmtu.OnTimer(kStart + kRaise - Duration(1), kProbed, 5), PathMtuStep::kUnchanged);
  EXPECT_EQ(pmtu.mode(), PathMtuMode::kBaseFallback);
  EXPECT_EQ(pmtu.raise_at(), kStart + kRaise);
  EXPECT_EQ(pmtu.black_holes(), 1u);
}

TEST(PathMtuFallbackTest, TheRaiseLiftsTheCap) {
  PathMtuFallback pmtu(kRaise);
  ASSERT_EQ(pmtu.OnTimer(kStart, kProbed, 3), PathMtuStep::kFellBack);
  EXPECT_EQ(pmtu.OnTimer(kStart + kRaise, kProbed, 0), PathMtuStep::kRaised);
  EXPECT_EQ(pmtu.mode(), PathMtuMode::kProbed);
  EXPECT_EQ(pmtu.Cap(kWritable), kWritable);
  EXPECT_EQ(pmtu.raise_at(), Timestamp::max());
  EXPECT_EQ(pmtu.black_holes(), 1u);
}

TEST(PathMtuFallbackTest, ABlackHoleStillThereAtTheRaiseFallsBackAgain) {
  PathMtuFallback pmtu(kRaise);
  ASSERT_EQ(pmtu.OnTimer(kStart, kProbed, 3), PathMtuStep::kFellBack);
  const Timestamp raise = kStart + kRaise;
  EXPECT_EQ(pmtu.OnTimer(raise, kProbed, 3), PathMtuStep::kFellBack);
  EXPECT_EQ(pmtu.mode(), PathMtuMode::kBaseFallback);
  EXPECT_EQ(pmtu.raise_at(), raise + kRaise);
  EXPECT_EQ(pmtu.black_holes(), 2u);
}

}  // namespace
}  // namespace p2pquic
