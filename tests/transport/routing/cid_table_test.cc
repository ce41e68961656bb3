#include "transport/routing/cid_table.h"

#include <gtest/gtest.h>

#include "testing/packet_builder.h"

namespace p2pquic {
namespace {

using testing::MakeCid;

class CidTableTest : public ::testing::TestWithParam<size_t> {
 protected:
  size_t length() const { return GetParam(); }
  CidTable table_{GetParam()};
};

TEST_P(CidTableTest, FindsWhatWasInsertedWithOwnerAndState) {
  const ConnectionHandle owner{7, 3};
  ASSERT_TRUE(table_.Insert(MakeCid(0x1234, length()), CidEntry(owner, CidState::kIssued)));
  const CidEntry* entry = table_.Find(MakeCid(0x1234, length()));
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->owner(), owner);
  EXPECT_EQ(entry->state(), CidState::kIssued);
  EXPECT_EQ(table_.Find(MakeCid(0x1235, length())), nullptr);
  EXPECT_EQ(table_.size(), 1u);
}

TEST_P(CidTableTest, RefusesADuplicateAndKeepsTheFirstOwner) {
  ASSERT_TRUE(table_.Insert(MakeCid(1, length()), CidEntry({1, 1}, CidState::kIssued)));
  EXPECT_FALSE(table_.Insert(MakeCid(1, length()), CidEntry({2, 2}, CidState::kActive)));
  EXPECT_EQ(table_.Find(MakeCid(1, length()))->owner(), (ConnectionHandle{1, 1}));
}

TEST_P(CidTableTest, ACidOfAnotherLengthIsNeverFound) {
  ASSERT_TRUE(table_.Insert(MakeCid(5, length()), CidEntry({1, 1}, CidState::kActive)));
  // Same leading bytes, other length: zero padding must not make them equal.
  for (size_t other : {size_t{4}, size_t{7}, size_t{9}, size_t{20}}) {
    if (other == length()) continue;
    EXPECT_EQ(table_.Find(MakeCid(5, other)), nullptr) << other;
  }
  EXPECT_EQ(table_.Find(ConnectionId()), nullptr);
}

TEST_P(CidTableTest, StateChangesStickAndEraseRemoves) {
  ASSERT_TRUE(table_.Insert(MakeCid(9, length()), CidEntry({4, 5}, CidState::kIssued)));
  table_.Find(MakeCid(9, length()))->set_state(CidState::kRetiring);
  EXPECT_EQ(table_.Find(MakeCid(9, length()))->state(), CidState::kRetiring);
  EXPECT_EQ(table_.Find(MakeCid(9, length()))->owner(), (ConnectionHandle{4, 5}));
  table_.Erase(MakeCid(9, length()));
  EXPECT_EQ(table_.Find(MakeCid(9, length())), nullptr);
  EXPECT_EQ(table_.size(), 0u);
}

TEST_P(CidTableTest, ForEachVisitsEveryEntryOnce) {
  for (uint64_t v = 1; v <= 100; ++v) {
    ASSERT_TRUE(table_.Insert(MakeCid(v, length()), CidEntry({uint32_t(v), 0}, CidState::kActive)));
  }
  uint64_t sum = 0;
  int visits = 0;
  table_.ForEach([&](const CidEntry& e) {
    sum += e.owner().index;
    ++visits;
  });
  EXPECT_EQ(visits, 100);
  EXPECT_EQ(sum, 5050u);
}

TEST(CidEntryTest, PacksIndexGenerationAndStateWithoutLoss) {
  const CidEntry entry({0xfffffffe, 0x00abcdef}, CidState::kRetiring);
  EXPECT_EQ(entry.owner().index, 0xfffffffeu);
  EXPECT_EQ(entry.owner().generation, 0x00abcdefu);
  EXPECT_EQ(entry.state(), CidState::kRetiring);
  EXPECT_EQ(sizeof(CidEntry), 8u);
  EXPECT_EQ(alignof(CidEntry), 1u);
}

// 8 bytes and less take the compact one-word table, longer the general one.
INSTANTIATE_TEST_SUITE_P(Lengths, CidTableTest, ::testing::Values(4, 8, 12, 20));

}  // namespace
}  // namespace p2pquic
