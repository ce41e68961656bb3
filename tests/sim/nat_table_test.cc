#include "sim/nat_table.h"

#include <gtest/gtest.h>

namespace p2pquic::sim {
namespace {

const SocketAddress kIn = SocketAddress::Ipv4({10, 0, 0, 1}, 1000);
const SocketAddress kOut = SocketAddress::Ipv4({198, 51, 100, 1}, 2000);

TEST(NatTableTest, MapsBothWaysAndReplaceForgetsTheOldOutside) {
  NatTable table;
  ASSERT_EQ(table.Add({HostId{0}, kIn, kOut}), NetworkResult::kOk);
  EXPECT_EQ(table.FindByInside(kIn)->outside, kOut);
  EXPECT_EQ(table.FindByOutside(kOut)->inside, kIn);
  EXPECT_EQ(table.FindByOutside(kOut.WithPort(2001)), nullptr);
  EXPECT_EQ(table.Add({HostId{0}, kIn, kOut.WithPort(1)}), NetworkResult::kAlreadyMapped);
  EXPECT_EQ(table.Add({HostId{0}, kIn.WithPort(1), kOut}), NetworkResult::kAddressInUse);
  ASSERT_EQ(table.Replace(kIn, kOut.WithPort(2001)), NetworkResult::kOk);
  EXPECT_EQ(table.FindByOutside(kOut), nullptr);
  EXPECT_FALSE(table.OutsideInUse(kOut));
  EXPECT_EQ(table.FindByOutside(kOut.WithPort(2001))->inside, kIn);
  EXPECT_EQ(table.Replace(kIn, kOut.WithPort(2001)), NetworkResult::kAddressInUse);
  EXPECT_EQ(table.Replace(kOut, kOut), NetworkResult::kNoMapping);
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(table.CheckInvariants(), "");
}

}  // namespace
}  // namespace p2pquic::sim
