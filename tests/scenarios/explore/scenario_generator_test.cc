#include "scenarios/explore/scenario_generator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "scenarios/explore/scenario_features.h"
#include "scenarios/format/scenario.h"
#include "scenarios/format/scenario_parser.h"
#include "scenarios/format/scenario_writer.h"

namespace p2pquic::scenarios {
namespace {

using std::chrono::milliseconds;

// Case seeds as a campaign draws them: spread over the whole range.
uint64_t CaseSeed(uint64_t i) { return i * 0x9e3779b97f4a7c15ULL + 12345; }

// Payload the timeline asks for: every send, and perf both ways.
uint64_t PayloadBytes(const Scenario& s) {
  uint64_t bytes = 0;
  for (const Event& e : s.timeline) {
    if (const auto* send = std::get_if<SendAction>(&e.action)) bytes += send->bytes;
    if (const auto* perf = std::get_if<PerfAction>(&e.action)) {
      bytes += perf->upload_bytes + perf->download_bytes;
    }
  }
  return bytes;
}

// Every dialed connection ends in the timeline: closed, or one of its ends
// restarted after the dial. Returns the first that does not, or "".
std::string UnendedConnection(const Scenario& s) {
  std::map<std::string, std::pair<std::string, std::string>> open;  // Name -> (from, to).
  for (const Event& e : s.timeline) {
    if (const auto* dial = std::get_if<DialAction>(&e.action)) {
      open[dial->connection] = {dial->from, dial->to};
    } else if (const auto* close = std::get_if<CloseAction>(&e.action)) {
      open.erase(close->connection);
    } else if (const auto* restart = std::get_if<RestartAction>(&e.action)) {
      std::erase_if(open, [&](const auto& entry) {
        return entry.second.first == restart->host || entry.second.second == restart->host;
      });
    }
  }
  return open.empty() ? "" : open.begin()->first;
}

TEST(ScenarioGeneratorTest, EveryCaseParsesBackEqualAndEndsEveryConnection) {
  constexpr uint64_t kCases = 3000;
  for (uint64_t i = 0; i < kCases; ++i) {
    const uint64_t seed = CaseSeed(i);
    const Scenario generated = GenerateScenario(seed);
    const std::string json = ToJson(generated);
    Scenario parsed;
    ParseError error;
    ASSERT_EQ(ParseScenario(json, &parsed, &error), ParseStatus::kOk)
        << "case seed " << seed << ": " << error.json_path << ": " << error.reason << "\n"
        << json;
    ASSERT_EQ(parsed, generated) << "case seed " << seed << ": the parsed scenario differs\n"
                                 << json << "\nparsed back:\n"
                                 << ToJson(parsed);
    ASSERT_EQ(UnendedConnection(generated), "") << "case seed " << seed << "\n" << json;
    ASSERT_TRUE(generated.expect.empty()) << "case seed " << seed;
    // The run outlasts the last event by the longest idle timeout at least.
    Duration idle{};
    for (const Host& h : generated.hosts)
      idle = std::max(idle, generated.SettingsOf(h).idle_timeout);
    ASSERT_FALSE(generated.timeline.empty()) << "case seed " << seed;
    ASSERT_GE(generated.duration, generated.timeline.back().at + idle + milliseconds(kEndMarginMs))
        << "case seed " << seed;
  }
}

TEST(ScenarioGeneratorTest, NamesTheCaseSeed) {
  const Scenario s = GenerateScenario(0x0123456789abcdefULL);
  EXPECT_EQ(s.name, "explored-0123456789abcdef");
  EXPECT_NE(s.description.find("p2pquic-sim explore"), std::string::npos) << s.description;
  EXPECT_NE(s.description.find("0123456789abcdef"), std::string::npos) << s.description;
}

TEST(ScenarioGeneratorTest, SameSeedSameScenarioDifferentSeedsDiffer) {
  constexpr uint64_t kCases = 200;
  std::set<std::string> files;
  std::set<uint64_t> run_seeds;
  for (uint64_t i = 0; i < kCases; ++i) {
    const uint64_t seed = CaseSeed(i);
    const Scenario first = GenerateScenario(seed);
    ASSERT_EQ(first, GenerateScenario(seed)) << "case seed " << seed;
    files.insert(ToJson(first));
    run_seeds.insert(first.seed);
  }
  EXPECT_EQ(files.size(), kCases);
  EXPECT_EQ(run_seeds.size(), kCases);
  // Neighbouring seeds differ too, not only spread-out ones.
  EXPECT_NE(ToJson(GenerateScenario(1)), ToJson(GenerateScenario(2)));
  EXPECT_NE(ToJson(GenerateScenario(0)), ToJson(GenerateScenario(1)));
}

TEST(ScenarioGeneratorTest, ReachesEveryFeatureAtTheTargetMeanSize) {
  constexpr uint64_t kCases = 2000;
  constexpr int kMinTimesEach = 5;
  std::map<std::string, int> counts;
  for (const std::string& name : AllScenarioFeatures()) counts[name] = 0;
  double hosts = 0, connections = 0, bytes = 0, events = 0, duration_s = 0;
  uint64_t max_bytes = 0;
  for (uint64_t i = 0; i < kCases; ++i) {
    const Scenario s = GenerateScenario(CaseSeed(i));
    for (const std::string& feature : ScenarioFeatures(s)) ++counts.at(feature);
    hosts += s.hosts.size();
    for (const Event& e : s.timeline) connections += e.kind() == Action::kDial ? 1 : 0;
    const uint64_t payload = PayloadBytes(s);
    bytes += payload;
    max_bytes = std::max(max_bytes, payload);
    events += s.timeline.size();
    duration_s += std::chrono::duration<double>(s.duration).count();
  }
  hosts /= kCases;
  connections /= kCases;
  bytes /= kCases;
  events /= kCases;
  duration_s /= kCases;
  std::printf(
      "mean per case over %llu cases: %.2f hosts, %.2f connections, %.0f KiB payload "
      "(largest %llu KiB), %.1f events, %.1f s virtual duration\n",
      static_cast<unsigned long long>(kCases), hosts, connections, bytes / 1024,
      static_cast<unsigned long long>(max_bytes / 1024), events, duration_s);
  for (const auto& [name, count] : counts) std::printf("  %-28s %5d\n", name.c_str(), count);
  for (const auto& [name, count] : counts) {
    EXPECT_GE(count, kMinTimesEach) << "feature " << name << " reached only " << count << " times";
  }
  EXPECT_GE(hosts, 2.0);
  EXPECT_LE(hosts, 3.5);
  EXPECT_GE(connections, 1.0);
  EXPECT_LE(connections, 3.0);
  EXPECT_GE(bytes, 100.0 * 1024);
  EXPECT_LE(bytes, 600.0 * 1024);
}

// A client behind a NAT dials the server, uploads, the server pings it,
// the client migrates, its NAT rebinds, the server closes.
Scenario SmallScenario() {
  Scenario s;
  s.name = "features";
  s.description = "hand-built";
  s.seed = 1;
  s.duration = milliseconds(10'000);
  s.settings.keep_alive = milliseconds(1'000);
  Host server{"s1", SocketAddress::Ipv4({10, 0, 0, 1}, 4433), true, false, {}, 0, {}};
  Host client{"c1", SocketAddress::Ipv4({10, 0, 1, 2}, 50000), false, true, {}, 0, {}};
  s.hosts = {server, client};
  s.links.default_conditions.loss = 0.01;
  LinkConditions up = s.links.default_conditions;
  up.bandwidth_kbps = 5'000;
  s.links.overrides = {LinkOverride{"c1", "s1", up}};
  s.timeline = {
      Event{milliseconds(0), DialAction{"c1", "s1", "conn1"}},
      Event{milliseconds(0), OpenStreamAction{"conn1", "up-1", ConnectionSide::kDialer}},
      Event{milliseconds(0), SendAction{"up-1", 100, true}},
      Event{milliseconds(100),
            PingAction{"conn1", "ping-1", ConnectionSide::kListener, 3, milliseconds(10)}},
      Event{milliseconds(500), MigrateAction{"c1", SocketAddress::Ipv4({10, 0, 1, 2}, 50001)}},
      Event{milliseconds(600), RebindAction{"c1", RebindMode::kPort}},
      Event{milliseconds(3'000), CloseAction{"conn1", 7, ConnectionSide::kListener}},
  };
  return s;
}

TEST(ScenarioFeaturesTest, HandBuiltScenarioHasExactlyItsFeatures) {
  const Scenario built = SmallScenario();
  Scenario parsed;
  ParseError error;
  ASSERT_EQ(ParseScenario(ToJson(built), &parsed, &error), ParseStatus::kOk)
      << error.json_path << ": " << error.reason;
  ASSERT_EQ(parsed, built);
  const std::vector<std::string> expected = {"clients_1",
                                             "servers_1",
                                             "nat",
                                             "stream_dialer_side",
                                             "streams_per_connection_2+",
                                             "ping",
                                             "protocol_listener_side",
                                             "loss",
                                             "bandwidth",
                                             "asymmetric_link",
                                             "rebind_port",
                                             "migrate",
                                             "migrate_nat",
                                             "close_listener",
                                             "close_late",
                                             "keep_alive"};
  EXPECT_EQ(ScenarioFeatures(built), expected);
}

TEST(ScenarioFeaturesTest, ClosesAreClassifiedByTheirTiming) {
  Scenario s = SmallScenario();
  s.timeline.back().at = milliseconds(900);  // 800 ms after the ping: mid-transfer.
  std::vector<std::string> features = ScenarioFeatures(s);
  EXPECT_NE(std::find(features.begin(), features.end(), "close_mid_transfer"), features.end());
  EXPECT_EQ(std::find(features.begin(), features.end(), "close_late"), features.end());

  // Closed 5 ms after the dial, before anything else: mid-handshake.
  s.timeline = {Event{milliseconds(0), DialAction{"c1", "s1", "conn1"}},
                Event{milliseconds(5), CloseAction{"conn1", 70000, ConnectionSide::kDialer}}};
  features = ScenarioFeatures(s);
  for (const char* name : {"close_mid_handshake", "close_dialer", "close_error_code_large"}) {
    EXPECT_NE(std::find(features.begin(), features.end(), name), features.end()) << name;
  }
  EXPECT_EQ(std::find(features.begin(), features.end(), "close_mid_transfer"), features.end());
}

TEST(ScenarioFeaturesTest, FloodsAndRetrySettingsAreFeatures) {
  Scenario s = SmallScenario();
  TransportSettings never = s.settings;
  never.retry = RetryPolicy::kNever;
  never.new_tokens = NewTokens::kOff;
  s.hosts[0].settings = never;
  s.timeline.insert(s.timeline.begin() + 1,
                    Event{milliseconds(0), FloodAction{"s1", FloodPayload::kJunkLong, 100,
                                                       milliseconds(500), 2000}});
  const std::vector<std::string> features = ScenarioFeatures(s);
  for (const char* name : {"retry_never", "new_tokens_off", "flood_junk_long", "flood_many_sources",
                           "flood_retry_never"}) {
    EXPECT_NE(std::find(features.begin(), features.end(), name), features.end()) << name;
  }
  for (const char* name : {"retry_always", "flood_initial_replay", "flood_junk_short"}) {
    EXPECT_EQ(std::find(features.begin(), features.end(), name), features.end()) << name;
  }
}

TEST(ScenarioFeaturesTest, NamesAreUniqueSnakeCase) {
  std::set<std::string> seen;
  for (const std::string& name : AllScenarioFeatures()) {
    EXPECT_TRUE(seen.insert(name).second) << "twice: " << name;
    for (char c : name) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '+') << name;
    }
  }
}

}  // namespace
}  // namespace p2pquic::scenarios
