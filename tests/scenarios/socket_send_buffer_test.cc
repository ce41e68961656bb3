// Replays the library's socket-send-buffer scenario and checks from the
// hosts' metrics what its expectations cannot say: the client's socket
// really said EAGAIN, the endpoint counted it as blocked (never as a send
// failure) and dropped nothing it held, and the link tail-dropped nothing.
// Without the buffer the same run tail-drops: the knob is what changes it.
#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>

#include "scenarios/format/scenario.h"
#include "scenarios/format/scenario_parser.h"
#include "scenarios/runner/run_report.h"
#include "scenarios/runner/scenario_runner.h"

namespace p2pquic::scenarios {
namespace {

constexpr char kFile[] = "scenarios/library/socket-send-buffer.json";
constexpr char kClient[] = "client";
// Seeds other than the file's: it must pass at any seed.
constexpr uint64_t kOtherSeeds[] = {1, 98879475, 18446744073709551615ULL};

Scenario Load() {
  Scenario scenario;
  ParseError error;
  EXPECT_EQ(LoadScenarioFile(kFile, &scenario, &error), ParseStatus::kOk)
      << error.json_path << ": " << error.reason;
  return scenario;
}

RunReport Replay(const Scenario& scenario, std::optional<uint64_t> seed = std::nullopt) {
  RunOptions options;
  options.seed = seed;
  options.metrics = true;
  RunReport report;
  std::string error;
  EXPECT_EQ(RunScenario(scenario, options, &report, &error), RunStatus::kCompleted) << error;
  return report;
}

// One counter of one host from the run's metrics text ("# host NAME"
// sections); -1 if absent.
double HostCounter(const RunReport& report, const std::string& host, const std::string& series) {
  std::istringstream lines(report.metrics_text);
  bool inside = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("# host ", 0) == 0) inside = line == "# host " + host;
    if (inside && line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size()));
  }
  return -1;
}

void ExpectBackpressureNotLoss(const RunReport& report) {
  EXPECT_TRUE(report.passed) << FormatSummary(report);
  EXPECT_GT(HostCounter(report, kClient, "p2pquic_endpoint_send_blocked_total"), 0);
  EXPECT_GT(HostCounter(report, kClient, "p2pquic_endpoint_held_datagrams_total"), 0);
  EXPECT_EQ(HostCounter(report, kClient, "p2pquic_endpoint_held_datagrams_dropped_total"), 0);
  EXPECT_EQ(HostCounter(report, kClient, "p2pquic_endpoint_send_failures_total"), 0);
  // No loss is configured: every datagram sent arrived, none tail-dropped.
  EXPECT_EQ(report.datagrams_delivered, report.datagrams_sent);
}

TEST(SocketSendBufferScenarioTest, TheClientBlocksAndNothingIsLost) {
  const Scenario scenario = Load();
  ASSERT_EQ(scenario.hosts[1].name, kClient);
  ASSERT_GT(scenario.hosts[1].socket_send_buffer_bytes, 0u);
  ExpectBackpressureNotLoss(Replay(scenario));
}

TEST(SocketSendBufferScenarioTest, ItHoldsAtOtherSeeds) {
  const Scenario scenario = Load();
  for (uint64_t seed : kOtherSeeds) {
    SCOPED_TRACE(seed);
    ExpectBackpressureNotLoss(Replay(scenario, seed));
  }
}

TEST(SocketSendBufferScenarioTest, WithoutTheBufferTheLinkTailDropsInstead) {
  Scenario scenario = Load();
  scenario.hosts[1].socket_send_buffer_bytes = 0;
  const RunReport report = Replay(scenario);
  EXPECT_TRUE(report.passed) << FormatSummary(report);  // Loss recovery copes.
  EXPECT_EQ(HostCounter(report, kClient, "p2pquic_endpoint_send_blocked_total"), 0);
  EXPECT_LT(report.datagrams_delivered, report.datagrams_sent);
}

}  // namespace
}  // namespace p2pquic::scenarios
