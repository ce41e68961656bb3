// Every scenario of the shipped library replays green, and deterministic:
// a second run with the same seed (on a fresh thread, as RunScenario does)
// gives the same digest, and a different seed a different one. The first
// run reads every connection's frames (so the cid-sequence oracle checks
// every NEW_CONNECTION_ID of the library); the second does not unless the
// file asks, so the equal digests also show that reading frames only
// observes the run. A library scenario must hold at any seed, not only its
// own: each also replays green at a seed drawn fresh on every run (printed,
// so a failure replays with `p2pquic-sim replay FILE --seed N`);
// P2PQUIC_LIBRARY_SEED pins it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "scenarios/format/scenario_parser.h"
#include "scenarios/runner/run_report.h"
#include "scenarios/runner/scenario_runner.h"

namespace p2pquic::scenarios {
namespace {

constexpr char kLibraryDir[] = "scenarios/library";
// The library's size when this test was written: a file lost from the data
// dependency must not shrink the suite unnoticed.
constexpr size_t kMinLibraryFiles = 43;

std::vector<std::string> LibraryFiles() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kLibraryDir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().stem().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

RunReport Replay(const Scenario& scenario, std::optional<uint64_t> seed = std::nullopt,
                 FrameRecording frames = FrameRecording::kWhenWanted) {
  RunOptions options;
  options.seed = seed;
  options.frames = frames;
  RunReport report;
  std::string error;
  EXPECT_EQ(RunScenario(scenario, options, &report, &error), RunStatus::kCompleted) << error;
  return report;
}

// The seed for the any-seed replay: P2PQUIC_LIBRARY_SEED, else fresh.
uint64_t FreshSeed() {
  if (const char* pinned = std::getenv("P2PQUIC_LIBRARY_SEED")) {
    return std::strtoull(pinned, nullptr, 10);
  }
  std::random_device device;
  return (uint64_t{device()} << 32) | device();
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
  const RunReport first = Replay(scenario, std::nullopt, FrameRecording::kAlways);
  EXPECT_TRUE(first.passed) << FormatSummary(first);
  EXPECT_GT(first.oracle_checks, 0u);
  const RunReport second = Replay(scenario);
  EXPECT_EQ(DigestHex(second.digest), DigestHex(first.digest));
  EXPECT_EQ(second.events, first.events);
  const RunReport other = Replay(scenario, scenario.seed + 1);
  EXPECT_NE(DigestHex(other.digest), DigestHex(first.digest)) << "the seed must matter";
  EXPECT_TRUE(other.passed) << FormatSummary(other);
}

TEST_P(LibraryScenarioTest, ReplaysGreenAtAFreshSeed) {
  Scenario scenario;
  ParseError parse;
  const std::string path = std::string(kLibraryDir) + "/" + GetParam() + ".json";
  ASSERT_EQ(LoadScenarioFile(path, &scenario, &parse), ParseStatus::kOk)
      << parse.json_path << ": " << parse.reason;
  const uint64_t seed = FreshSeed();
  const RunReport report = Replay(scenario, seed);
  EXPECT_TRUE(report.passed) << "replay with: p2pquic-sim replay " << path << " --seed " << seed
                             << "\n"
                             << FormatSummary(report);
}

// Library scenarios must pass at any seed; these seeds once broke one (the
// late packets of the retired-CID cases came from random jitter, and at
// these seeds none came late; at the last, the server's replacement CID left
// 11 ms after the retirement it answered, after the next one had arrived, so
// the crossing asserted at the server did not happen). Each is replayed at
// the seed that broke it.
struct SeedThatBrokeIt {
  const char* scenario;
  uint64_t seed;
};
constexpr SeedThatBrokeIt kSeedsThatBrokeThem[] = {
    {"retired-cid-in-grace", 110},
    {"retired-cid-after-grace", 136},
    {"retired-cid-in-grace", 138},
    {"cid-reorder-new-after-retire", 9081129889946030010ULL},
    // Every copy of the client's CONNECTION_CLOSE corrupted: the server ends
    // only by its idle timeout, which the run once ended before.
    {"corruption", 14479230474886175581ULL},
};

TEST(LibraryTest, ScenariosPassAtTheSeedsThatOnceBrokeThem) {
  for (const SeedThatBrokeIt& c : kSeedsThatBrokeThem) {
    Scenario scenario;
    ParseError parse;
    const std::string path = std::string(kLibraryDir) + "/" + c.scenario + ".json";
    ASSERT_EQ(LoadScenarioFile(path, &scenario, &parse), ParseStatus::kOk)
        << parse.json_path << ": " << parse.reason;
    const RunReport report = Replay(scenario, c.seed);
    EXPECT_TRUE(report.passed) << FormatSummary(report);
  }
}

INSTANTIATE_TEST_SUITE_P(Library, LibraryScenarioTest, ::testing::ValuesIn(LibraryFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace p2pquic::scenarios
