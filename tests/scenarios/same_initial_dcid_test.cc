// The library's two-clients-same-initial-dcid scenario really is the race
// it names: both clients' first datagrams reach the server with the same
// DCID (so the registry must key initial DCIDs by DCID and address), the
// server makes a connection per client, and every repeated Initial lands on
// the connection of the address it came from. Read from the run's trace,
// which sees what the server saw; the scenario's own expectations only
// count outcomes.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "scenarios/format/scenario.h"
#include "scenarios/format/scenario_parser.h"
#include "scenarios/runner/run_report.h"
#include "scenarios/runner/scenario_runner.h"

namespace p2pquic::scenarios {
namespace {

constexpr char kScenarioFile[] = "scenarios/library/two-clients-same-initial-dcid.json";
constexpr char kServer[] = "server";
constexpr char kClientA[] = "client-a";
constexpr char kClientB[] = "client-b";
// Any seed but the file's: the clients' random_seed must not depend on it.
constexpr uint64_t kOtherRunSeed = 99;

// What the server's trace says about the clients' addresses.
struct ServerView {
  std::map<std::string, std::string> first_dcid;  // Remote address -> DCID of its first datagram.
  std::map<std::string, int64_t> connection;      // Remote address -> inbound connection index.
  std::map<std::string, int> initial_hits;        // Remote address -> initial_hit count.
  int misrouted_initial_hits = 0;                 // Routed to another address's connection.
};

Scenario Load() {
  Scenario scenario;
  ParseError error;
  EXPECT_EQ(LoadScenarioFile(kScenarioFile, &scenario, &error), ParseStatus::kOk)
      << error.json_path << ": " << error.reason;
  return scenario;
}

std::string AddressOf(const Scenario& scenario, const char* host) {
  const Host* found = scenario.FindHost(host);
  return found == nullptr ? "" : found->address.ToString();
}

// Runs `scenario` with a trace and reads the server's lines.
ServerView RunAndRead(const Scenario& scenario, const RunOptions& base, RunReport* report) {
  std::ostringstream trace;
  RunOptions options = base;
  options.trace = &trace;
  std::string error;
  EXPECT_EQ(RunScenario(scenario, options, report, &error), RunStatus::kCompleted) << error;

  ServerView view;
  std::istringstream lines(trace.str());
  // Initial hits are checked after every line is read, against the
  // connection each address created.
  std::multimap<std::string, int64_t> hits;
  for (std::string line; std::getline(lines, line);) {
    const nlohmann::json event = nlohmann::json::parse(line);
    if (event.at("host") != kServer) continue;
    const std::string kind = event.at("ev");
    if (kind == "connection_created" && event.at("inbound").get<bool>()) {
      view.connection.emplace(event.at("remote").get<std::string>(),
                              event.at("conn").get<int64_t>());
    } else if (kind == "datagram_in") {
      const std::string from = event.at("from");
      view.first_dcid.emplace(from, event.at("dcid").get<std::string>());
      if (event.at("route") == "initial_hit") hits.emplace(from, event.at("conn").get<int64_t>());
    }
  }
  for (const auto& [from, connection] : hits) {
    ++view.initial_hits[from];
    auto created = view.connection.find(from);
    if (created == view.connection.end() || created->second != connection) {
      ++view.misrouted_initial_hits;
    }
  }
  return view;
}

TEST(SameInitialDcidTest, BothClientsOpenWithTheSameDcidAndEachIsRoutedToItsOwnConnection) {
  const Scenario scenario = Load();
  const std::string a = AddressOf(scenario, kClientA), b = AddressOf(scenario, kClientB);
  ASSERT_NE(a, b);
  ASSERT_TRUE(scenario.FindHost(kClientA)->random_seed.has_value());
  EXPECT_EQ(scenario.FindHost(kClientA)->random_seed, scenario.FindHost(kClientB)->random_seed);
  RunReport report;
  const ServerView view = RunAndRead(scenario, RunOptions{}, &report);
  EXPECT_TRUE(report.passed) << FormatSummary(report);

  ASSERT_EQ(view.first_dcid.count(a), 1u);
  ASSERT_EQ(view.first_dcid.count(b), 1u);
  EXPECT_FALSE(view.first_dcid.at(a).empty());
  EXPECT_EQ(view.first_dcid.at(a), view.first_dcid.at(b));

  ASSERT_EQ(view.connection.size(), 2u);
  ASSERT_EQ(view.connection.count(a), 1u);
  ASSERT_EQ(view.connection.count(b), 1u);
  EXPECT_NE(view.connection.at(a), view.connection.at(b));

  // The repeated Initials carry the shared DCID: only the address tells
  // the two connections apart.
  EXPECT_GE(view.initial_hits.count(a) ? view.initial_hits.at(a) : 0, 1);
  EXPECT_GE(view.initial_hits.count(b) ? view.initial_hits.at(b) : 0, 1);
  EXPECT_EQ(view.misrouted_initial_hits, 0);
}

TEST(SameInitialDcidTest, TheSharedDcidComesFromRandomSeedNotFromTheRunSeed) {
  const Scenario scenario = Load();
  const std::string a = AddressOf(scenario, kClientA), b = AddressOf(scenario, kClientB);
  RunReport report;
  const ServerView file_seed = RunAndRead(scenario, RunOptions{}, &report);
  RunOptions reseeded;
  reseeded.seed = kOtherRunSeed;
  ASSERT_NE(kOtherRunSeed, scenario.seed);
  const ServerView other_seed = RunAndRead(scenario, reseeded, &report);
  ASSERT_EQ(file_seed.first_dcid.count(a), 1u);
  ASSERT_EQ(other_seed.first_dcid.count(a), 1u);
  ASSERT_EQ(other_seed.first_dcid.count(b), 1u);
  EXPECT_EQ(other_seed.first_dcid.at(a), file_seed.first_dcid.at(a));
  EXPECT_EQ(other_seed.first_dcid.at(b), file_seed.first_dcid.at(a));
}

TEST(SameInitialDcidTest, WithoutRandomSeedTheClientsPickDifferentDcids) {
  // The control: it is the shared random_seed, not the topology, that makes
  // the DCIDs collide.
  Scenario scenario = Load();
  for (Host& host : scenario.hosts) host.random_seed.reset();
  RunReport report;
  const ServerView view = RunAndRead(scenario, RunOptions{}, &report);
  const std::string a = AddressOf(scenario, kClientA), b = AddressOf(scenario, kClientB);
  ASSERT_EQ(view.first_dcid.count(a), 1u);
  ASSERT_EQ(view.first_dcid.count(b), 1u);
  EXPECT_NE(view.first_dcid.at(a), view.first_dcid.at(b));
}

}  // namespace
}  // namespace p2pquic::scenarios
