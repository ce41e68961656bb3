#include "transport/base/handle_slots.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace p2pquic {
namespace {

struct TestHandle {
  uint32_t index = 0;
  uint32_t generation = 0;
  friend bool operator==(const TestHandle&, const TestHandle&) = default;
};

using Slots = HandleSlots<TestHandle, std::string>;

TEST(HandleSlotsTest, FindsWhatWasInsertedUnderExactlyThatHandle) {
  Slots slots;
  EXPECT_EQ(slots.Find({0, 0}), nullptr);
  slots.Insert({3, 1}, std::make_unique<std::string>("three"));
  ASSERT_NE(slots.Find({3, 1}), nullptr);
  EXPECT_EQ(*slots.Find({3, 1}), "three");
  EXPECT_EQ(slots.Find({3, 2}), nullptr) << "another generation of the same index";
  EXPECT_EQ(slots.Find({2, 1}), nullptr) << "an empty slot below the highest";
  EXPECT_EQ(slots.Find({9, 1}), nullptr) << "past the storage";
  EXPECT_EQ(slots.size(), 1u);
}

TEST(HandleSlotsTest, AStaleHandleNeitherFindsNorErasesTheIndexsNewObject) {
  Slots slots;
  slots.Insert({1, 1}, std::make_unique<std::string>("old"));
  EXPECT_TRUE(slots.Erase({1, 1}));
  EXPECT_FALSE(slots.Erase({1, 1})) << "erased twice";
  slots.Insert({1, 2}, std::make_unique<std::string>("new"));
  EXPECT_EQ(slots.Find({1, 1}), nullptr);
  EXPECT_FALSE(slots.Erase({1, 1}));
  EXPECT_EQ(slots.Take({1, 1}), nullptr);
  ASSERT_NE(slots.Find({1, 2}), nullptr);
  EXPECT_EQ(*slots.Find({1, 2}), "new");
  EXPECT_EQ(slots.size(), 1u);
}

TEST(HandleSlotsTest, InsertReplacesWhateverTheIndexHeld) {
  Slots slots;
  slots.Insert({0, 1}, std::make_unique<std::string>("first"));
  slots.Insert({0, 2}, std::make_unique<std::string>("second"));
  EXPECT_EQ(slots.size(), 1u);
  EXPECT_EQ(slots.Find({0, 1}), nullptr);
  EXPECT_EQ(*slots.Find({0, 2}), "second");
}

TEST(HandleSlotsTest, TakeHandsTheObjectOverAndFindNoLongerSeesIt) {
  Slots slots;
  slots.Insert({2, 5}, std::make_unique<std::string>("taken"));
  std::unique_ptr<std::string> taken = slots.Take({2, 5});
  ASSERT_NE(taken, nullptr);
  EXPECT_EQ(*taken, "taken");
  EXPECT_EQ(slots.Find({2, 5}), nullptr);
  EXPECT_TRUE(slots.empty());
}

TEST(HandleSlotsTest, IteratesOccupiedSlotsInIndexOrder) {
  Slots slots;
  slots.Insert({4, 1}, std::make_unique<std::string>("d"));
  slots.Insert({0, 7}, std::make_unique<std::string>("a"));
  slots.Insert({2, 3}, std::make_unique<std::string>("c"));
  slots.Insert({1, 1}, std::make_unique<std::string>("b"));
  slots.Erase({1, 1});
  std::string seen;
  for (auto [handle, value] : slots) {
    EXPECT_EQ(slots.Find(handle), &value);
    seen += value;
  }
  EXPECT_EQ(seen, "acd");
  const std::vector<TestHandle> handles = slots.Handles();
  ASSERT_EQ(handles.size(), 3u);
  EXPECT_EQ(handles[0], (TestHandle{0, 7}));
  EXPECT_EQ(handles[1], (TestHandle{2, 3}));
  EXPECT_EQ(handles[2], (TestHandle{4, 1}));
}

TEST(HandleSlotsTest, ClearDestroysEverything) {
  Slots slots;
  slots.Insert({0, 1}, std::make_unique<std::string>("a"));
  slots.Insert({5, 1}, std::make_unique<std::string>("b"));
  slots.Clear();
  EXPECT_TRUE(slots.empty());
  EXPECT_EQ(slots.Find({0, 1}), nullptr);
  EXPECT_EQ(slots.begin(), slots.end());
}

}  // namespace
}  // namespace p2pquic
