// Every scenario of the shipped library replays green, and deterministic:
// a second run with the same seed (on a fresh thread, as RunScenario does)
// gives the same digest, and a different seed a different one.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "scenarios/run_report.h"
#include "scenarios/scenario_parser.h"
#include "scenarios/scenario_runner.h"

namespace p2pquic::scenarios {
namespace {

constexpr char kLibraryDir[] = "scenarios/library";
// The library's size when this test was written: a file lost from the data
// dependency must not shrink the suite unnoticed.
constexpr size_t kMinLibraryFiles = 27;

std::vector<std::string> LibraryFiles() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kLibraryDir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().stem().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

RunReport Replay(const Scenario& scenario, std::optional<uint64_t> seed = std::nullopt) {
  RunOptions options;
  options.seed = seed;
  RunReport report;
  std::string error;
  EXPECT_EQ(RunScenario(scenario, options, &report, &error), RunStatus::kCompleted) << error;
  return report;
}

TEST(LibraryTest, TheLibraryIsComplete) { EXPECT_GE(LibraryFiles().size(), kMinLibraryFiles); }

class LibraryScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LibraryScenarioTest, ReplaysGreenAndDeterministic) {
  Scenario scenario;
  ParseError parse;
  const std::string path = std::string(kLibraryDir) + "/" + GetParam() + ".json";
  ASSERT_EQ(LoadScenarioFile(path, &scenario, &parse), ParseStatus::kOk)
      << parse.json_path << ": " << parse.reason;
  EXPECT_EQ(scenario.name, GetParam()) << "a library file is named after its scenario";
  const RunReport first = Replay(scenario);
  EXPECT_TRUE(first.passed) << FormatSummary(first);
  EXPECT_GT(first.oracle_checks, 0u);
  const RunReport second = Replay(scenario);
  EXPECT_EQ(DigestHex(second.digest), DigestHex(first.digest));
  EXPECT_EQ(second.events, first.events);
  const RunReport other = Replay(scenario, scenario.seed + 1);
  EXPECT_NE(DigestHex(other.digest), DigestHex(first.digest)) << "the seed must matter";
}

INSTANTIATE_TEST_SUITE_P(Library, LibraryScenarioTest, ::testing::ValuesIn(LibraryFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace p2pquic::scenarios
