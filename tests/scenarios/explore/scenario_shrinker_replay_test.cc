// ShrinkScenario with the real simulator as its predicate: the library's
// migration scenario with one planted expectation that cannot hold ("the
// server never routes a packet by CID") shrinks to a much smaller file whose
// run still fails that expectation.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>

#include "scenarios/explore/scenario_shrinker.h"
#include "scenarios/format/scenario_parser.h"
#include "scenarios/format/scenario_writer.h"
#include "scenarios/runner/run_report.h"
#include "scenarios/runner/scenario_runner.h"

namespace p2pquic::scenarios {
namespace {

constexpr char kMigrationFile[] = "scenarios/library/migration.json";
// The planted expectation's line in the report (ExpectationChecker's text).
constexpr char kPlantedWhat[] = "route cid_hit on server in [0, 0]";
// Bounds that keep the test short under ASan; the shrink reaches its
// fixpoint well inside them without a sanitizer.
constexpr size_t kMaxAttempts = 200;
constexpr auto kMaxWall = std::chrono::seconds(60);

// The failure's signature: the run completes and the planted expectation
// is unmet (any other result of the run is a different failure).
bool PlantedExpectationFails(const Scenario& scenario) {
  RunReport report;
  std::string error;
  if (RunScenario(scenario, RunOptions{}, &report, &error) != RunStatus::kCompleted) return false;
  for (const ExpectationResult& result : report.expectations) {
    if (result.what == kPlantedWhat && !result.met) return true;
  }
  return false;
}

void Print(const char* label, const ScenarioSize& size) {
  std::cout << label << ": " << size.hosts << " hosts, " << size.connections << " connections, "
            << size.streams << " streams, " << size.events << " events, " << size.expectations
            << " expectations, " << size.bytes << " bytes, "
            << std::chrono::duration_cast<std::chrono::milliseconds>(size.virtual_time).count()
            << " ms, " << size.json_bytes << " JSON bytes\n";
}

TEST(ScenarioShrinkerReplayTest, APlantedFalseExpectationShrinksToASmallerFileThatStillFails) {
  Scenario failing;
  ParseError parse;
  ASSERT_EQ(LoadScenarioFile(kMigrationFile, &failing, &parse), ParseStatus::kOk)
      << parse.json_path << ": " << parse.reason;
  failing.expect.push_back(
      Expectation{RouteCountExpectation{"server", RouteOutcome::kCidHit, 0, uint64_t{0}}});
  // Planted through the parser too: ShrinkScenario takes a valid scenario.
  Scenario planted;
  ASSERT_EQ(ParseScenario(ToJson(failing), &planted, &parse), ParseStatus::kOk)
      << parse.json_path << ": " << parse.reason;
  ASSERT_TRUE(PlantedExpectationFails(planted)) << "the planted expectation must fail at first";

  ShrinkLimits limits;
  limits.max_attempts = kMaxAttempts;
  limits.max_wall = kMaxWall;
  const auto start = std::chrono::steady_clock::now();
  const ShrinkResult result = ShrinkScenario(planted, PlantedExpectationFails, limits);
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;

  const ScenarioSize before = MeasureScenario(planted);
  const ScenarioSize after = MeasureScenario(result.minimal);
  Print("before", before);
  Print("after ", after);
  std::cout << "stop " << ToString(result.stop) << ", " << result.attempts << " runs, "
            << result.accepted << " accepted, " << result.invalid << " invalid, " << wall.count()
            << " s\n"
            << ToJson(result.minimal);

  EXPECT_TRUE(PlantedExpectationFails(result.minimal)) << "the result must still fail";
  EXPECT_GT(result.accepted, 0u);
  EXPECT_LT(after.json_bytes, before.json_bytes);
  EXPECT_LT(after.events, before.events);
  EXPECT_LT(after.expectations, before.expectations);
  EXPECT_LT(after.bytes, before.bytes);
  EXPECT_LT(after.virtual_time, before.virtual_time);
  if (result.stop == ShrinkStop::kFixpoint) {
    // A CID hit needs a connection: both hosts and the dial, nothing more.
    EXPECT_EQ(after.hosts, 2u);
    EXPECT_EQ(after.events, 1u);
    EXPECT_EQ(after.expectations, 1u);
    EXPECT_EQ(after.bytes, 0u);
  }
}

}  // namespace
}  // namespace p2pquic::scenarios
