#include "transport/routing/sequence_history.h"

#include <gtest/gtest.h>

#include <set>

#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

TEST(SequenceHistoryTest, RemembersExactlyWhatWasMarked) {
  SequenceHistory history;
  history.MarkUsed(0);
  history.MarkUsed(5);
  EXPECT_TRUE(history.Used(0));
  EXPECT_TRUE(history.Used(5));
  EXPECT_FALSE(history.Used(1));
  EXPECT_FALSE(history.Used(63));
  EXPECT_FALSE(history.Used(1000));
}

TEST(SequenceHistoryTest, AJumpPastTheWindowSlidesTheFloorAndKeepsRecentMarks) {
  SequenceHistory history;
  history.MarkUsed(60);
  history.MarkUsed(100);  // 100 - 0 >= 64: floor becomes 37.
  EXPECT_EQ(history.floor(), 100 - (SequenceHistory::kWindow - 1));
  EXPECT_TRUE(history.Used(60));  // Still inside the window.
  EXPECT_TRUE(history.Used(100));
  EXPECT_TRUE(history.Used(10));  // Below the floor: counts as used.
  EXPECT_FALSE(history.Used(61));
}

TEST(SequenceHistoryTest, RaiseFloorNeverLowersAndShiftsMarks) {
  SequenceHistory history;
  history.MarkUsed(10);
  history.RaiseFloor(8);
  EXPECT_TRUE(history.Used(10));
  EXPECT_FALSE(history.Used(9));
  history.RaiseFloor(3);
  EXPECT_EQ(history.floor(), 8u);
  history.RaiseFloor(500);
  EXPECT_TRUE(history.Used(499));
  EXPECT_FALSE(history.Used(500));
}

// Against a std::set: within the window the answer is exact, below the
// floor everything counts as used (never forgets a registration).
TEST(SequenceHistoryTest, NeverForgetsAndIsExactWithinTheWindow) {
  SeededRandom random(11);
  SequenceHistory history;
  std::set<uint64_t> marked;
  uint64_t base = 0;
  for (int step = 0; step < 20000; ++step) {
    base += random.NextU64() % 3;
    const uint64_t sequence = base + random.NextU64() % 40;
    history.MarkUsed(sequence);
    marked.insert(sequence);
    for (uint64_t probe = base > 80 ? base - 80 : 0; probe < base + 80; ++probe) {
      const bool used = history.Used(probe);
      if (marked.count(probe)) {
        ASSERT_TRUE(used) << probe;
      }
      if (probe >= history.floor()) {
        ASSERT_EQ(used, marked.count(probe) > 0) << probe;
      }
    }
  }
}

}  // namespace
}  // namespace p2pquic
