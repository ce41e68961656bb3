#include "sim/sim_clock.h"

#include <gtest/gtest.h>

namespace p2pquic::sim {
namespace {

using std::chrono::milliseconds;

TEST(SimClockTest, TimersRunInVirtualTimeAndWallTimeFollows) {
  EventQueue queue;
  SimClock clock(queue);
  const UnixTime wall0 = clock.WallNow();
  bool fired = false;
  const TimerId cancelled = clock.ScheduleAt(clock.Now() + milliseconds(5), [] {});
  EXPECT_EQ(clock.Cancel(cancelled), CancelResult::kCancelled);
  clock.ScheduleAt(clock.Now() + std::chrono::seconds(30), [&] { fired = true; });
  queue.RunUntil(clock.Now() + std::chrono::seconds(31));
  EXPECT_TRUE(fired);
  EXPECT_EQ(clock.WallNow() - wall0, std::chrono::seconds(31));
}

}  // namespace
}  // namespace p2pquic::sim
