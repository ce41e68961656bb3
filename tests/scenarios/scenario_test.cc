// The scenario format end to end: a complete file parses to exactly the
// expected structs, omitted fields take their documented defaults, ToJson
// round-trips, and the example files parse.
#include "scenarios/format/scenario.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>

#include "scenarios/format/scenario_parser.h"
#include "scenarios/format/scenario_writer.h"
#include "tests/scenarios/complete_scenario.h"
#include "transport/quic/connection/quic_config.h"
#include "transport/routing/registry_settings.h"

namespace p2pquic::scenarios {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kMinimalScenario = R"json({
  "name": "minimal",
  "description": "Only what is required",
  "seed": 1,
  "duration_ms": 1000,
  "hosts": [
    {"name": "server", "address": "10.0.0.1:4433", "listen": true},
    {"name": "client", "address": "10.0.1.2:65535"}
  ],
  "timeline": [
    {"at_ms": 0, "action": "dial", "from": "client", "to": "server", "connection": "c1"},
    {"at_ms": 0, "action": "open_stream", "connection": "c1", "stream": "s1"},
    {"at_ms": 1, "action": "send", "stream": "s1", "bytes": 1},
    {"at_ms": 2, "action": "migrate", "host": "client", "address": "10.0.1.2:7"},
    {"at_ms": 3, "action": "migrate", "host": "client"},
    {"at_ms": 4, "action": "close", "connection": "c1"}
  ],
  "expect": [
    {"kind": "route_count", "host": "server", "outcome": "fallback"},
    {"kind": "path_validated", "host": "client"},
    {"kind": "stateless_resets", "host": "server"},
    {"kind": "delivered", "stream": "s1", "by_ms": 900, "min": 1},
    {"kind": "connection", "connection": "c1", "outcome": "closed"}
  ]
})json";

// Parses `json`, failing the test with the parser's error if it is refused.
Scenario MustParse(std::string_view json) {
  Scenario scenario;
  ParseError error;
  const ParseStatus status = ParseScenario(json, &scenario, &error);
  EXPECT_EQ(status, ParseStatus::kOk) << error.json_path << ": " << error.reason;
  return scenario;
}

// Equality with a readable diff: the canonical JSON of both sides.
void ExpectSameScenario(const Scenario& actual, const Scenario& expected) {
  EXPECT_EQ(ToJson(actual), ToJson(expected));
  EXPECT_TRUE(actual == expected);
}

TEST(ScenarioTest, ACompleteFileParsesToTheExpectedStructs) {
  ExpectSameScenario(MustParse(testing::kCompleteScenarioJson), testing::CompleteScenario());
}

TEST(ScenarioTest, EventKindsAndExpectationKindsFollowTheirAlternatives) {
  const Scenario s = testing::CompleteScenario();
  EXPECT_EQ(s.timeline[0].kind(), Action::kDelayCidRegistration);
  EXPECT_EQ(s.timeline[1].kind(), Action::kDial);
  EXPECT_EQ(s.timeline[6].kind(), Action::kPing);
  EXPECT_EQ(s.timeline[7].kind(), Action::kIdentify);
  EXPECT_EQ(s.timeline[8].kind(), Action::kPerf);
  EXPECT_EQ(s.timeline[14].kind(), Action::kHeal);
  EXPECT_EQ(s.timeline[s.timeline.size() - 5].kind(), Action::kResetStream);
  EXPECT_EQ(s.timeline[s.timeline.size() - 3].kind(), Action::kFlood);
  EXPECT_EQ(s.timeline.back().kind(), Action::kClose);
  EXPECT_EQ(s.expect[2].kind(), ExpectationKind::kStreamIntact);
  EXPECT_EQ(s.expect[7].kind(), ExpectationKind::kStatelessResets);
  EXPECT_EQ(s.expect[8].kind(), ExpectationKind::kStatelessResets);
  EXPECT_EQ(s.expect[9].kind(), ExpectationKind::kFrames);
  EXPECT_EQ(s.expect[11].kind(), ExpectationKind::kFrameOrder);
  EXPECT_EQ(s.expect[12].kind(), ExpectationKind::kDelivered);
  EXPECT_EQ(s.expect[13].kind(), ExpectationKind::kHandshakes);
  EXPECT_EQ(s.expect[14].kind(), ExpectationKind::kStream);
  EXPECT_EQ(s.expect[16].kind(), ExpectationKind::kPing);
  EXPECT_EQ(s.expect[18].kind(), ExpectationKind::kIdentify);
  EXPECT_EQ(s.expect[s.expect.size() - 2].kind(), ExpectationKind::kPerf);
  EXPECT_EQ(s.expect.back().kind(), ExpectationKind::kFloodAnswers);
}

TEST(ScenarioTest, TheCompleteScenarioHasEveryActionAndExpectationKind) {
  const Scenario s = testing::CompleteScenario();
  std::set<Action> actions;
  for (const Event& event : s.timeline) actions.insert(event.kind());
  EXPECT_EQ(actions.size(), static_cast<size_t>(kActionCount));
  std::set<ExpectationKind> kinds;
  for (const Expectation& expectation : s.expect) kinds.insert(expectation.kind());
  EXPECT_EQ(kinds.size(), static_cast<size_t>(kExpectationKindCount));
}

TEST(ScenarioTest, OmittedFieldsTakeTheProductionDefaults) {
  const Scenario s = MustParse(kMinimalScenario);
  const QuicConfig quic;
  EXPECT_EQ(s.settings.idle_timeout, quic.idle_timeout);
  EXPECT_EQ(s.settings.handshake_timeout, quic.handshake_timeout);
  EXPECT_EQ(s.settings.keep_alive, Duration::zero());
  EXPECT_EQ(s.settings.retired_cid_grace, RegistrySettings{}.retired_cid_grace);
  EXPECT_EQ(s.settings.retired_cid_grace, milliseconds(999));
  EXPECT_EQ(s.settings.active_connection_id_limit, 4u);
  EXPECT_EQ(s.settings.cid_length, 8u);
  EXPECT_EQ(s.settings.connection_window, quic.connection_window);
  EXPECT_EQ(s.settings.stream_window, quic.stream_window);
  EXPECT_EQ(s.settings.max_connection_window, quic.max_connection_window);
  EXPECT_EQ(s.settings.max_stream_window, quic.max_stream_window);
  EXPECT_EQ(s.settings.stream_send_buffer, quic.stream_send_buffer);
  EXPECT_EQ(s.settings.max_stream_send_buffer, quic.max_stream_send_buffer);
  EXPECT_EQ(s.settings.max_connection_send_buffer, quic.max_connection_send_buffer);
  EXPECT_EQ(s.links, Links{});
  EXPECT_EQ(s.links.default_conditions.delay, milliseconds(10));
  EXPECT_EQ(s.links.default_conditions.mtu, 1472u);
  EXPECT_EQ(s.links.default_conditions.loss_burst, 1u);
  EXPECT_FALSE(s.hosts[1].listen);
  EXPECT_FALSE(s.hosts[1].nat);
  EXPECT_FALSE(s.hosts[1].random_seed.has_value());    // Absent: derived from the run's seed.
  EXPECT_FALSE(s.hosts[1].settings.has_value());       // Absent: the scenario's.
  EXPECT_EQ(s.hosts[1].socket_send_buffer_bytes, 0u);  // Unlimited: sends never block.
  EXPECT_EQ(&s.SettingsOf(s.hosts[1]), &s.settings);
}

TEST(ScenarioTest, AHostsSettingsStartFromTheScenarios) {
  const Scenario s = testing::CompleteScenario();
  const Host& client = *s.FindHost("client");
  ASSERT_TRUE(client.settings.has_value());
  const TransportSettings& own = s.SettingsOf(client);
  EXPECT_EQ(&own, &*client.settings);
  EXPECT_EQ(own.idle_timeout, milliseconds(15000));  // Its own.
  EXPECT_EQ(own.max_stream_send_buffer, 1048576u);
  EXPECT_EQ(own.handshake_timeout, milliseconds(5000));  // The scenario's.
  EXPECT_EQ(own.max_connection_send_buffer, 16777216u);
  EXPECT_EQ(own.cid_length, 12u);
  // The other hosts run with the scenario's settings.
  EXPECT_EQ(&s.SettingsOf(*s.FindHost("server")), &s.settings);
}

TEST(ScenarioTest, ToJsonWritesHostSettingsOnlyWhenTheHostHasThem) {
  const std::string without = ToJson(MustParse(kMinimalScenario));
  // Only the scenario's own settings object.
  EXPECT_EQ(without.find("\"settings\""), without.rfind("\"settings\"")) << without;
  Scenario s = MustParse(kMinimalScenario);
  TransportSettings own = s.settings;
  own.max_stream_send_buffer = 1 << 20;
  s.hosts[1].settings = own;
  const Scenario reparsed = MustParse(ToJson(s));
  ExpectSameScenario(reparsed, s);
  // Present and equal to the scenario's is still "its own": it stays put
  // when the scenario's settings change later.
  s.hosts[1].settings = s.settings;
  EXPECT_FALSE(s == MustParse(kMinimalScenario));
  ExpectSameScenario(MustParse(ToJson(s)), s);
}

TEST(ScenarioTest, OmittedEventAndExpectationFieldsTakeTheirDefaults) {
  const Scenario s = MustParse(kMinimalScenario);
  EXPECT_TRUE(std::get<SendAction>(s.timeline[2].action).fin);
  EXPECT_EQ(std::get<CloseAction>(s.timeline[5].action).error_code, 0u);
  const auto& route = std::get<RouteCountExpectation>(s.expect[0].check);
  EXPECT_EQ(route.outcome, RouteOutcome::kFallback);
  EXPECT_EQ(route.min, 0u);
  EXPECT_FALSE(route.max.has_value());
  EXPECT_EQ(std::get<PathValidatedExpectation>(s.expect[1].check).min, 1u);
  EXPECT_EQ(std::get<StatelessResetsExpectation>(s.expect[2].check).min, 1u);
  EXPECT_FALSE(std::get<StatelessResetsExpectation>(s.expect[2].check).max.has_value());
  const auto& delivered = std::get<DeliveredExpectation>(s.expect[3].check);
  EXPECT_EQ(delivered.from, Duration::zero());
  EXPECT_EQ(delivered.by, milliseconds(900));
  EXPECT_EQ(delivered.min, 1u);
  EXPECT_FALSE(delivered.max.has_value());
  const auto& connection = std::get<ConnectionExpectation>(s.expect[4].check);
  EXPECT_EQ(connection.side, ConnectionSide::kDialer);  // Today's meaning.
  EXPECT_FALSE(connection.error.has_value());
  EXPECT_FALSE(connection.ended.has_value());
  EXPECT_FALSE(connection.by.has_value());
}

// Every new action and expectation with only its required fields.
constexpr std::string_view kProtocolsScenario = R"json({
  "name": "protocols",
  "description": "Listener-opened streams, resets, ping, identify and perf, defaults only",
  "seed": 1,
  "duration_ms": 5000,
  "hosts": [
    {"name": "server", "address": "10.0.0.1:4433", "listen": true},
    {"name": "client", "address": "10.0.1.2:50000"}
  ],
  "timeline": [
    {"at_ms": 0, "action": "dial", "from": "client", "to": "server", "connection": "c1"},
    {"at_ms": 0, "action": "open_stream", "connection": "c1", "stream": "up"},
    {"at_ms": 0, "action": "send", "stream": "up", "bytes": 1000},
    {"at_ms": 0, "action": "ping", "connection": "c1", "stream": "p1", "count": 3},
    {"at_ms": 0, "action": "identify", "connection": "c1", "stream": "id1"},
    {"at_ms": 0, "action": "perf", "connection": "c1", "stream": "perf1"},
    {"at_ms": 10, "action": "reset_stream", "stream": "up"},
    {"at_ms": 20, "action": "ping", "connection": "c1", "stream": "p2"},
    {"at_ms": 4000, "action": "close", "connection": "c1"}
  ],
  "expect": [
    {"kind": "stream", "stream": "up", "outcome": "unfinished"},
    {"kind": "ping", "stream": "p1"},
    {"kind": "identify", "stream": "id1"},
    {"kind": "perf", "stream": "perf1"},
    {"kind": "ping", "stream": "p2", "replies": 1}
  ]
})json";

TEST(ScenarioTest, OmittedFieldsOfStreamsAndProtocolsTakeTheirDefaults) {
  const Scenario s = MustParse(kProtocolsScenario);
  EXPECT_EQ(std::get<OpenStreamAction>(s.timeline[1].action).side, ConnectionSide::kDialer);
  const auto& ping = std::get<PingAction>(s.timeline[3].action);
  EXPECT_EQ(ping.side, ConnectionSide::kDialer);
  EXPECT_EQ(ping.count, 3u);
  EXPECT_EQ(ping.interval, Duration::zero());
  EXPECT_EQ(std::get<IdentifyAction>(s.timeline[4].action).side, ConnectionSide::kDialer);
  const auto& perf = std::get<PerfAction>(s.timeline[5].action);
  EXPECT_EQ(perf.side, ConnectionSide::kDialer);
  EXPECT_EQ(perf.upload_bytes, 0u);
  EXPECT_EQ(perf.download_bytes, 0u);
  EXPECT_EQ(std::get<ResetStreamAction>(s.timeline[6].action).error_code, 0u);
  EXPECT_EQ(std::get<PingAction>(s.timeline[7].action).count, 1u);
  EXPECT_EQ(std::get<CloseAction>(s.timeline[8].action).side, ConnectionSide::kDialer);
  EXPECT_EQ(std::get<StreamExpectation>(s.expect[0].check).outcome, StreamOutcome::kUnfinished);
  // Without "replies" every ping the stream sends must be answered.
  const auto& replies = std::get<PingExpectation>(s.expect[1].check);
  EXPECT_EQ(replies.replies, 3u);
  EXPECT_FALSE(replies.max_rtt.has_value());
  const auto& identify = std::get<IdentifyExpectation>(s.expect[2].check);
  EXPECT_FALSE(identify.agent_version.has_value());
  EXPECT_TRUE(identify.protocols.empty());
  EXPECT_FALSE(identify.observed_address.has_value());
  EXPECT_EQ(std::get<PingExpectation>(s.expect[4].check).replies, 1u);
}

TEST(ScenarioTest, StreamAndProtocolFieldsRoundTripAtTheirLimits) {
  Scenario s = MustParse(kProtocolsScenario);
  std::get<OpenStreamAction>(s.timeline[1].action).side = ConnectionSide::kListener;
  auto& ping = std::get<PingAction>(s.timeline[3].action);
  ping.side = ConnectionSide::kListener;
  ping.count = kMaxPingCount;
  ping.interval = kMaxScenarioDuration;
  std::get<IdentifyAction>(s.timeline[4].action).side = ConnectionSide::kListener;
  auto& perf = std::get<PerfAction>(s.timeline[5].action);
  perf.side = ConnectionSide::kListener;
  perf.upload_bytes = kMaxSendBytes;
  perf.download_bytes = 1;
  std::get<ResetStreamAction>(s.timeline[6].action).error_code = kMaxErrorCode;
  std::get<CloseAction>(s.timeline[8].action).side = ConnectionSide::kListener;
  std::get<StreamExpectation>(s.expect[0].check).outcome = StreamOutcome::kReset;
  auto& replies = std::get<PingExpectation>(s.expect[1].check);
  replies.replies = kMaxPingCount;
  replies.max_rtt = milliseconds(1);
  auto& identify = std::get<IdentifyExpectation>(s.expect[2].check);
  identify.agent_version = std::string(256, 'a');
  identify.protocols = {"/ipfs/ping/1.0.0", "/ipfs/id/1.0.0", "/p2pquic/sim/transfer/1.0.0",
                        std::string(256, 'p')};
  SocketAddress observed;
  ASSERT_EQ(SocketAddress::Parse("[2001:db8::9]:65535", &observed), AddressParseStatus::kOk);
  identify.observed_address = observed;
  std::get<PingExpectation>(s.expect[4].check).max_rtt = kMaxScenarioDuration;

  const std::string canonical = ToJson(s);
  const Scenario reparsed = MustParse(canonical);
  ExpectSameScenario(reparsed, s);
  EXPECT_EQ(ToJson(reparsed), canonical);
  EXPECT_FALSE(reparsed == MustParse(kProtocolsScenario));
}

TEST(ScenarioTest, ToJsonWritesStreamAndProtocolDefaultsExplicitly) {
  const std::string canonical = ToJson(MustParse(kProtocolsScenario));
  for (const char* field : {R"("stream": "up",
      "side": "dialer")",
                            R"("count": 3,
      "interval_ms": 0)",
                            R"("upload_bytes": 0,
      "download_bytes": 0)",
                            R"("stream": "up",
      "error_code": 0)",
                            R"("connection": "c1",
      "side": "dialer",
      "error_code": 0)",
                            R"("stream": "p1",
      "replies": 3)",
                            R"("protocols": [])"}) {
    EXPECT_NE(canonical.find(field), std::string::npos) << field << " missing in\n" << canonical;
  }
  // Absent means "not checked", which no value could stand for.
  for (const char* field : {"max_rtt_ms", "agent_version", "observed_address"}) {
    EXPECT_EQ(canonical.find(field), std::string::npos) << field << " in\n" << canonical;
  }
}

TEST(ScenarioTest, StreamRulesAllowWhatCanHappen) {
  // A stream that sent its fin may still be reset; a listener's stream is
  // written by the listener; a stream may be expected "reset" without a
  // reset_stream (the peer or the connection's end resets it); after the
  // listener closed, the dialer's end "closed" ends as peer_close; and
  // after the listener restarted, the dialer still acts on its end.
  const Scenario s = MustParse(R"json({
    "name": "stream-rules", "description": "Allowed", "seed": 1, "duration_ms": 5000,
    "hosts": [{"name": "server", "address": "10.0.0.1:4433", "listen": true},
              {"name": "client", "address": "10.0.1.2:50000"}],
    "timeline": [
      {"at_ms": 0, "action": "dial", "from": "client", "to": "server", "connection": "c1"},
      {"at_ms": 0, "action": "open_stream", "connection": "c1", "stream": "up"},
      {"at_ms": 0, "action": "send", "stream": "up", "bytes": 1000},
      {"at_ms": 1, "action": "reset_stream", "stream": "up", "error_code": 5},
      {"at_ms": 2, "action": "open_stream", "connection": "c1", "stream": "down",
       "side": "listener"},
      {"at_ms": 2, "action": "send", "stream": "down", "bytes": 1000, "fin": false},
      {"at_ms": 3, "action": "close", "connection": "c1", "side": "listener"},
      {"at_ms": 4, "action": "dial", "from": "client", "to": "server", "connection": "c2"},
      {"at_ms": 5, "action": "restart", "host": "server"},
      {"at_ms": 6, "action": "ping", "connection": "c2", "stream": "p1"},
      {"at_ms": 7, "action": "close", "connection": "c2", "side": "dialer"}
    ],
    "expect": [
      {"kind": "stream", "stream": "down", "outcome": "reset"},
      {"kind": "connection", "connection": "c1", "outcome": "closed", "ended": "peer_close"},
      {"kind": "connection", "connection": "c1", "side": "listener", "outcome": "closed",
       "ended": "local_close"}
    ]
  })json");
  EXPECT_EQ(std::get<ResetStreamAction>(s.timeline[3].action).error_code, 5u);
  EXPECT_EQ(std::get<CloseAction>(s.timeline[6].action).side, ConnectionSide::kListener);
}

TEST(ScenarioTest, ARestartForgetsOnlyTheConnectionsItsHostDialed) {
  // The server restarting leaves c1 to its dialer: the client may still use
  // and close it (it will meet stateless resets); the client restarting
  // forgets c1, so a later close of it is refused (scenario_errors_test).
  std::string json(kMinimalScenario);
  const std::string close = R"({"at_ms": 4, "action": "close", "connection": "c1"})";
  json.replace(json.find(close), close.size(),
               R"({"at_ms": 4, "action": "restart", "host": "server"}, )" + close);
  const Scenario s = MustParse(json);
  EXPECT_EQ(std::get<RestartAction>(s.timeline[5].action).host, "server");
  EXPECT_EQ(s.timeline[6].kind(), Action::kClose);
}

TEST(ScenarioTest, ConnectionEndFieldsParseAndRoundTrip) {
  const Scenario complete = testing::CompleteScenario();
  const Scenario parsed_complete = MustParse(testing::kCompleteScenarioJson);
  const auto& listener = std::get<ConnectionExpectation>(complete.expect[1].check);
  const auto& parsed = std::get<ConnectionExpectation>(parsed_complete.expect[1].check);
  EXPECT_EQ(parsed, listener);
  EXPECT_EQ(parsed.side, ConnectionSide::kListener);
  EXPECT_EQ(parsed.ended, CloseCause::kPeerClose);
  EXPECT_EQ(parsed.by, milliseconds(25000));
  // by_ms may be 0 and may equal duration_ms.
  Scenario s = MustParse(kMinimalScenario);
  auto& connection = std::get<ConnectionExpectation>(s.expect[4].check);
  for (const Duration by : {Duration::zero(), s.duration}) {
    connection.by = by;
    connection.ended = CloseCause::kLocalClose;
    ExpectSameScenario(MustParse(ToJson(s)), s);
  }
}

TEST(ScenarioTest, AMigrationWithoutAddressTakesTheNextPortOfTheCurrentAddress) {
  const Scenario s = MustParse(kMinimalScenario);
  // The host started on port 65535; the explicit migration moved it to 7.
  EXPECT_EQ(std::get<MigrateAction>(s.timeline[4].action).address.ToString(), "10.0.1.2:8");
}

TEST(ScenarioTest, PartialConditionsStartFromTheirBase) {
  const Scenario s = testing::CompleteScenario();
  const LinkConditions& uplink = s.links.overrides[0].conditions;
  EXPECT_EQ(uplink.delay, milliseconds(20));  // From links.default.
  EXPECT_EQ(uplink.jitter, milliseconds(5));
  const auto& later = std::get<SetLinkAction>(s.timeline[16].action).conditions;
  EXPECT_EQ(later.mtu, 1350u);  // set_link keeps the override's other fields.
  EXPECT_EQ(later.loss, 0.2);
}

TEST(ScenarioTest, ToJsonRoundTripsToAnEqualScenario) {
  const Scenario original = MustParse(testing::kCompleteScenarioJson);
  const std::string canonical = ToJson(original);
  const Scenario reparsed = MustParse(canonical);
  ExpectSameScenario(reparsed, original);
  EXPECT_EQ(ToJson(reparsed), canonical);  // Canonical: a fixed point.
  EXPECT_EQ(canonical.back(), '\n');
}

TEST(ScenarioTest, ToJsonWritesDefaultsExplicitly) {
  const std::string canonical = ToJson(MustParse(kMinimalScenario));
  for (const char* field :
       {"\"retired_cid_grace_ms\": 999", "\"mtu\": 1472", "\"fin\": true", "\"error_code\": 0",
        "\"address\": \"10.0.1.2:8\"", "\"overrides\": []", "\"bottlenecks\": []",
        "\"socket_send_buffer_bytes\": 0", "\"side\": \"dialer\""}) {
    EXPECT_NE(canonical.find(field), std::string::npos) << field << " missing in\n" << canonical;
  }
}

TEST(ScenarioTest, SharedBottlenecksParseWithTheirDefaultQueueAndRoundTrip) {
  const Scenario complete = MustParse(testing::kCompleteScenarioJson);
  ASSERT_EQ(complete.links.bottlenecks.size(), 1u);
  const Bottleneck& access = complete.links.bottlenecks[0];
  EXPECT_EQ(access.name, "server-access");
  EXPECT_EQ(access.directions,
            (std::vector<LinkDirection>{{"client", "server"}, {"relay", "server"}}));
  EXPECT_EQ(access.bandwidth_kbps, 20000u);
  EXPECT_EQ(access.queue_bytes, 30000u);
  EXPECT_TRUE(MustParse(kMinimalScenario).links.bottlenecks.empty());

  std::string json(kMinimalScenario);
  json.replace(json.find("  \"timeline\""), 0, R"(  "links": {"bottlenecks": [
    {"name": "uplink", "directions": [{"from": "client", "to": "server"}], "bandwidth_kbps": 1}]},
)");
  const Scenario s = MustParse(json);
  ASSERT_EQ(s.links.bottlenecks.size(), 1u);
  EXPECT_EQ(s.links.bottlenecks[0].queue_bytes, 0u) << "0: the simulator's default";
  EXPECT_EQ(s.links.bottlenecks[0].bandwidth_kbps, 1u);
  const std::string canonical = ToJson(s);
  EXPECT_NE(canonical.find("\"queue_bytes\": 0"), std::string::npos) << canonical;
  ExpectSameScenario(MustParse(canonical), s);
  EXPECT_FALSE(s == MustParse(kMinimalScenario));
}

TEST(ScenarioTest, AHostSocketSendBufferParsesAndRoundTrips) {
  EXPECT_EQ(MustParse(testing::kCompleteScenarioJson).hosts[1].socket_send_buffer_bytes, 65536u);
  Scenario s = MustParse(kMinimalScenario);
  s.hosts[0].socket_send_buffer_bytes = kMaxSocketSendBufferBytes;
  const Scenario reparsed = MustParse(ToJson(s));
  EXPECT_EQ(reparsed.hosts[0].socket_send_buffer_bytes, kMaxSocketSendBufferBytes);
  EXPECT_FALSE(reparsed == MustParse(kMinimalScenario));
}

TEST(ScenarioTest, AHostRandomSeedParsesExactlyAndRoundTrips) {
  const Scenario complete = testing::CompleteScenario();
  // The largest uint64 must survive: no detour through a double.
  EXPECT_EQ(MustParse(testing::kCompleteScenarioJson).hosts[2].random_seed, UINT64_MAX);

  Scenario s = MustParse(kMinimalScenario);
  s.hosts[0].random_seed = 0;  // Zero is a seed like any other, not "absent".
  s.hosts[1].random_seed = 0;  // Shared on purpose: the race scenarios' use.
  const std::string canonical = ToJson(s);
  const Scenario reparsed = MustParse(canonical);
  ExpectSameScenario(reparsed, s);
  EXPECT_EQ(reparsed.hosts[0].random_seed, 0u);
  EXPECT_EQ(reparsed.hosts[1].random_seed, 0u);
  EXPECT_EQ(ToJson(reparsed), canonical);
}

TEST(ScenarioTest, ToJsonWritesARandomSeedOnlyWhenTheHostHasOne) {
  const std::string without = ToJson(MustParse(kMinimalScenario));
  EXPECT_EQ(without.find("random_seed"), std::string::npos) << without;
  const std::string with = ToJson(testing::CompleteScenario());
  EXPECT_NE(with.find("\"random_seed\": 18446744073709551615"), std::string::npos) << with;
  // Present and absent are different runs, so they must not compare equal.
  Scenario seeded = MustParse(kMinimalScenario);
  seeded.hosts[1].random_seed = 1;
  EXPECT_FALSE(seeded == MustParse(kMinimalScenario));
}

TEST(ScenarioTest, AMultiWorkerHostParsesAndRoundTrips) {
  Scenario s = MustParse(kMinimalScenario);
  EXPECT_EQ(s.hosts[0].workers, 1u);  // The default: one worker, nothing to steer.
  const std::string one = ToJson(s);
  EXPECT_EQ(one.find("\"workers\""), std::string::npos) << one;
  EXPECT_EQ(one.find("\"steering\""), std::string::npos) << one;
  s.hosts[0].workers = kMaxWorkers;
  s.hosts[0].steering = SteeringMode::kForward;
  s.hosts[0].forward_delay = milliseconds(kMaxForwardDelayMillis);
  const std::string canonical = ToJson(s);
  const Scenario reparsed = MustParse(canonical);
  ExpectSameScenario(reparsed, s);
  EXPECT_EQ(reparsed.hosts[0].workers, kMaxWorkers);
  EXPECT_EQ(reparsed.hosts[0].steering, SteeringMode::kForward);
  EXPECT_EQ(reparsed.hosts[0].forward_delay, milliseconds(kMaxForwardDelayMillis));
  EXPECT_EQ(ToJson(reparsed), canonical);
}

TEST(ScenarioTest, EveryExampleFileParsesAndRoundTrips) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator("scenarios/format/examples")) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    Scenario scenario;
    ParseError error;
    ASSERT_EQ(LoadScenarioFile(entry.path().string(), &scenario, &error), ParseStatus::kOk)
        << entry.path() << ": " << error.json_path << ": " << error.reason;
    EXPECT_EQ(scenario.name + ".json", entry.path().filename().string());
    ExpectSameScenario(MustParse(ToJson(scenario)), scenario);
  }
  EXPECT_GE(files, 3);
}

TEST(ScenarioTest, FindHostFindsByName) {
  const Scenario s = testing::CompleteScenario();
  ASSERT_NE(s.FindHost("relay"), nullptr);
  EXPECT_EQ(s.FindHost("relay")->address.ToString(), "[2001:db8::7]:4001");
  EXPECT_EQ(s.FindHost("nobody"), nullptr);
}

TEST(ScenarioTest, AFailedParseLeavesTheOutputUnchangedAndTakesANullError) {
  Scenario scenario = testing::CompleteScenario();
  EXPECT_EQ(ParseScenario("{}", &scenario, nullptr), ParseStatus::kInvalidScenario);
  EXPECT_EQ(ParseScenario("{", &scenario, nullptr), ParseStatus::kInvalidJson);
  EXPECT_TRUE(scenario == testing::CompleteScenario());
}

template <typename Enum>
void ExpectNamesRoundTrip(int count, std::optional<Enum> (*from_string)(std::string_view)) {
  for (int i = 0; i < count; ++i) {
    const auto value = static_cast<Enum>(i);
    EXPECT_EQ(from_string(ToString(value)), value) << ToString(value);
  }
  EXPECT_EQ(from_string("unknown"), std::nullopt);
  EXPECT_EQ(from_string(""), std::nullopt);
}

TEST(ScenarioTest, EveryEnumNameParsesBackToItsValue) {
  ExpectNamesRoundTrip<Action>(kActionCount, &ActionFromString);
  ExpectNamesRoundTrip<RebindMode>(kRebindModeCount, &RebindModeFromString);
  ExpectNamesRoundTrip<SteeringMode>(kSteeringModeCount, &SteeringModeFromString);
  ExpectNamesRoundTrip<ExpectationKind>(kExpectationKindCount, &ExpectationKindFromString);
  ExpectNamesRoundTrip<ConnectionOutcome>(kConnectionOutcomeCount, &ConnectionOutcomeFromString);
  ExpectNamesRoundTrip<ConnectionSide>(kConnectionSideCount, &ConnectionSideFromString);
  ExpectNamesRoundTrip<StreamOutcome>(kStreamOutcomeCount, &StreamOutcomeFromString);
  EXPECT_STREQ(ToString(Action::kResetStream), "reset_stream");
  EXPECT_STREQ(ToString(ExpectationKind::kIdentify), "identify");
  ExpectNamesRoundTrip<CloseCause>(kCloseCauseCount, &CloseCauseFromString);
  EXPECT_STREQ(ToString(CloseCause::kStatelessReset), "stateless_reset");
  ExpectNamesRoundTrip<RouteOutcome>(kRouteOutcomeCount, &RouteOutcomeFromString);
  ExpectNamesRoundTrip<FrameType>(kFrameTypeCount, &FrameTypeFromString);
  ExpectNamesRoundTrip<FrameDirection>(kFrameDirectionCount, &FrameDirectionFromString);
  EXPECT_STREQ(ToString(FrameType::kNewConnectionId), "new_connection_id");
  EXPECT_EQ(RouteOutcomeFromString("retired_in_grace"), RouteOutcome::kRetiredInGrace);
  EXPECT_STREQ(ToString(Action::kDelayCidRegistration), "delay_cid_registration");
}

}  // namespace
}  // namespace p2pquic::scenarios
