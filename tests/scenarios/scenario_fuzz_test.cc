// Bounded, seeded fuzzing of the parser: mutated scenario files never crash
// it, and every answer is either a scenario that round-trips through ToJson
// or an error with a path and a reason.
#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scenarios/format/scenario_parser.h"
#include "scenarios/format/scenario_writer.h"
#include "testing/byte_mutation.h"
#include "tests/scenarios/complete_scenario.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::scenarios {
namespace {

constexpr int kCases = 2000;
constexpr int kMaxEditsPerCase = 4;
constexpr uint64_t kSeed = 20261124;

struct Tally {
  int ok = 0;
  int refused = 0;
};

// Parses `text` and checks the answer's contract; counts the outcome.
void CheckAnswer(const std::string& text, Tally* tally) {
  Scenario scenario;
  ParseError error;
  const ParseStatus status = ParseScenario(text, &scenario, &error);
  if (status == ParseStatus::kOk) {
    ++tally->ok;
    Scenario reparsed;
    ASSERT_EQ(ParseScenario(ToJson(scenario), &reparsed, &error), ParseStatus::kOk)
        << error.json_path << ": " << error.reason << "\n"
        << text;
    ASSERT_TRUE(reparsed == scenario) << text;
    return;
  }
  ++tally->refused;
  ASSERT_NE(status, ParseStatus::kUnreadableFile);
  ASSERT_FALSE(error.json_path.empty()) << text;
  ASSERT_EQ(error.json_path[0], '$') << text;
  ASSERT_FALSE(error.reason.empty()) << text;
}

TEST(ScenarioFuzzTest, ByteMutationsNeverCrashAndAlwaysAnswer) {
  SeededRandom random(kSeed);
  const std::string_view valid = testing::kCompleteScenarioJson;
  const std::vector<uint8_t> bytes(valid.begin(), valid.end());
  Tally tally;
  for (int i = 0; i < kCases && !HasFatalFailure(); ++i) {
    const std::vector<uint8_t> mutated =
        p2pquic::testing::MutateBytes(random, bytes, kMaxEditsPerCase);
    CheckAnswer(std::string(mutated.begin(), mutated.end()), &tally);
  }
  RecordProperty("accepted", tally.ok);
  EXPECT_EQ(tally.ok + tally.refused, kCases);
  EXPECT_GT(tally.refused, 0);
}

// Byte edits mostly break the JSON itself; replacing one value anywhere in
// the document with an odd one reaches the type, range and reference checks.
nlohmann::json OddValue(Random& random) {
  static const std::vector<nlohmann::json> kOdd = {0,
                                                   1,
                                                   -1,
                                                   1.5,
                                                   1e300,
                                                   18446744073709551615u,
                                                   "",
                                                   "x",
                                                   "client",
                                                   "c1",
                                                   "s1",
                                                   "10.0.0.1:1",
                                                   true,
                                                   false,
                                                   nullptr,
                                                   nlohmann::json::object(),
                                                   nlohmann::json::array()};
  return kOdd[random.NextU64() % kOdd.size()];
}

void ReplaceOneValue(Random& random, nlohmann::json& value) {
  if (value.is_structured() && !value.empty() && random.NextU64() % 4 != 0) {
    auto it = value.begin();
    std::advance(it, static_cast<long>(random.NextU64() % value.size()));
    return ReplaceOneValue(random, *it);
  }
  value = OddValue(random);
}

TEST(ScenarioFuzzTest, ValueMutationsNeverCrashAndAlwaysAnswer) {
  SeededRandom random(kSeed + 1);
  const nlohmann::json valid = nlohmann::json::parse(testing::kCompleteScenarioJson);
  Tally tally;
  for (int i = 0; i < kCases && !HasFatalFailure(); ++i) {
    nlohmann::json mutated = valid;
    ReplaceOneValue(random, mutated);
    CheckAnswer(mutated.dump(), &tally);
  }
  RecordProperty("accepted", tally.ok);
  EXPECT_GT(tally.ok, 0);
  EXPECT_GT(tally.refused, kCases / 2);
}

}  // namespace
}  // namespace p2pquic::scenarios
