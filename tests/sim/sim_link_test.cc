#include "sim/sim_link.h"

#include <gtest/gtest.h>

namespace p2pquic::sim {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

const Timestamp kT0 = Timestamp(std::chrono::seconds(1));

LinkConditions Limited(uint64_t bps, size_t queue) {
  LinkConditions c;
  c.bandwidth_bps = bps;
  c.queue_bytes = queue;
  return c;
}

TEST(SimLinkTest, SerializationTimeIsBitsOverBandwidthRoundedUpToTheNanosecond) {
  EXPECT_EQ(FifoSerializer::SerializationTime(1250, 1'000'000), milliseconds(10));
  EXPECT_EQ(FifoSerializer::SerializationTime(1, 3), Duration(2'666'666'667));  // 8/3 s.
  EXPECT_EQ(FifoSerializer::SerializationTime(kMaxUdpPayload, 1),
            std::chrono::seconds(kMaxUdpPayload * 8));
}

TEST(SimLinkTest, DatagramsLeaveOneAfterAnotherAndTheQueueDrains) {
  SimLink link;
  const LinkConditions c = Limited(8'000'000, 0);  // 1000 bytes per ms.
  Timestamp departure;
  ASSERT_EQ(link.Admit(kT0, 1000, c, &departure), Admission::kAdmitted);
  EXPECT_EQ(departure, kT0 + milliseconds(1));
  ASSERT_EQ(link.Admit(kT0, 500, c, &departure), Admission::kAdmitted);
  EXPECT_EQ(departure, kT0 + microseconds(1500));
  EXPECT_EQ(link.queued_bytes(), 1500u);
  ASSERT_EQ(link.Admit(kT0 + milliseconds(1), 1000, c, &departure), Admission::kAdmitted);
  EXPECT_EQ(departure, kT0 + microseconds(2500));  // Waits for the 500.
  EXPECT_EQ(link.queued_bytes(), 1500u);           // The first has left.
  ASSERT_EQ(link.Admit(kT0 + milliseconds(10), 1000, c, &departure), Admission::kAdmitted);
  EXPECT_EQ(departure, kT0 + milliseconds(11));  // Idle: straight out.
  EXPECT_EQ(link.queued_bytes(), 1000u);
  EXPECT_EQ(link.CheckInvariants(), "");
}

TEST(SimLinkTest, TailDropsWhatWouldNotFitAndTheDefaultQueueApplies) {
  SimLink link;
  Timestamp departure;
  const LinkConditions small = Limited(1'000'000, 2500);
  EXPECT_EQ(link.Admit(kT0, 1000, small, &departure), Admission::kAdmitted);
  EXPECT_EQ(link.Admit(kT0, 1000, small, &departure), Admission::kAdmitted);
  EXPECT_EQ(link.Admit(kT0, 1000, small, &departure), Admission::kQueueFull);
  EXPECT_EQ(link.Admit(kT0, 500, small, &departure), Admission::kAdmitted);  // Exactly full.
  EXPECT_EQ(link.Admit(kT0, 1, small, &departure), Admission::kQueueFull);
  EXPECT_EQ(link.tail_drops(), 2u);
  EXPECT_EQ(link.queued_bytes(), 2500u);
  SimLink fresh;
  const LinkConditions by_default = Limited(1'000'000, 0);
  size_t admitted = 0;
  for (int i = 0; i < 200; ++i) {
    admitted += fresh.Admit(kT0, kEthernetMtu, by_default, &departure) == Admission::kAdmitted;
  }
  EXPECT_EQ(admitted, kDefaultQueueDatagrams);
  EXPECT_EQ(fresh.CheckInvariants(), "");
}

TEST(SimLinkTest, WithoutBandwidthEverythingLeavesAtOnce) {
  SimLink link;
  Timestamp departure;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(link.Admit(kT0, kMaxUdpPayload, LinkConditions{}, &departure), Admission::kAdmitted);
    EXPECT_EQ(departure, kT0);
  }
  EXPECT_EQ(link.queued_bytes(), 0u);
}

}  // namespace
}  // namespace p2pquic::sim
