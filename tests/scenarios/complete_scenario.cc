#include "tests/scenarios/complete_scenario.h"

#include <chrono>
#include <cstdint>
#include <optional>

namespace p2pquic::scenarios::testing {
namespace {

using std::chrono::milliseconds;

SocketAddress Address(std::string_view text) {
  SocketAddress address;
  SocketAddress::Parse(text, &address);
  return address;
}

Event At(int ms, EventAction action) { return Event{milliseconds(ms), std::move(action)}; }

LinkConditions DefaultConditions() {
  LinkConditions c;
  c.delay = milliseconds(20);
  c.jitter = milliseconds(5);
  c.loss = 0.01;
  return c;
}

// client -> server: the default, changed by the override's fields.
LinkConditions UplinkConditions() {
  LinkConditions c = DefaultConditions();
  c.loss = 0.05;
  c.loss_burst = 3;
  c.duplicate = 0.001;
  c.duplicate_delay = milliseconds(40);
  c.corrupt = 0.002;
  c.bandwidth_kbps = 10000;
  c.queue_bytes = 65536;
  c.mtu = 1350;
  return c;
}

std::vector<Event> Timeline() {
  LinkConditions lossier_uplink = UplinkConditions();  // set_link starts from the override.
  lossier_uplink.loss = 0.2;
  LinkConditions faster_downlink = DefaultConditions();  // No override: from the default.
  faster_downlink.delay = milliseconds(5);
  return {
      At(0, DelayCidRegistrationAction{"server", milliseconds(50)}),
      At(0, DialAction{"client", "server", "c1"}),
      At(100, OpenStreamAction{"c1", "s1"}),
      At(100, SendAction{"s1", 1048576, false}),
      At(150, OpenStreamAction{"c1", "down", ConnectionSide::kListener}),
      At(150, SendAction{"down", 65536, true}),
      At(200, PingAction{"c1", "p1", ConnectionSide::kListener, 5, milliseconds(1000)}),
      At(250, IdentifyAction{"c1", "id1", ConnectionSide::kDialer}),
      At(300, PerfAction{"c1", "perf1", ConnectionSide::kDialer, 1048576, 4096}),
      At(2000, RebindAction{"client", RebindMode::kPort}),
      At(2500, SendAction{"s1", 4096, true}),
      At(3000, MigrateAction{"client", Address("10.0.1.2:50001")}),
      At(4000, MigrateAction{"client", Address("10.0.1.9:6000")}),
      At(5000, PartitionAction{{"client"}}),
      At(6000, HealAction{}),
      At(7000, BlackholeAction{"server", "client", milliseconds(500)}),
      At(8000, SetLinkAction{"client", "server", lossier_uplink}),
      At(8000, SetLinkAction{"server", "client", faster_downlink}),
      At(9000, DialAction{"client", "relay", "c2"}),
      At(9100, OpenStreamAction{"c2", "s2"}),
      At(9200, ResetStreamAction{"s2", 3}),
      At(9500, RestartAction{"relay"}),
      At(10000, FloodAction{"server", FloodPayload::kJunkShort, 1000, milliseconds(500), 300}),
      At(20000, CloseAction{"c2", 7}),
      At(25000, CloseAction{"c1", 9, ConnectionSide::kListener}),
  };
}

std::vector<Expectation> Expectations() {
  return {
      {ConnectionExpectation{"c1", ConnectionOutcome::kClosed, std::nullopt,
                             ConnectionSide::kDialer, CloseCause::kPeerClose, std::nullopt,
                             milliseconds(3000)}},
      {ConnectionExpectation{"c2", ConnectionOutcome::kClosed, "with code 7",
                             ConnectionSide::kListener, CloseCause::kPeerClose,
                             milliseconds(25000)}},
      {StreamIntactExpectation{"s1"}},
      {RouteCountExpectation{"server", RouteOutcome::kCidHit, 10, 100000}},
      {RouteCountExpectation{"server", RouteOutcome::kMalformed, 0, 0}},
      {PathValidatedExpectation{"server", 2}},
      {RegistryEmptyExpectation{"relay"}},
      {StatelessResetsExpectation{"server", 1, std::nullopt}},
      {StatelessResetsExpectation{"client", 0, 0}},
      {FramesExpectation{"server",
                         "c1",
                         {FrameType::kNewConnectionId, FrameDirection::kSent, 3},
                         1,
                         2,
                         "sent once, perhaps retransmitted"}},
      {FramesExpectation{"server",
                         std::nullopt,
                         {FrameType::kStatelessReset, FrameDirection::kSent, std::nullopt},
                         0,
                         0,
                         std::nullopt}},
      {FrameOrderExpectation{"relay",
                             "c2",
                             {FrameType::kPathChallenge, FrameDirection::kReceived, std::nullopt},
                             {FrameType::kRetireConnectionId, FrameDirection::kSent, 0},
                             std::nullopt}},
      {DeliveredExpectation{"s1", milliseconds(1000), milliseconds(3000), 500000, 2000000}},
      {HandshakesExpectation{"server", HandshakeCount::kAccepted, 1, 2}},
      {StreamExpectation{"s2", StreamOutcome::kReset}},
      {StreamExpectation{"down", StreamOutcome::kIntact}},
      {PingExpectation{"p1", 4, milliseconds(500)}},
      {PingExpectation{"p1", 5, std::nullopt}},
      {IdentifyExpectation{
          "id1", "p2pquic/0.1.0", {"/ipfs/ping/1.0.0", "/perf/1.0.0"}, Address("10.0.1.2:50000")}},
      {PerfExpectation{"perf1"}},
      {FloodAnswersExpectation{FloodAnswer::kShort, 1, 100}},
  };
}

TransportSettings Settings() {
  TransportSettings s;
  s.idle_timeout = milliseconds(20000);
  s.handshake_timeout = milliseconds(5000);
  s.keep_alive = milliseconds(1000);
  s.retired_cid_grace = milliseconds(300);
  s.active_connection_id_limit = 6;
  s.cid_length = 12;
  s.connection_window = 2097152;
  s.stream_window = 524288;
  s.max_connection_window = 8388608;
  s.max_stream_window = 4194304;
  s.stream_send_buffer = 262144;
  s.max_stream_send_buffer = 8388608;
  s.max_connection_send_buffer = 16777216;
  s.retry = RetryPolicy::kAlways;
  s.retry_threshold = 32;
  s.max_unvalidated_per_source = 8;
  s.max_pending_handshakes = 128;
  s.new_tokens = NewTokens::kOff;
  return s;
}

// The client's own settings: the scenario's, changed by its partial object.
TransportSettings ClientSettings() {
  TransportSettings s = Settings();
  s.idle_timeout = milliseconds(15000);
  s.stream_send_buffer = 65536;
  s.max_stream_send_buffer = 1048576;
  return s;
}

}  // namespace

const std::string_view kCompleteScenarioJson = R"json({
  "name": "complete-1",
  "description": "Every action, expectation kind and setting once",
  "seed": 18446744073709551615,
  "duration_ms": 30000,
  "settings": {
    "idle_timeout_ms": 20000, "handshake_timeout_ms": 5000, "keep_alive_ms": 1000,
    "retired_cid_grace_ms": 300, "active_connection_id_limit": 6, "cid_length": 12,
    "connection_window": 2097152, "stream_window": 524288, "max_connection_window": 8388608,
    "max_stream_window": 4194304, "stream_send_buffer": 262144,
    "max_stream_send_buffer": 8388608, "max_connection_send_buffer": 16777216,
    "retry": "always", "retry_threshold": 32, "max_unvalidated_per_source": 8,
    "max_pending_handshakes": 128, "new_tokens": "off"
  },
  "hosts": [
    {"name": "server", "address": "10.0.0.1:4433", "listen": true},
    {"name": "client", "address": "10.0.1.2:50000", "nat": true, "socket_send_buffer_bytes": 65536,
     "settings": {"idle_timeout_ms": 15000, "stream_send_buffer": 65536,
                  "max_stream_send_buffer": 1048576}},
    {"name": "relay", "address": "[2001:db8::7]:4001", "listen": true, "nat": false,
     "random_seed": 18446744073709551615}
  ],
  "links": {
    "default": {"delay_ms": 20, "jitter_ms": 5, "loss": 0.01},
    "overrides": [
      {"from": "client", "to": "server", "conditions": {
        "loss": 0.05, "loss_burst": 3, "duplicate": 0.001, "duplicate_delay_ms": 40, "corrupt": 0.002,
        "bandwidth_kbps": 10000, "queue_bytes": 65536, "mtu": 1350}}
    ],
    "bottlenecks": [
      {"name": "server-access", "directions": [{"from": "client", "to": "server"},
                                               {"from": "relay", "to": "server"}],
       "bandwidth_kbps": 20000, "queue_bytes": 30000}
    ]
  },
  "timeline": [
    {"at_ms": 0, "action": "delay_cid_registration", "host": "server", "delay_ms": 50},
    {"at_ms": 0, "action": "dial", "from": "client", "to": "server", "connection": "c1"},
    {"at_ms": 100, "action": "open_stream", "connection": "c1", "stream": "s1"},
    {"at_ms": 100, "action": "send", "stream": "s1", "bytes": 1048576, "fin": false},
    {"at_ms": 150, "action": "open_stream", "connection": "c1", "stream": "down", "side": "listener"},
    {"at_ms": 150, "action": "send", "stream": "down", "bytes": 65536},
    {"at_ms": 200, "action": "ping", "connection": "c1", "stream": "p1", "side": "listener",
     "count": 5, "interval_ms": 1000},
    {"at_ms": 250, "action": "identify", "connection": "c1", "stream": "id1"},
    {"at_ms": 300, "action": "perf", "connection": "c1", "stream": "perf1", "side": "dialer",
     "upload_bytes": 1048576, "download_bytes": 4096},
    {"at_ms": 2000, "action": "rebind", "host": "client", "mode": "port"},
    {"at_ms": 2500, "action": "send", "stream": "s1", "bytes": 4096},
    {"at_ms": 3000, "action": "migrate", "host": "client"},
    {"at_ms": 4000, "action": "migrate", "host": "client", "address": "10.0.1.9:6000"},
    {"at_ms": 5000, "action": "partition", "hosts": ["client"]},
    {"at_ms": 6000, "action": "heal"},
    {"at_ms": 7000, "action": "blackhole", "from": "server", "to": "client", "duration_ms": 500},
    {"at_ms": 8000, "action": "set_link", "from": "client", "to": "server", "conditions": {"loss": 0.2}},
    {"at_ms": 8000, "action": "set_link", "from": "server", "to": "client", "conditions": {"delay_ms": 5}},
    {"at_ms": 9000, "action": "dial", "from": "client", "to": "relay", "connection": "c2"},
    {"at_ms": 9100, "action": "open_stream", "connection": "c2", "stream": "s2"},
    {"at_ms": 9200, "action": "reset_stream", "stream": "s2", "error_code": 3},
    {"at_ms": 9500, "action": "restart", "host": "relay"},
    {"at_ms": 10000, "action": "flood", "host": "server", "payload": "junk_short", "rate": 1000,
     "duration_ms": 500, "sources": 300},
    {"at_ms": 20000, "action": "close", "connection": "c2", "error_code": 7},
    {"at_ms": 25000, "action": "close", "connection": "c1", "side": "listener", "error_code": 9}
  ],
  "expect": [
    {"kind": "connection", "connection": "c1", "outcome": "closed", "ended": "peer_close",
     "handshake_within_ms": 3000},
    {"kind": "connection", "connection": "c2", "side": "listener", "outcome": "closed",
     "error": "with code 7", "ended": "peer_close", "by_ms": 25000},
    {"kind": "stream_intact", "stream": "s1"},
    {"kind": "route_count", "host": "server", "outcome": "cid_hit", "min": 10, "max": 100000},
    {"kind": "route_count", "host": "server", "outcome": "malformed", "max": 0},
    {"kind": "path_validated", "host": "server", "min": 2},
    {"kind": "registry_empty", "host": "relay"},
    {"kind": "stateless_resets", "host": "server"},
    {"kind": "stateless_resets", "host": "client", "min": 0, "max": 0},
    {"kind": "frames", "host": "server", "connection": "c1", "frame": "new_connection_id",
     "direction": "sent", "seq": 3, "min": 1, "max": 2, "note": "sent once, perhaps retransmitted"},
    {"kind": "frames", "host": "server", "frame": "stateless_reset", "direction": "sent", "max": 0},
    {"kind": "frame_order", "host": "relay", "connection": "c2",
     "before": {"frame": "path_challenge", "direction": "received"},
     "after": {"frame": "retire_connection_id", "direction": "sent", "seq": 0}},
    {"kind": "delivered", "stream": "s1", "from_ms": 1000, "by_ms": 3000, "min": 500000,
     "max": 2000000},
    {"kind": "handshakes", "host": "server", "count": "accepted", "min": 1, "max": 2},
    {"kind": "stream", "stream": "s2", "outcome": "reset"},
    {"kind": "stream", "stream": "down", "outcome": "intact"},
    {"kind": "ping", "stream": "p1", "replies": 4, "max_rtt_ms": 500},
    {"kind": "ping", "stream": "p1"},
    {"kind": "identify", "stream": "id1", "agent_version": "p2pquic/0.1.0",
     "protocols": ["/ipfs/ping/1.0.0", "/perf/1.0.0"], "observed_address": "10.0.1.2:50000"},
    {"kind": "perf", "stream": "perf1"},
    {"kind": "flood_answers", "answer": "short", "min": 1, "max": 100}
  ]
}
)json";

Scenario CompleteScenario() {
  Scenario s;
  s.name = "complete-1";
  s.description = "Every action, expectation kind and setting once";
  s.seed = UINT64_MAX;
  s.duration = milliseconds(30000);
  s.settings = Settings();
  s.hosts = {
      {"server", Address("10.0.0.1:4433"), true, false, std::nullopt, 0, std::nullopt},
      {"client", Address("10.0.1.2:50000"), false, true, std::nullopt, 65536, ClientSettings()},
      {"relay", Address("[2001:db8::7]:4001"), true, false, UINT64_MAX, 0, std::nullopt}};
  s.links.default_conditions = DefaultConditions();
  s.links.overrides = {{"client", "server", UplinkConditions()}};
  s.links.bottlenecks = {
      {"server-access", {{"client", "server"}, {"relay", "server"}}, 20000, 30000}};
  s.timeline = Timeline();
  s.expect = Expectations();
  return s;
}

}  // namespace p2pquic::scenarios::testing
