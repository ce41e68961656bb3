// TokenCache: one token per server address, taken once, bounded.
#include "transport/quic/endpoint/token_cache.h"

#include <gtest/gtest.h>

namespace p2pquic {
namespace {

SocketAddress Server(uint16_t port) { return SocketAddress::Ipv4({10, 0, 0, 1}, port); }

TEST(TokenCacheTest, TakeReturnsTheNewestTokenOnce) {
  TokenCache cache(4);
  const std::vector<uint8_t> a = {1, 2}, b = {3, 4, 5};
  EXPECT_EQ(cache.Store(Server(1), a), TokenStoreResult::kStored);
  EXPECT_EQ(cache.Store(Server(1), b), TokenStoreResult::kReplaced);
  EXPECT_EQ(cache.Take(Server(2)), std::vector<uint8_t>());
  EXPECT_EQ(cache.Take(Server(1)), b);
  EXPECT_EQ(cache.Take(Server(1)), std::vector<uint8_t>());
}

TEST(TokenCacheTest, TheOldestAddressMakesRoom) {
  TokenCache cache(2);
  const std::vector<uint8_t> t = {7};
  EXPECT_EQ(cache.Store(Server(1), t), TokenStoreResult::kStored);
  EXPECT_EQ(cache.Store(Server(2), t), TokenStoreResult::kStored);
  EXPECT_EQ(cache.Store(Server(3), t), TokenStoreResult::kEvicted);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.Take(Server(1)).empty());
  EXPECT_EQ(cache.Take(Server(2)), t);
  // Re-storing a taken address does not let its stale place evict it.
  for (uint16_t round = 0; round < 50; ++round) {
    EXPECT_NE(cache.Store(Server(2), t), TokenStoreResult::kNoCapacity);
    EXPECT_EQ(cache.Take(Server(2)), t);
    EXPECT_LE(cache.size(), 2u);
  }
  EXPECT_EQ(cache.Take(Server(3)), t);
}

TEST(TokenCacheTest, RefusesEmptyOversizedAndZeroCapacity) {
  TokenCache cache(1);
  EXPECT_EQ(cache.Store(Server(1), {}), TokenStoreResult::kEmpty);
  EXPECT_EQ(cache.Store(Server(1), std::vector<uint8_t>(TokenCache::kMaxTokenBytes + 1)),
            TokenStoreResult::kTooLong);
  TokenCache off(0);
  EXPECT_EQ(off.Store(Server(1), std::vector<uint8_t>{1}), TokenStoreResult::kNoCapacity);
  EXPECT_EQ(off.size(), 0u);
}

}  // namespace
}  // namespace p2pquic
