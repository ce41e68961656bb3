// The exploration campaign CI runs: `p2pquic-sim explore`'s Explorer on
// this Bazel shard's part of the seed space (TEST_SHARD_INDEX of
// TEST_TOTAL_SHARDS), every case checked by the oracles and the
// exploration properties, every failure shrunk to a minimal file. The
// shard's summary (explore --json's) and any minimal files go to
// TEST_UNDECLARED_OUTPUTS_DIR; a failure prints its signature, file and
// the command that replays it.
//
// Budget: kCases across all shards (fewer under ASan, whose runs are ~8x
// slower). The base seed is P2PQUIC_EXPLORE_SEED when set (.ci/run sets
// one fresh seed for every shard of a run, so the shards are one
// campaign), else a fresh one per shard; either way it is printed, and
//   p2pquic-sim explore --cases N --seed S --shard I/K
// replays the shard.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>

#include "scenarios/explore/explorer.h"
#include "scenarios/explore/scenario_features.h"

namespace p2pquic::scenarios {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kCases = 240;
#else
constexpr uint64_t kCases = 2000;
#endif

uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  return text == nullptr || *text == '\0' ? fallback : std::strtoull(text, nullptr, 10);
}

TEST(ExplorationCampaignTest, GeneratedCasesKeepEveryOracleAndProperty) {
  ExploreOptions options;
  options.cases = kCases;
  options.shard.index = EnvNumber("TEST_SHARD_INDEX", 0);
  options.shard.count = EnvNumber("TEST_TOTAL_SHARDS", 1);
  // Bazel wants a sharded test to say it knows sharding.
  if (const char* status = std::getenv("TEST_SHARD_STATUS_FILE")) std::ofstream{status};
  std::random_device fresh;
  options.base_seed =
      EnvNumber("P2PQUIC_EXPLORE_SEED", (uint64_t{fresh()} << 32) ^ uint64_t{fresh()});
  const char* outputs = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  options.out_dir = outputs != nullptr ? outputs : ::testing::TempDir();
  std::cout << "base seed " << options.base_seed << ", shard " << options.shard.ToString() << ", "
            << options.shard.CasesOf(kCases) << " of " << kCases << " cases; replay: "
            << "p2pquic-sim explore --cases " << kCases << " --seed " << options.base_seed
            << " --shard " << options.shard.ToString() << std::endl;

  CampaignSummary summary;
  std::string error;
  Explorer explorer(options, std::cerr, /*progress_is_terminal=*/false);
  ASSERT_TRUE(explorer.Run(&summary, &error)) << error;
  std::ofstream(options.out_dir + "/summary.json")
      << summary.ToJson(AllScenarioFeatures()).dump(2) << "\n";
  std::cout << summary.FormatText(AllScenarioFeatures());

  EXPECT_EQ(summary.cases_run, options.shard.CasesOf(kCases));
  EXPECT_EQ(summary.determinism_mismatches, 0u);
  for (const FailureReport& f : summary.failures) {
    ADD_FAILURE() << "[" << f.signature << "] " << f.count << " case(s), first #" << f.first_index
                  << " (seed " << f.first_seed << "): " << f.detail
                  << "\n  minimal file: " << f.file << "\n  replay: " << f.replay;
  }
}

}  // namespace
}  // namespace p2pquic::scenarios

// The shards split the campaign's cases, not the test cases: gtest would
// otherwise give its one test to shard 0 and run nothing elsewhere.
int main(int argc, char** argv) {
  unsetenv("GTEST_SHARD_INDEX");
  unsetenv("GTEST_TOTAL_SHARDS");
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
