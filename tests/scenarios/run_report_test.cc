// The run summary and its JSON: duplicated datagrams are counted on the
// sent side too, so "delivered/sent" never shows more delivered than sent.
#include "scenarios/runner/run_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace p2pquic::scenarios {
namespace {

TEST(RunReportTest, DuplicatesCountOnBothSidesOfTheSummary) {
  RunReport report;
  report.scenario = "dup";
  report.datagrams_sent = 92;
  report.datagrams_duplicated = 92;
  report.datagrams_delivered = 151;
  const std::string summary = FormatSummary(report);
  EXPECT_NE(summary.find("151/184 datagrams delivered (92 sent + 92 duplicates)"),
            std::string::npos)
      << summary;
  const nlohmann::json json = nlohmann::json::parse(FormatJson(report));
  EXPECT_EQ(json["datagrams_duplicated"], 92);
  EXPECT_EQ(json["datagrams_delivered"], 151);
}

TEST(RunReportTest, WithoutDuplicatesTheSummaryIsPlain) {
  RunReport report;
  report.datagrams_sent = 4645;
  report.datagrams_delivered = 4497;
  const std::string summary = FormatSummary(report);
  EXPECT_NE(summary.find("4497/4645 datagrams delivered, "), std::string::npos) << summary;
}

}  // namespace
}  // namespace p2pquic::scenarios
