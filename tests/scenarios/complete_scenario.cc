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
      At(20000, CloseAction{"c2", 7}),
  };
}

std::vector<Expectation> Expectations() {
  return {
      {ConnectionExpectation{"c1", ConnectionOutcome::kEstablished, std::nullopt}},
      {ConnectionExpectation{"c2", ConnectionOutcome::kClosed, "with code 7",
                             ConnectionSide::kListener, CloseCause::kPeerClose,
                             milliseconds(25000)}},
      {StreamIntactExpectation{"s1"}},
      {RouteCountExpectation{"server", RouteOutcome::kCidHit, 10, 100000}},
      {RouteCountExpectation{"server", RouteOutcome::kMalformed, 0, 0}},
      {PathValidatedExpectation{"server", 2}},
      {RegistryEmptyExpectation{"relay"}},
      {StatelessResetsExpectation{"server", 1}},
  };
}

}  // namespace

const std::string_view kCompleteScenarioJson = R"json({
  "name": "complete-1",
  "description": "Every action, expectation kind and setting once",
  "seed": 18446744073709551615,
  "duration_ms": 30000,
  "settings": {
    "idle_timeout_ms": 20000, "handshake_timeout_ms": 5000, "keep_alive_ms": 1000,
    "retired_cid_grace_ms": 300, "active_connection_id_limit": 6, "cid_length": 12
  },
  "hosts": [
    {"name": "server", "address": "10.0.0.1:4433", "listen": true},
    {"name": "client", "address": "10.0.1.2:50000", "nat": true},
    {"name": "relay", "address": "[2001:db8::7]:4001", "listen": true, "nat": false,
     "random_seed": 18446744073709551615}
  ],
  "links": {
    "default": {"delay_ms": 20, "jitter_ms": 5, "loss": 0.01},
    "overrides": [
      {"from": "client", "to": "server", "conditions": {
        "loss": 0.05, "loss_burst": 3, "duplicate": 0.001, "corrupt": 0.002,
        "bandwidth_kbps": 10000, "queue_bytes": 65536, "mtu": 1350}}
    ]
  },
  "timeline": [
    {"at_ms": 0, "action": "delay_cid_registration", "host": "server", "delay_ms": 50},
    {"at_ms": 0, "action": "dial", "from": "client", "to": "server", "connection": "c1"},
    {"at_ms": 100, "action": "open_stream", "connection": "c1", "stream": "s1"},
    {"at_ms": 100, "action": "send", "stream": "s1", "bytes": 1048576, "fin": false},
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
    {"at_ms": 20000, "action": "close", "connection": "c2", "error_code": 7}
  ],
  "expect": [
    {"kind": "connection", "connection": "c1", "outcome": "established"},
    {"kind": "connection", "connection": "c2", "side": "listener", "outcome": "closed",
     "error": "with code 7", "ended": "peer_close", "by_ms": 25000},
    {"kind": "stream_intact", "stream": "s1"},
    {"kind": "route_count", "host": "server", "outcome": "cid_hit", "min": 10, "max": 100000},
    {"kind": "route_count", "host": "server", "outcome": "malformed", "max": 0},
    {"kind": "path_validated", "host": "server", "min": 2},
    {"kind": "registry_empty", "host": "relay"},
    {"kind": "stateless_resets", "host": "server"}
  ]
}
)json";

Scenario CompleteScenario() {
  Scenario s;
  s.name = "complete-1";
  s.description = "Every action, expectation kind and setting once";
  s.seed = UINT64_MAX;
  s.duration = milliseconds(30000);
  s.settings = {
      milliseconds(20000), milliseconds(5000), milliseconds(1000), milliseconds(300), 6, 12};
  s.hosts = {{"server", Address("10.0.0.1:4433"), true, false, std::nullopt},
             {"client", Address("10.0.1.2:50000"), false, true, std::nullopt},
             {"relay", Address("[2001:db8::7]:4001"), true, false, UINT64_MAX}};
  s.links.default_conditions = DefaultConditions();
  s.links.overrides = {{"client", "server", UplinkConditions()}};
  s.timeline = Timeline();
  s.expect = Expectations();
  return s;
}

}  // namespace p2pquic::scenarios::testing
