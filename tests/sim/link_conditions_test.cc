#include "sim/link_conditions.h"

#include <gtest/gtest.h>

#include <cmath>

namespace p2pquic::sim {
namespace {

TEST(LinkConditionsTest, DefaultsAreAValidQuietLink) {
  const LinkConditions c;
  EXPECT_EQ(c.Validate(), ConditionsCheck::kValid);
  EXPECT_EQ(c.mtu, 1472u);
  EXPECT_EQ(c.EffectiveQueueBytes(), kDefaultQueueBytes);
  EXPECT_EQ(c.bandwidth_bps, 0u);
}

TEST(LinkConditionsTest, ValidateNamesWhatIsWrong) {
  auto with = [](auto change) {
    LinkConditions c;
    change(c);
    return c.Validate();
  };
  EXPECT_EQ(with([](auto& c) { c.delay = Duration(-1); }), ConditionsCheck::kNegativeTime);
  EXPECT_EQ(with([](auto& c) { c.jitter = Duration(-1); }), ConditionsCheck::kNegativeTime);
  EXPECT_EQ(with([](auto& c) { c.loss = -0.1; }), ConditionsCheck::kBadProbability);
  EXPECT_EQ(with([](auto& c) { c.duplicate = 1.1; }), ConditionsCheck::kBadProbability);
  EXPECT_EQ(with([](auto& c) { c.corrupt = std::nan(""); }), ConditionsCheck::kBadProbability);
  EXPECT_EQ(with([](auto& c) { c.loss_burst = 0.5; }), ConditionsCheck::kBadLossBurst);
  EXPECT_EQ(with([](auto& c) { c.loss_burst = std::nan(""); }), ConditionsCheck::kBadLossBurst);
  EXPECT_EQ(with([](auto& c) {
              c.loss_burst = 3;
              c.loss = 0.76;  // Above 3 / 4.
            }),
            ConditionsCheck::kLossTooHighForBurst);
  EXPECT_EQ(with([](auto& c) {
              c.loss_burst = 3;
              c.loss = 0.75;
            }),
            ConditionsCheck::kValid);
  EXPECT_EQ(with([](auto& c) { c.loss = 1; }), ConditionsCheck::kValid);  // Independent: a cut.
  EXPECT_EQ(with([](auto& c) { c.mtu = 0; }), ConditionsCheck::kBadMtu);
  EXPECT_EQ(with([](auto& c) { c.mtu = kMaxUdpPayload + 1; }), ConditionsCheck::kBadMtu);
  EXPECT_STREQ(ToString(ConditionsCheck::kBadMtu), "mtu outside 1..65507");
}

}  // namespace
}  // namespace p2pquic::sim
