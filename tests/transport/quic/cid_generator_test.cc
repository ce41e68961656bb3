// CidGenerator: draws until the registrar takes a CID, gives up after
// kMaxDraws collisions, stops at a refusal, and draws from the Random only.
#include "transport/routing/cid_generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

TEST(CidGeneratorTest, TheFirstFreeDrawIsRegistered) {
  SeededRandom random(5);
  CidGenerator generator(random, 8);
  std::vector<ConnectionId> offered;
  ConnectionId cid;
  uint32_t collisions = 0;
  EXPECT_EQ(generator.Draw(
                [&](const ConnectionId& candidate) {
                  offered.push_back(candidate);
                  return offered.size() < 3 ? CidRegistration::kCollision
                                            : CidRegistration::kRegistered;
                },
                &cid, &collisions),
            CidDrawResult::kRegistered);
  ASSERT_EQ(offered.size(), 3u);
  EXPECT_EQ(cid, offered.back());
  EXPECT_EQ(cid.size(), 8u);
  EXPECT_EQ(collisions, 2u);
  EXPECT_NE(offered[0], offered[1]);  // Fresh draws.
  EXPECT_NE(offered[1], offered[2]);
}

TEST(CidGeneratorTest, ACollisionStormGivesUpAfterMaxDraws) {
  SeededRandom random(6);
  CidGenerator generator(random, 8);
  int offers = 0;
  ConnectionId cid;
  EXPECT_EQ(generator.Draw(
                [&](const ConnectionId&) {
                  ++offers;
                  return CidRegistration::kCollision;
                },
                &cid),
            CidDrawResult::kExhausted);
  EXPECT_EQ(offers, CidGenerator::kMaxDraws);
}

TEST(CidGeneratorTest, ARefusalStopsAtOnce) {
  SeededRandom random(7);
  CidGenerator generator(random, 4);
  int offers = 0;
  ConnectionId cid;
  EXPECT_EQ(generator.Draw(
                [&](const ConnectionId&) {
                  ++offers;
                  return CidRegistration::kRefused;
                },
                &cid),
            CidDrawResult::kRefused);
  EXPECT_EQ(offers, 1);
}

TEST(CidGeneratorTest, DrawsAreTheRandomsBytes) {
  SeededRandom a(9), b(9);
  CidGenerator generator(a, 8);
  uint8_t expected[18];
  b.Fill(expected);
  const ConnectionId unregistered = generator.DrawUnregistered(18);
  ASSERT_EQ(unregistered.size(), 18u);
  EXPECT_TRUE(std::equal(unregistered.bytes().begin(), unregistered.bytes().end(), expected));
}

}  // namespace
}  // namespace p2pquic
