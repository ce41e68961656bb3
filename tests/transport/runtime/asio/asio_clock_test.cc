#include "transport/runtime/asio/asio_clock.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <memory>
#include <set>
#include <thread>
#include <vector>

namespace p2pquic {
namespace {

using std::chrono::milliseconds;

// Upper bound on any single io_context run in these tests: a bug makes a
// test fail, never hang.
constexpr auto kMaxRun = std::chrono::seconds(5);

// Runs `io` until it has no work left (every timer fired or cancelled), at
// most kMaxRun. True when it ran out of work in time.
bool RunToCompletion(boost::asio::io_context& io) {
  io.restart();
  io.run_for(kMaxRun);
  return io.stopped();
}

TEST(AsioClockTest, NowNeverGoesBackwards) {
  boost::asio::io_context io;
  AsioClock clock(io);
  Timestamp previous = clock.Now();
  for (int i = 0; i < 10000; ++i) {
    const Timestamp now = clock.Now();
    ASSERT_GE(now, previous);
    previous = now;
  }
}

TEST(AsioClockTest, NowAdvancesWithRealTime) {
  boost::asio::io_context io;
  AsioClock clock(io);
  const Timestamp before = clock.Now();
  std::this_thread::sleep_for(milliseconds(5));
  const Duration elapsed = clock.Now() - before;
  EXPECT_GE(elapsed, milliseconds(5));
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(AsioClockTest, WallNowIsUnixTimeWithinASecondOfTheSystemClock) {
  boost::asio::io_context io;
  AsioClock clock(io);
  const auto system = std::chrono::duration_cast<Duration>(
      std::chrono::system_clock::now().time_since_epoch());
  const Duration difference = clock.WallNow().time_since_epoch() - system;
  EXPECT_LT(std::chrono::abs(difference), std::chrono::seconds(1));
  // After 2020-01-01 (1577836800 s): a Unix epoch, not the steady clock's.
  EXPECT_GT(clock.WallNow().time_since_epoch(), std::chrono::seconds(1577836800));
}

TEST(AsioClockTest, TimerIdsAreNonZeroAndDistinct) {
  boost::asio::io_context io;
  AsioClock clock(io);
  std::set<uint64_t> ids;
  for (int i = 0; i < 100; ++i) {
    const TimerId id = clock.ScheduleAt(clock.Now() + std::chrono::hours(1), [] {});
    EXPECT_NE(id.value, 0u);
    ids.insert(id.value);
  }
  EXPECT_EQ(ids.size(), 100u);
  EXPECT_EQ(clock.pending_timers(), 100u);
}

TEST(AsioClockTest, TimersFireInDeadlineOrderNotScheduleOrder) {
  boost::asio::io_context io;
  AsioClock clock(io);
  const Timestamp start = clock.Now();
  std::vector<int> fired;
  std::vector<Timestamp> fired_at;
  const int order[] = {3, 1, 4, 0, 2};
  for (int i : order) {
    const Timestamp deadline = start + milliseconds(5 + 10 * i);
    clock.ScheduleAt(deadline, [&, i, deadline] {
      EXPECT_GE(clock.Now(), deadline) << "timer " << i << " fired early";
      fired.push_back(i);
      fired_at.push_back(clock.Now());
    });
  }
  ASSERT_TRUE(RunToCompletion(io));
  EXPECT_EQ(fired, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(clock.pending_timers(), 0u);
}

TEST(AsioClockTest, CallbackNeverRunsInsideScheduleAt) {
  boost::asio::io_context io;
  AsioClock clock(io);
  bool fired = false;
  clock.ScheduleAt(clock.Now() - std::chrono::seconds(1), [&] { fired = true; });
  EXPECT_FALSE(fired);
  EXPECT_EQ(clock.pending_timers(), 1u);
  ASSERT_TRUE(RunToCompletion(io));
  EXPECT_TRUE(fired);
}

TEST(AsioClockTest, PastDeadlineFiresPromptly) {
  boost::asio::io_context io;
  AsioClock clock(io);
  int fired = 0;
  clock.ScheduleAt(Timestamp(), [&] { ++fired; });  // The clock's epoch: long past.
  clock.ScheduleAt(clock.Now() - milliseconds(1), [&] { ++fired; });
  clock.ScheduleAt(clock.Now(), [&] { ++fired; });
  const Timestamp start = clock.Now();
  ASSERT_TRUE(RunToCompletion(io));
  EXPECT_EQ(fired, 3);
  EXPECT_LT(clock.Now() - start, std::chrono::seconds(1));
}

TEST(AsioClockTest, EachCallbackRunsExactlyOnce) {
  boost::asio::io_context io;
  AsioClock clock(io);
  int fired = 0;
  clock.ScheduleAt(clock.Now(), [&] { ++fired; });
  ASSERT_TRUE(RunToCompletion(io));
  ASSERT_TRUE(RunToCompletion(io));
  EXPECT_EQ(fired, 1);
}

TEST(AsioClockTest, CancelBeforeFiringStopsTheCallback) {
  boost::asio::io_context io;
  AsioClock clock(io);
  bool cancelled_fired = false;
  bool other_fired = false;
  const TimerId id =
      clock.ScheduleAt(clock.Now() + milliseconds(10), [&] { cancelled_fired = true; });
  clock.ScheduleAt(clock.Now() + milliseconds(20), [&] { other_fired = true; });
  EXPECT_EQ(clock.Cancel(id), CancelResult::kCancelled);
  EXPECT_EQ(clock.pending_timers(), 1u);
  ASSERT_TRUE(RunToCompletion(io));
  EXPECT_FALSE(cancelled_fired);
  EXPECT_TRUE(other_fired);
}

TEST(AsioClockTest, CancelOfAnAlreadyDueTimerStillStopsIt) {
  boost::asio::io_context io;
  AsioClock clock(io);
  bool fired = false;
  const TimerId id = clock.ScheduleAt(clock.Now() - std::chrono::seconds(1), [&] { fired = true; });
  EXPECT_EQ(clock.Cancel(id), CancelResult::kCancelled);
  ASSERT_TRUE(RunToCompletion(io));
  EXPECT_FALSE(fired);
}

TEST(AsioClockTest, CancelAfterFiringIsNotPending) {
  boost::asio::io_context io;
  AsioClock clock(io);
  bool fired = false;
  const TimerId id = clock.ScheduleAt(clock.Now(), [&] { fired = true; });
  ASSERT_TRUE(RunToCompletion(io));
  ASSERT_TRUE(fired);
  EXPECT_EQ(clock.Cancel(id), CancelResult::kNotPending);
}

TEST(AsioClockTest, SecondCancelAndUnknownIdsAreNotPending) {
  boost::asio::io_context io;
  AsioClock clock(io);
  const TimerId id = clock.ScheduleAt(clock.Now() + std::chrono::hours(1), [] {});
  EXPECT_EQ(clock.Cancel(id), CancelResult::kCancelled);
  EXPECT_EQ(clock.Cancel(id), CancelResult::kNotPending);
  EXPECT_EQ(clock.Cancel(TimerId{}), CancelResult::kNotPending);
  EXPECT_EQ(clock.Cancel(TimerId{id.value + 1000}), CancelResult::kNotPending);
  EXPECT_TRUE(RunToCompletion(io));
}

TEST(AsioClockTest, CancelInsideOwnCallbackIsNotPending) {
  boost::asio::io_context io;
  AsioClock clock(io);
  TimerId id;
  CancelResult result = CancelResult::kCancelled;
  id = clock.ScheduleAt(clock.Now(), [&] { result = clock.Cancel(id); });
  ASSERT_TRUE(RunToCompletion(io));
  EXPECT_EQ(result, CancelResult::kNotPending);
}

TEST(AsioClockTest, CallbackMayScheduleAnotherTimer) {
  boost::asio::io_context io;
  AsioClock clock(io);
  std::vector<int> fired;
  clock.ScheduleAt(clock.Now(), [&] {
    fired.push_back(1);
    clock.ScheduleAt(clock.Now() + milliseconds(2), [&] {
      fired.push_back(2);
      clock.ScheduleAt(clock.Now() - milliseconds(1), [&] { fired.push_back(3); });
    });
  });
  ASSERT_TRUE(RunToCompletion(io));
  EXPECT_EQ(fired, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(clock.pending_timers(), 0u);
}

TEST(AsioClockTest, CallbackMayCancelATimerThatIsAlsoDue) {
  // Both deadlines have passed, so both waits may complete in the same
  // io_context step; the first callback's Cancel must still win.
  boost::asio::io_context io;
  AsioClock clock(io);
  const Timestamp past = clock.Now() - std::chrono::seconds(1);
  int fired = 0;
  TimerId first;
  TimerId second;
  CancelResult result = CancelResult::kNotPending;
  first = clock.ScheduleAt(past, [&] {
    ++fired;
    result = clock.Cancel(second);
  });
  second = clock.ScheduleAt(past, [&] {
    ++fired;
    result = clock.Cancel(first);
  });
  ASSERT_TRUE(RunToCompletion(io));
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(result, CancelResult::kCancelled);
  EXPECT_EQ(clock.pending_timers(), 0u);
}

TEST(AsioClockTest, DestroyingTheClockCancelsItsTimers) {
  boost::asio::io_context io;
  bool fired = false;
  {
    AsioClock clock(io);
    clock.ScheduleAt(clock.Now() + milliseconds(5), [&] { fired = true; });
    clock.ScheduleAt(clock.Now() - milliseconds(5), [&] { fired = true; });
  }
  ASSERT_TRUE(RunToCompletion(io));
  EXPECT_FALSE(fired);
}

TEST(AsioClockTest, ClockMayBeDestroyedFromInsideACallbackWhileOtherTimersAreDue) {
  // A callback that tears its endpoint down (idle timeout, say) destroys the
  // clock while the waits of other due timers have already completed. Those
  // must neither run nor touch the destroyed clock (ASan checks the latter).
  boost::asio::io_context io;
  auto clock = std::make_unique<AsioClock>(io);
  const Timestamp past = clock->Now() - std::chrono::seconds(1);
  int fired = 0;
  for (int i = 0; i < 4; ++i) {
    clock->ScheduleAt(past, [&] {
      ++fired;
      clock.reset();
    });
  }
  ASSERT_TRUE(RunToCompletion(io));
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(clock, nullptr);
}

TEST(AsioClockTest, ClockMayBeDestroyedByAnotherHandlerWhileATimerIsDue) {
  boost::asio::io_context io;
  auto clock = std::make_unique<AsioClock>(io);
  bool fired = false;
  clock->ScheduleAt(clock->Now() - std::chrono::seconds(1), [&] { fired = true; });
  // Let the wait complete without running its handler, then destroy the clock.
  std::this_thread::sleep_for(milliseconds(1));
  boost::asio::post(io, [&] { clock.reset(); });
  ASSERT_TRUE(RunToCompletion(io));
  EXPECT_EQ(clock, nullptr);
  EXPECT_FALSE(fired);
}

}  // namespace
}  // namespace p2pquic
