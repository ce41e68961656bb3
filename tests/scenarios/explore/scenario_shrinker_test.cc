// ShrinkScenario on synthetic predicates (no simulator): a rich scenario (3
// clients, 2 servers, 6 connections, 10 streams, faults, settings) shrinks
// to exactly the part each predicate needs, by candidates that are always
// valid, within its limits, the same way every time.
#include "scenarios/explore/scenario_shrinker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>
#include <variant>

#include "scenarios/format/scenario_parser.h"
#include "scenarios/format/scenario_writer.h"

namespace p2pquic::scenarios {
namespace {

using std::chrono::milliseconds;

constexpr char kRichScenario[] = R"json({
  "name": "rich",
  "description": "Every kind of part the shrinker removes",
  "seed": 77,
  "duration_ms": 20000,
  "settings": {"idle_timeout_ms": 20000, "keep_alive_ms": 5000, "active_connection_id_limit": 8,
               "cid_length": 16, "max_stream_window": 4194304},
  "hosts": [
    {"name": "s1", "address": "10.0.0.1:4433", "listen": true, "settings": {"idle_timeout_ms": 15000}},
    {"name": "s2", "address": "10.0.0.2:4433", "listen": true, "socket_send_buffer_bytes": 65536},
    {"name": "c1", "address": "10.0.1.1:5000", "random_seed": 7},
    {"name": "c2", "address": "10.0.1.2:5000"},
    {"name": "c3", "address": "10.0.1.3:5000", "nat": true}
  ],
  "links": {
    "default": {"delay_ms": 20, "jitter_ms": 5, "loss": 0.02},
    "overrides": [
      {"from": "c1", "to": "s1", "conditions": {"loss": 0.05, "loss_burst": 3}},
      {"from": "s2", "to": "c3", "conditions": {"bandwidth_kbps": 10000, "mtu": 1300}},
      {"from": "c2", "to": "s1", "conditions": {"duplicate": 0.1, "duplicate_delay_ms": 30,
                                                "corrupt": 0.01}}
    ],
    "bottlenecks": [
      {"name": "s1-access", "directions": [{"from": "c1", "to": "s1"}, {"from": "c2", "to": "s1"}],
       "bandwidth_kbps": 20000}
    ]
  },
  "timeline": [
    {"at_ms": 0, "action": "dial", "from": "c1", "to": "s1", "connection": "k1"},
    {"at_ms": 0, "action": "dial", "from": "c2", "to": "s1", "connection": "k2"},
    {"at_ms": 50, "action": "dial", "from": "c3", "to": "s2", "connection": "k3"},
    {"at_ms": 100, "action": "delay_cid_registration", "host": "s1", "delay_ms": 30},
    {"at_ms": 200, "action": "dial", "from": "c1", "to": "s2", "connection": "k4"},
    {"at_ms": 200, "action": "dial", "from": "c2", "to": "s2", "connection": "k5"},
    {"at_ms": 300, "action": "dial", "from": "c3", "to": "s1", "connection": "k6"},
    {"at_ms": 400, "action": "open_stream", "connection": "k1", "stream": "t1"},
    {"at_ms": 400, "action": "send", "stream": "t1", "bytes": 1048576},
    {"at_ms": 450, "action": "open_stream", "connection": "k2", "stream": "t2"},
    {"at_ms": 450, "action": "send", "stream": "t2", "bytes": 200000, "fin": false},
    {"at_ms": 460, "action": "send", "stream": "t2", "bytes": 50000},
    {"at_ms": 500, "action": "open_stream", "connection": "k3", "stream": "t3", "side": "listener"},
    {"at_ms": 500, "action": "send", "stream": "t3", "bytes": 300000},
    {"at_ms": 600, "action": "ping", "connection": "k4", "stream": "t4", "count": 5, "interval_ms": 100},
    {"at_ms": 700, "action": "identify", "connection": "k5", "stream": "t5"},
    {"at_ms": 800, "action": "perf", "connection": "k6", "stream": "t6", "upload_bytes": 100000,
     "download_bytes": 200000},
    {"at_ms": 900, "action": "open_stream", "connection": "k1", "stream": "t7"},
    {"at_ms": 900, "action": "send", "stream": "t7", "bytes": 10000, "fin": false},
    {"at_ms": 1000, "action": "reset_stream", "stream": "t7", "error_code": 9},
    {"at_ms": 1100, "action": "open_stream", "connection": "k5", "stream": "t8"},
    {"at_ms": 1100, "action": "send", "stream": "t8", "bytes": 5000},
    {"at_ms": 1200, "action": "ping", "connection": "k2", "stream": "t9", "count": 3},
    {"at_ms": 1300, "action": "identify", "connection": "k3", "stream": "t10", "side": "listener"},
    {"at_ms": 1500, "action": "partition", "hosts": ["c1"]},
    {"at_ms": 1800, "action": "heal"},
    {"at_ms": 2000, "action": "blackhole", "from": "s1", "to": "c2", "duration_ms": 400},
    {"at_ms": 2500, "action": "migrate", "host": "c2"},
    {"at_ms": 2600, "action": "set_link", "from": "c3", "to": "s2", "conditions": {"loss": 0.1}},
    {"at_ms": 3000, "action": "rebind", "host": "c3", "mode": "port"},
    {"at_ms": 4000, "action": "migrate", "host": "c1"},
    {"at_ms": 6000, "action": "close", "connection": "k4", "error_code": 5},
    {"at_ms": 9000, "action": "restart", "host": "c3"}
  ],
  "expect": [
    {"kind": "connection", "connection": "k1", "outcome": "established"},
    {"kind": "stream_intact", "stream": "t1"},
    {"kind": "stream", "stream": "t2", "outcome": "intact"},
    {"kind": "route_count", "host": "s1", "outcome": "cid_hit", "min": 1},
    {"kind": "path_validated", "host": "s1", "min": 1},
    {"kind": "registry_empty", "host": "c1"},
    {"kind": "ping", "stream": "t4", "replies": 5},
    {"kind": "identify", "stream": "t5"},
    {"kind": "perf", "stream": "t6"},
    {"kind": "delivered", "stream": "t1", "from_ms": 0, "by_ms": 5000, "min": 1000},
    {"kind": "connection", "connection": "k4", "outcome": "closed"},
    {"kind": "handshakes", "host": "s2", "count": "accepted", "max": 3},
    {"kind": "frames", "host": "c2", "connection": "k2", "frame": "new_connection_id",
     "direction": "sent", "min": 1},
    {"kind": "stream", "stream": "t7", "outcome": "reset"}
  ]
})json";

Scenario RichScenario() {
  Scenario scenario;
  ParseError error;
  EXPECT_EQ(ParseScenario(kRichScenario, &scenario, &error), ParseStatus::kOk)
      << error.json_path << ": " << error.reason;
  return scenario;
}

// The predicate under test wrapped: counts calls and checks that every
// candidate offered is valid and canonical (ToJson + ParseScenario gives it
// back unchanged).
struct CheckedPredicate {
  StillFails inner;
  size_t calls = 0;
  size_t not_round_tripping = 0;

  StillFails AsStillFails() {
    return [this](const Scenario& candidate) {
      ++calls;
      Scenario reparsed;
      ParseError error;
      if (ParseScenario(ToJson(candidate), &reparsed, &error) != ParseStatus::kOk ||
          !(reparsed == candidate)) {
        ++not_round_tripping;
      }
      return inner(candidate);
    };
  }
};

bool MigratesAfterOneSecond(const Scenario& s, const std::string& host) {
  return std::any_of(s.timeline.begin(), s.timeline.end(), [&](const Event& e) {
    const auto* migrate = std::get_if<MigrateAction>(&e.action);
    return migrate && migrate->host == host && e.at >= milliseconds(1000);
  });
}

bool SendsAtLeast(const Scenario& s, uint64_t bytes) {
  return std::any_of(s.timeline.begin(), s.timeline.end(), [&](const Event& e) {
    const auto* send = std::get_if<SendAction>(&e.action);
    return send && send->bytes >= bytes;
  });
}

// Some direction between two hosts loses at least `loss`.
bool LosesAtLeast(const Scenario& s, double loss) {
  if (s.hosts.size() < 2) return false;
  if (s.links.default_conditions.loss >= loss) return true;
  for (const LinkOverride& o : s.links.overrides) {
    if (o.conditions.loss >= loss) return true;
  }
  return std::any_of(s.timeline.begin(), s.timeline.end(), [&](const Event& e) {
    const auto* set = std::get_if<SetLinkAction>(&e.action);
    return set && set->conditions.loss >= loss;
  });
}

std::vector<std::string> HostNames(const Scenario& s) {
  std::vector<std::string> names;
  for (const Host& h : s.hosts) names.push_back(h.name);
  return names;
}

// Nothing the predicate does not need is left of the scenario's settings.
void ExpectNeutral(const Scenario& s) {
  EXPECT_EQ(s.seed, 0u);
  EXPECT_EQ(s.settings, TransportSettings{});
  EXPECT_TRUE(s.expect.empty());
  EXPECT_TRUE(s.links.overrides.empty());
  EXPECT_TRUE(s.links.bottlenecks.empty());
  for (const Host& h : s.hosts) {
    EXPECT_FALSE(h.nat) << h.name;
    EXPECT_FALSE(h.random_seed) << h.name;
    EXPECT_FALSE(h.settings) << h.name;
    EXPECT_EQ(h.socket_send_buffer_bytes, 0u) << h.name;
  }
}

TEST(ScenarioShrinkerTest, TheRichScenarioIsWhatItSays) {
  const ScenarioSize size = MeasureScenario(RichScenario());
  EXPECT_EQ(size.hosts, 5u);
  EXPECT_EQ(size.connections, 6u);
  EXPECT_EQ(size.streams, 10u);
  EXPECT_EQ(size.events, 33u);
  EXPECT_EQ(size.expectations, 14u);
  EXPECT_EQ(size.bytes, 1048576u + 200000 + 50000 + 300000 + 100000 + 200000 + 10000 + 5000);
  EXPECT_EQ(size.virtual_time, milliseconds(20000));
  EXPECT_EQ(size.json_bytes, ToJson(RichScenario()).size());
}

TEST(ScenarioShrinkerTest, AMigrationShrinksToItsDialAndTheMigrateAtTheBoundary) {
  const Scenario rich = RichScenario();
  CheckedPredicate predicate{[](const Scenario& s) { return MigratesAfterOneSecond(s, "c2"); }};
  const ShrinkResult result = ShrinkScenario(rich, predicate.AsStillFails(), ShrinkLimits{});

  EXPECT_EQ(result.stop, ShrinkStop::kFixpoint);
  EXPECT_EQ(predicate.not_round_tripping, 0u);
  EXPECT_EQ(predicate.calls, result.attempts);
  EXPECT_GT(result.invalid, 0u) << "the validity filter should have had something to refuse";
  const Scenario& m = result.minimal;
  EXPECT_TRUE(MigratesAfterOneSecond(m, "c2"));
  // Hosts are tried in file order: s1 goes first (c2 still dials s2), and
  // then s2 is needed by the migrate, which needs a dial by c2.
  EXPECT_EQ(HostNames(m), (std::vector<std::string>{"s2", "c2"}));
  ASSERT_EQ(m.timeline.size(), 2u);
  EXPECT_EQ(m.timeline[0].at, milliseconds(0));
  EXPECT_EQ(m.timeline[0].action, (EventAction{DialAction{"c2", "s2", "k5"}}));
  EXPECT_EQ(m.timeline[1].at, milliseconds(1000));
  EXPECT_EQ(m.timeline[1].kind(), Action::kMigrate);
  EXPECT_EQ(m.duration, milliseconds(1000));
  EXPECT_EQ(m.links, Links{});
  ExpectNeutral(m);
  std::cout << "migrate: " << result.attempts << " attempts, " << result.accepted << " accepted, "
            << result.invalid << " invalid, " << MeasureScenario(rich).json_bytes << " -> "
            << MeasureScenario(m).json_bytes << " JSON bytes\n";
}

TEST(ScenarioShrinkerTest, ASendSizeShrinksToTheExactBoundary) {
  CheckedPredicate predicate{[](const Scenario& s) { return SendsAtLeast(s, 100000); }};
  const ShrinkResult result = ShrinkScenario(RichScenario(), predicate.AsStillFails(), {});

  EXPECT_EQ(result.stop, ShrinkStop::kFixpoint);
  EXPECT_EQ(predicate.not_round_tripping, 0u);
  const Scenario& m = result.minimal;
  const ScenarioSize size = MeasureScenario(m);
  EXPECT_EQ(size.hosts, 2u);
  EXPECT_EQ(size.connections, 1u);
  EXPECT_EQ(size.streams, 1u);
  ASSERT_EQ(m.timeline.size(), 3u);
  EXPECT_EQ(m.timeline[1].kind(), Action::kOpenStream);
  const auto* send = std::get_if<SendAction>(&m.timeline[2].action);
  ASSERT_NE(send, nullptr);
  EXPECT_EQ(send->bytes, 100000u) << "the binary search stops at the exact boundary";
  for (const Event& e : m.timeline) EXPECT_EQ(e.at, milliseconds(0));
  EXPECT_EQ(m.duration, milliseconds(1));
  EXPECT_EQ(m.links, Links{});
  ExpectNeutral(m);
  std::cout << "send: " << result.attempts << " attempts, " << result.accepted << " accepted\n";
}

TEST(ScenarioShrinkerTest, ALossShrinksToTheDefaultLinkAtTheBoundaryRate) {
  CheckedPredicate predicate{[](const Scenario& s) { return LosesAtLeast(s, 0.01); }};
  const ShrinkResult result = ShrinkScenario(RichScenario(), predicate.AsStillFails(), {});

  EXPECT_EQ(result.stop, ShrinkStop::kFixpoint);
  EXPECT_EQ(predicate.not_round_tripping, 0u);
  const Scenario& m = result.minimal;
  EXPECT_EQ(m.hosts.size(), 2u);
  EXPECT_TRUE(m.timeline.empty());
  LinkConditions expected;
  expected.loss = 0.01;
  EXPECT_EQ(m.links.default_conditions, expected);
  ExpectNeutral(m);
}

TEST(ScenarioShrinkerTest, TheAttemptLimitStopsItWithAScenarioThatStillFails) {
  CheckedPredicate predicate{[](const Scenario& s) { return SendsAtLeast(s, 100000); }};
  ShrinkLimits limits;
  limits.max_attempts = 5;
  const Scenario rich = RichScenario();
  const ShrinkResult result = ShrinkScenario(rich, predicate.AsStillFails(), limits);

  EXPECT_EQ(result.stop, ShrinkStop::kAttemptLimit);
  EXPECT_EQ(result.attempts, 5u);
  EXPECT_EQ(predicate.calls, 5u);
  EXPECT_TRUE(SendsAtLeast(result.minimal, 100000));
  EXPECT_GT(result.accepted, 0u);
  EXPECT_LT(MeasureScenario(result.minimal).json_bytes, MeasureScenario(rich).json_bytes);
}

TEST(ScenarioShrinkerTest, TheTimeLimitStopsItOnTheInjectedClock) {
  CheckedPredicate predicate{[](const Scenario& s) { return MigratesAfterOneSecond(s, "c2"); }};
  // Each read of the clock is one second later: the budget of ten seconds
  // allows the first reading (the start) and ten candidates' checks.
  auto fake_now = std::chrono::steady_clock::time_point{};
  ShrinkLimits limits;
  limits.max_wall = std::chrono::seconds(10);
  limits.now = [&fake_now] {
    fake_now += std::chrono::seconds(1);
    return fake_now;
  };
  const ShrinkResult result = ShrinkScenario(RichScenario(), predicate.AsStillFails(), limits);

  EXPECT_EQ(result.stop, ShrinkStop::kTimeLimit);
  EXPECT_LE(result.attempts + result.invalid, 9u);
  EXPECT_GT(result.attempts, 0u);
  EXPECT_TRUE(MigratesAfterOneSecond(result.minimal, "c2"));
}

TEST(ScenarioShrinkerTest, TheSameInputsGiveTheSameResult) {
  const auto predicate = [](const Scenario& s) {
    return SendsAtLeast(s, 4000) && MigratesAfterOneSecond(s, "c1");
  };
  const ShrinkResult first = ShrinkScenario(RichScenario(), predicate, {});
  const ShrinkResult second = ShrinkScenario(RichScenario(), predicate, {});
  EXPECT_EQ(first.minimal, second.minimal);
  EXPECT_EQ(first.attempts, second.attempts);
  EXPECT_EQ(first.accepted, second.accepted);
  EXPECT_EQ(first.stop, ShrinkStop::kFixpoint);
  EXPECT_EQ(ToJson(first.minimal), ToJson(second.minimal));
  EXPECT_LT(MeasureScenario(first.minimal).json_bytes, MeasureScenario(RichScenario()).json_bytes);
}

TEST(ScenarioShrinkerTest, AScenarioThatCannotShrinkIsReturnedAsItIs) {
  const Scenario rich = RichScenario();
  const ShrinkResult result =
      ShrinkScenario(rich, [&rich](const Scenario& s) { return s == rich; }, {});
  EXPECT_EQ(result.stop, ShrinkStop::kFixpoint);
  EXPECT_EQ(result.accepted, 0u);
  EXPECT_EQ(result.minimal, rich);
  EXPECT_GT(result.attempts, 0u);
  EXPECT_STREQ(ToString(result.stop), "fixpoint");
  std::cout << "cannot shrink: " << result.attempts << " attempts, " << result.invalid
            << " invalid\n";
}

}  // namespace
}  // namespace p2pquic::scenarios
