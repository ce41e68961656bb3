#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <vector>

namespace p2pquic::sim {
namespace {

using std::chrono::milliseconds;

TEST(EventQueueTest, RunsByTimeThenByInsertionOrder) {
  EventQueue queue;
  const Timestamp t0 = queue.Now();
  std::vector<int> order;
  queue.Schedule(t0 + milliseconds(20), [&] { order.push_back(3); });
  queue.Schedule(t0 + milliseconds(10), [&] { order.push_back(1); });
  queue.Schedule(t0 + milliseconds(10), [&] { order.push_back(2); });
  ASSERT_TRUE(queue.RunUntil(t0 + milliseconds(30)));
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(queue.Now(), t0 + milliseconds(30));
}

TEST(EventQueueTest, CancelledEventsNeverRunAndThePastMeansNow) {
  EventQueue queue;
  const Timestamp t0 = queue.Now();
  bool ran = false;
  const auto id = queue.Schedule(t0 + milliseconds(5), [&] { ran = true; });
  EXPECT_TRUE(queue.Cancel(id));
  EXPECT_FALSE(queue.Cancel(id));
  Timestamp seen{};
  queue.Schedule(t0 - milliseconds(5), [&] { seen = queue.Now(); });
  queue.RunUntil(t0 + milliseconds(10));
  EXPECT_FALSE(ran);
  EXPECT_EQ(seen, t0);
}

TEST(EventQueueTest, EventsMaySchedulePeersAtTheSameTimeWhichRunAfterThem) {
  EventQueue queue;
  std::vector<int> order;
  queue.Schedule(queue.Now(), [&] {
    order.push_back(1);
    queue.Schedule(queue.Now(), [&] { order.push_back(2); });
  });
  queue.RunUntil(queue.Now());
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(EventQueueTest, IdleVirtualTimeCostsNothingAndRunawayLoopsAreBounded) {
  EventQueue queue;
  const Timestamp start = queue.Now();
  bool ran = false;
  queue.Schedule(start + std::chrono::hours(24 * 365), [&] { ran = true; });
  ASSERT_TRUE(queue.RunUntil([&] { return ran; }, start + std::chrono::hours(24 * 400)));
  EXPECT_EQ(queue.executed(), 1u);
  std::function<void()> forever = [&] { queue.Schedule(queue.Now(), forever); };
  queue.Schedule(queue.Now(), forever);
  EXPECT_FALSE(queue.RunUntil(queue.Now() + milliseconds(1), 1000));
}

}  // namespace
}  // namespace p2pquic::sim
