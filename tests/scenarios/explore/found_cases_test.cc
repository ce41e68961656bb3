// Every case exploration found (tests/scenarios/found/, kept as their
// minimal files) keeps the oracles and the exploration properties now that
// its defect is fixed: each is a regression replay.
#include <gtest/gtest.h>

#include <filesystem>

#include "scenarios/explore/case_checker.h"
#include "scenarios/explore/failure_shrinker.h"
#include "scenarios/format/scenario_parser.h"

namespace p2pquic::scenarios {
namespace {

TEST(FoundCasesTest, EveryFoundCaseStaysFixed) {
  size_t replayed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("tests/scenarios/found", ec)) {
    if (entry.path().extension() != ".json") continue;
    Scenario scenario;
    ParseError parse;
    ASSERT_EQ(LoadScenarioFile(entry.path().string(), &scenario, &parse), ParseStatus::kOk)
        << entry.path() << ": " << parse.json_path << ": " << parse.reason;
    const CaseVerdict verdict = CheckCase(scenario, PropertySet::kExploration);
    ASSERT_EQ(verdict.status, RunStatus::kCompleted) << entry.path() << ": " << verdict.error;
    for (const CaseFailure& f : verdict.failures) {
      ADD_FAILURE() << entry.path() << ": [" << f.signature << "] " << f.detail;
    }
    ++replayed;
  }
  EXPECT_GE(replayed, 4u) << "tests/scenarios/found is missing from the test's data";
}

}  // namespace
}  // namespace p2pquic::scenarios

namespace p2pquic::scenarios {
namespace {

// A documented limit of ngtcp2 0.12.1 (scenarios/explore/KNOWN.md), which
// the connection-end property excuses: it must still reproduce, so the
// excuse goes when the behaviour does.
TEST(FoundCasesTest, KnownNgtcp2ConnectionIdLimitStillReproduces) {
  Scenario scenario;
  ParseError parse;
  ASSERT_EQ(LoadScenarioFile("tests/scenarios/known/rebind-and-migrate-connection-id-limit.json",
                             &scenario, &parse),
            ParseStatus::kOk)
      << parse.json_path << ": " << parse.reason;
  const CaseVerdict verdict = CheckCase(scenario, PropertySet::kExploration);
  ASSERT_EQ(verdict.status, RunStatus::kCompleted) << verdict.error;
  EXPECT_FALSE(verdict.failed()) << verdict.signature();
  bool refused = false;
  for (const ConnectionOutcomeRecord& c : verdict.report.outcomes.connections) {
    const EndOutcome& listener = c.ends[static_cast<size_t>(ConnectionSide::kListener)];
    refused = refused ||
              (listener.state == EndState::kEnded && listener.cause == CloseCause::kLocalError &&
               listener.reason.find("ERR_CONNECTION_ID_LIMIT") != std::string::npos);
  }
  EXPECT_TRUE(refused) << "the server no longer refuses the client's NEW_CONNECTION_ID: "
                          "drop the excuse in exploration_properties.cc and KNOWN.md";
}

}  // namespace
}  // namespace p2pquic::scenarios

namespace p2pquic::scenarios {
namespace {

// ngtcp2 0.12.1 aborts a server that retires one DCID sequence twice
// (KNOWN.md; fixed upstream in 354042ec, v1.4.0): the explorer counts it as
// a known crash. It must still abort, in a child process, so the excuse
// goes when an ngtcp2 with the fix is linked.
TEST(FoundCasesTest, KnownNgtcp2RetiredDcidAbortStillReproduces) {
  Scenario scenario;
  ParseError parse;
  ASSERT_EQ(
      LoadScenarioFile("tests/scenarios/known/rebind-then-three-migrations-retires-dcid-twice.json",
                       &scenario, &parse),
      ParseStatus::kOk)
      << parse.json_path << ": " << parse.reason;
  EXPECT_EQ(CrashSignatureInChild(scenario, PropertySet::kExploration), "crash:Aborted")
      << "the server no longer aborts: drop kKnownCrashes' entry in explorer.cc and KNOWN.md's";
}

}  // namespace
}  // namespace p2pquic::scenarios
