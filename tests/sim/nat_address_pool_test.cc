#include "sim/nat_address_pool.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace p2pquic::sim {
namespace {

TEST(NatAddressPoolTest, PortsMoveUpSkippingTakenOnesAndWrap) {
  const SocketAddress current = SocketAddress::Ipv4({198, 51, 100, 1}, 2000);
  auto taken = [](const SocketAddress& a) { return a.port() == 2001; };
  SocketAddress out;
  ASSERT_EQ(NatAddressPool::NextPort(current, taken, &out), PoolResult::kAllocated);
  EXPECT_EQ(out, current.WithPort(2002));
  auto none = [](const SocketAddress&) { return false; };
  ASSERT_EQ(NatAddressPool::NextPort(current.WithPort(65535), none, &out), PoolResult::kAllocated);
  EXPECT_EQ(out.port(), NatAddressPool::kFirstPort);
  auto all = [](const SocketAddress&) { return true; };
  EXPECT_EQ(NatAddressPool::NextPort(current, all, &out), PoolResult::kExhausted);
}

TEST(NatAddressPoolTest, AddressesComeFromTheDocumentedPoolsInOrderNeverTwice) {
  NatAddressPool pool;
  std::set<std::string> taken = {"203.0.113.2:0"};
  auto is_taken = [&](const SocketAddress& ip) { return taken.count(ip.ToString()) != 0; };
  SocketAddress out;
  ASSERT_EQ(pool.NextAddress(AddressFamily::kIpv4, 9, is_taken, &out), PoolResult::kAllocated);
  EXPECT_EQ(out.ToString(), "203.0.113.1:9");
  ASSERT_EQ(pool.NextAddress(AddressFamily::kIpv4, 9, is_taken, &out), PoolResult::kAllocated);
  EXPECT_EQ(out.ToString(), "203.0.113.3:9");  // .2 was taken.
  ASSERT_EQ(pool.NextAddress(AddressFamily::kIpv6, 9, is_taken, &out), PoolResult::kAllocated);
  EXPECT_EQ(out.ToString(), "[2001:db8:ffff::1]:9");
  size_t more = 0;
  while (pool.NextAddress(AddressFamily::kIpv4, 9, is_taken, &out) == PoolResult::kAllocated) {
    ++more;
  }
  EXPECT_EQ(more, NatAddressPool::kIpv4PoolSize - 3);
  EXPECT_EQ(out.ToString(), "203.0.113.254:9");
  EXPECT_EQ(pool.NextAddress(AddressFamily::kUnspecified, 9, is_taken, &out),
            PoolResult::kExhausted);
}

}  // namespace
}  // namespace p2pquic::sim
