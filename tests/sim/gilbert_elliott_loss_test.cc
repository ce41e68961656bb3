#include "sim/gilbert_elliott_loss.h"

#include <gtest/gtest.h>

#include <vector>

#include "transport/runtime/seeded_random.h"

namespace p2pquic::sim {
namespace {

constexpr int kDraws = 200000;

double Uniform(SeededRandom& random) {
  return static_cast<double>(random.NextU64() >> 11) * 0x1.0p-53;
}

struct LossRun {
  double rate;
  double mean_burst;
  double loss_after_loss;  // P(lost | the one before was lost).
  double loss_after_kept;  // P(lost | the one before was kept).
};

LossRun Simulate(double loss, double burst, uint64_t seed) {
  GilbertElliottLoss process;
  SeededRandom random(seed);
  std::vector<bool> lost;
  for (int i = 0; i < kDraws; ++i) {
    lost.push_back(process.Next(loss, burst, Uniform(random)) == LossDecision::kLost);
    EXPECT_EQ(process.in_burst(), lost.back());
  }
  EXPECT_EQ(process.CheckInvariants(), "");
  size_t after_loss = 0, lost_after_loss = 0, lost_after_kept = 0;
  for (size_t i = 1; i < lost.size(); ++i) {
    after_loss += lost[i - 1];
    (lost[i - 1] ? lost_after_loss : lost_after_kept) += lost[i];
  }
  const double losses = static_cast<double>(process.losses());
  return {losses / kDraws, losses / static_cast<double>(process.bursts()),
          static_cast<double>(lost_after_loss) / static_cast<double>(after_loss),
          static_cast<double>(lost_after_kept) / static_cast<double>(kDraws - 1 - after_loss)};
}

TEST(GilbertElliottLossTest, BurstsHaveTheRequestedMeanAndTheLongRunRateIsTheLoss) {
  for (const double burst : {2.0, 5.0, 10.0}) {
    const LossRun run = Simulate(0.05, burst, 1);
    EXPECT_NEAR(run.rate, 0.05, 0.007) << burst;
    EXPECT_NEAR(run.mean_burst, burst, burst * 0.08) << burst;
    // Bursty: a loss makes the next loss likelier (1 - 1/burst).
    EXPECT_NEAR(run.loss_after_loss, 1 - 1 / burst, 0.03) << burst;
  }
}

TEST(GilbertElliottLossTest, ABurstOfOneMeansIndependentLosses) {
  const LossRun run = Simulate(0.2, 1, 2);
  EXPECT_NEAR(run.rate, 0.2, 0.005);
  EXPECT_NEAR(run.loss_after_loss, 0.2, 0.01);  // The past does not matter.
  EXPECT_NEAR(run.loss_after_kept, 0.2, 0.01);
  EXPECT_NEAR(run.mean_burst, 1 / (1 - 0.2), 0.03);
}

TEST(GilbertElliottLossTest, TheHighestLossForABurstLengthAlternatesGaps) {
  // loss = b / (b + 1): every burst of mean 3 is followed by exactly one kept.
  const LossRun run = Simulate(0.75, 3, 3);
  EXPECT_NEAR(run.rate, 0.75, 0.01);
  EXPECT_NEAR(run.loss_after_kept, 1.0, 1e-9);
}

TEST(GilbertElliottLossTest, NoLossNeverLosesAndCountsStayConsistent) {
  GilbertElliottLoss process;
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(process.Next(0, 4, 0.0), LossDecision::kKept);
  }
  EXPECT_EQ(process.datagrams(), 100u);
  EXPECT_EQ(process.losses(), 0u);
  EXPECT_EQ(process.Next(1, 1, 0.999), LossDecision::kLost);
  EXPECT_EQ(process.Next(1, 1, 0.5), LossDecision::kLost);
  EXPECT_EQ(process.bursts(), 1u);
  EXPECT_EQ(process.CheckInvariants(), "");
}

}  // namespace
}  // namespace p2pquic::sim
