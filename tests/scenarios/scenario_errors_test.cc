// Every refusal names the offending value's JSON path and says why. Each
// case edits a valid base scenario in one place (or is raw text), so the
// error it must produce is exactly the one that edit causes.
//
// Long on purpose: it is one table, a case per rule of FORMAT.md.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scenarios/format/scenario_parser.h"

namespace p2pquic::scenarios {
namespace {

using Json = nlohmann::json;

// Valid; cases edit it. Indices used below: hosts[0] server (listen),
// hosts[1] client (nat), hosts[2] peer (neither); timeline[0] dial c1,
// [1] open_stream s1, [2] send s1 fin false, [3] rebind client, [4] close c1.
Json Base() {
  return Json::parse(R"json({
    "name": "base",
    "description": "The valid base every error case edits",
    "seed": 42,
    "duration_ms": 30000,
    "settings": {"cid_length": 8},
    "hosts": [
      {"name": "server", "address": "10.0.0.1:4433", "listen": true},
      {"name": "client", "address": "10.0.1.2:50000", "nat": true},
      {"name": "peer", "address": "10.0.2.3:50000"}
    ],
    "links": {"default": {"delay_ms": 10}, "overrides": [
      {"from": "client", "to": "server", "conditions": {"loss": 0.1}}]},
    "timeline": [
      {"at_ms": 0, "action": "dial", "from": "client", "to": "server", "connection": "c1"},
      {"at_ms": 10, "action": "open_stream", "connection": "c1", "stream": "s1"},
      {"at_ms": 10, "action": "send", "stream": "s1", "bytes": 100, "fin": false},
      {"at_ms": 2000, "action": "rebind", "host": "client", "mode": "port"},
      {"at_ms": 5000, "action": "close", "connection": "c1"}
    ],
    "expect": [
      {"kind": "connection", "connection": "c1", "outcome": "closed"},
      {"kind": "stream_intact", "stream": "s1"}
    ]
  })json");
}

struct BadCase {
  const char* name;
  std::function<void(Json&)> edit;  // Applied to Base(); unset for raw text.
  const char* raw;                  // Parsed as is when `edit` is unset.
  const char* path;
  const char* reason;  // A substring of the reason.
};

void Event(Json& j, const Json& event) { j["timeline"].push_back(event); }

// Inserts `event` before the close of c1, where it becomes timeline[4].
void BeforeClose(Json& j, Json event) {
  event["at_ms"] = 3000;
  j["timeline"].insert(j["timeline"].begin() + 4, event);
}

// Opens the streams the protocol expectations below name (p1 pings 3
// times), before the close of c1.
void OpenProtocolStreams(Json& j) {
  BeforeClose(j, {{"action", "ping"}, {"connection", "c1"}, {"stream", "p1"}, {"count", 3}});
  BeforeClose(j, {{"action", "identify"}, {"connection", "c1"}, {"stream", "id1"}});
}

// Appends a valid `identify` expectation (expect[2]) with `change` applied.
void Identify(Json& j, const std::function<void(Json&)>& change) {
  OpenProtocolStreams(j);
  Json e = {{"kind", "identify"}, {"stream", "id1"}};
  change(e);
  j["expect"].push_back(e);
}

// Appends a valid `frames` expectation (it becomes expect[2]) with `change`
// applied to it.
void Frames(Json& j, const std::function<void(Json&)>& change) {
  Json e = {{"kind", "frames"},    {"host", "server"},
            {"connection", "c1"},  {"frame", "new_connection_id"},
            {"direction", "sent"}, {"min", 1}};
  change(e);
  j["expect"].push_back(e);
}

// Appends a valid `frame_order` expectation (expect[2]) with `change` applied.
void FrameOrder(Json& j, const std::function<void(Json&)>& change) {
  Json e = {{"kind", "frame_order"},
            {"host", "client"},
            {"connection", "c1"},
            {"before", {{"frame", "retire_connection_id"}, {"direction", "sent"}, {"seq", 0}}},
            {"after", {{"frame", "new_connection_id"}, {"direction", "received"}, {"seq", 4}}}};
  change(e);
  j["expect"].push_back(e);
}

// Appends a valid shared bottleneck (client and peer to server) as
// links.bottlenecks[0] (or the next), with `change` applied to it.
void Bottleneck(Json& j, const std::function<void(Json&)>& change) {
  Json b = {{"name", "access"},
            {"directions",
             {{{"from", "client"}, {"to", "server"}}, {{"from", "peer"}, {"to", "server"}}}},
            {"bandwidth_kbps", 20000}};
  change(b);
  j["links"]["bottlenecks"].push_back(b);
}

const std::vector<BadCase>& Cases() {
  static const std::vector<BadCase> cases = {
      // Types.
      {"seed_string", [](Json& j) { j["seed"] = "42"; }, nullptr, "$.seed",
       "must be a non-negative integer, got string \"42\""},
      {"seed_negative", [](Json& j) { j["seed"] = -1; }, nullptr, "$.seed", "got number -1"},
      {"seed_float", [](Json& j) { j["seed"] = 1.5; }, nullptr, "$.seed", "got number 1.5"},
      {"listen_string", [](Json& j) { j["hosts"][0]["listen"] = "yes"; }, nullptr,
       "$.hosts[0].listen", "must be true or false, got string \"yes\""},
      {"socket_send_buffer_string",
       [](Json& j) { j["hosts"][1]["socket_send_buffer_bytes"] = "64k"; }, nullptr,
       "$.hosts[1].socket_send_buffer_bytes", "must be a non-negative integer, got string \"64k\""},
      {"socket_send_buffer_negative",
       [](Json& j) { j["hosts"][1]["socket_send_buffer_bytes"] = -1; }, nullptr,
       "$.hosts[1].socket_send_buffer_bytes", "must be a non-negative integer, got number -1"},
      {"socket_send_buffer_float",
       [](Json& j) { j["hosts"][1]["socket_send_buffer_bytes"] = 1500.5; }, nullptr,
       "$.hosts[1].socket_send_buffer_bytes", "got number 1500.5"},
      {"socket_send_buffer_too_large",
       [](Json& j) { j["hosts"][1]["socket_send_buffer_bytes"] = 1073741825; }, nullptr,
       "$.hosts[1].socket_send_buffer_bytes", "must be <= 1073741824, got 1073741825"},
      {"socket_send_buffer_misspelt", [](Json& j) { j["hosts"][1]["socket_send_buffer"] = 4096; },
       nullptr, "$.hosts[1].socket_send_buffer",
       "unknown field; allowed here: name, address, listen, nat, socket_send_buffer_bytes, "
       "random_seed"},
      {"random_seed_string", [](Json& j) { j["hosts"][1]["random_seed"] = "7"; }, nullptr,
       "$.hosts[1].random_seed", "must be a non-negative integer, got string \"7\""},
      {"random_seed_negative", [](Json& j) { j["hosts"][1]["random_seed"] = -1; }, nullptr,
       "$.hosts[1].random_seed", "must be a non-negative integer, got number -1"},
      {"random_seed_float", [](Json& j) { j["hosts"][1]["random_seed"] = 7.5; }, nullptr,
       "$.hosts[1].random_seed", "got number 7.5"},
      {"random_seed_null", [](Json& j) { j["hosts"][1]["random_seed"] = nullptr; }, nullptr,
       "$.hosts[1].random_seed", "got null"},
      {"random_seed_over_uint64", nullptr,
       R"json({"name": "x", "description": "x", "seed": 1, "duration_ms": 1,
               "hosts": [{"name": "a", "address": "10.0.0.1:1",
                          "random_seed": 18446744073709551616}],
               "timeline": [], "expect": []})json",
       "$.hosts[0].random_seed", "must be a non-negative integer"},
      {"hosts_object", [](Json& j) { j["hosts"] = Json::object(); }, nullptr, "$.hosts",
       "must be an array, got object"},
      {"event_not_object", [](Json& j) { j["timeline"][1] = 7; }, nullptr, "$.timeline[1]",
       "must be an object, got number 7"},
      {"root_array", nullptr, "[1, 2]", "$", "must be an object, got array"},
      // Ranges.
      {"duration_zero", [](Json& j) { j["duration_ms"] = 0; }, nullptr, "$.duration_ms",
       "must be > 0, got 0"},
      {"duration_over_max", [](Json& j) { j["duration_ms"] = 3600001; }, nullptr, "$.duration_ms",
       "must be <= 3600000, got 3600001"},
      {"cid_length_short", [](Json& j) { j["settings"]["cid_length"] = 3; }, nullptr,
       "$.settings.cid_length", "3 bytes: either 0 (zero-length CIDs, routed by the 4-tuple) or 4 .. 20"},
      {"cid_length_long", [](Json& j) { j["settings"]["cid_length"] = 21; }, nullptr,
       "$.settings.cid_length", "must be <= 20, got 21"},
      {"active_cid_limit_one", [](Json& j) { j["settings"]["active_connection_id_limit"] = 1; },
       nullptr, "$.settings.active_connection_id_limit", "must be >= 2, got 1"},
      {"loss_over_one", [](Json& j) { j["links"]["default"]["loss"] = 1.5; }, nullptr,
       "$.links.default.loss", "must be within [0, 1], got 1.5"},
      {"mtu_small", [](Json& j) { j["links"]["overrides"][0]["conditions"]["mtu"] = 39; }, nullptr,
       "$.links.overrides[0].conditions.mtu", "must be >= 40, got 39"},
      {"mtu_over_udp_payload",
       [](Json& j) { j["links"]["overrides"][0]["conditions"]["mtu"] = 65508; }, nullptr,
       "$.links.overrides[0].conditions.mtu", "must be <= 65507, got 65508"},
      {"stream_window_zero", [](Json& j) { j["settings"]["stream_window"] = 0; }, nullptr,
       "$.settings.stream_window", "must be > 0, got 0"},
      {"send_buffer_over_max",
       [](Json& j) { j["settings"]["max_connection_send_buffer"] = (uint64_t{1} << 30) + 1; },
       nullptr, "$.settings.max_connection_send_buffer", "must be <= 1073741824"},
      {"max_window_below_window",
       [](Json& j) {
         j["settings"]["stream_window"] = 1048576;
         j["settings"]["max_stream_window"] = 524288;
       },
       nullptr, "$.settings.max_stream_window",
       "max_stream_window (524288) must be >= stream_window (1048576)"},
      {"send_buffer_floor_above_ceiling",
       [](Json& j) { j["settings"]["stream_send_buffer"] = 64 << 20; }, nullptr,
       "$.settings.stream_send_buffer",
       "max_stream_send_buffer (33554432) must be >= stream_send_buffer (67108864)"},
      {"host_window_above_scenario_max",
       [](Json& j) {
         j["settings"]["max_connection_window"] = 8388608;
         j["hosts"][1]["settings"] = {{"connection_window", 16777216}};
       },
       nullptr, "$.hosts[1].settings.connection_window",
       "max_connection_window (8388608) must be >= connection_window (16777216)"},
      {"host_setting_out_of_range",
       [](Json& j) {
         j["hosts"][0]["settings"] = {{"active_connection_id_limit", 9}};
       },
       nullptr, "$.hosts[0].settings.active_connection_id_limit", "must be <= 8, got 9"},
      {"delivered_window_backwards",
       [](Json& j) {
         j["expect"].push_back({{"kind", "delivered"},
                                {"stream", "s1"},
                                {"from_ms", 2000},
                                {"by_ms", 2000},
                                {"min", 1}});
       },
       nullptr, "$.expect[2].from_ms", "must be < by_ms (2000), got 2000"},
      {"delivered_after_duration",
       [](Json& j) {
         j["expect"].push_back(
             {{"kind", "delivered"}, {"stream", "s1"}, {"by_ms", 30001}, {"min", 1}});
       },
       nullptr, "$.expect[2].by_ms", "must be <= 30000, got 30001"},
      {"delivered_without_bound",
       [](Json& j) {
         j["expect"].push_back({{"kind", "delivered"}, {"stream", "s1"}, {"by_ms", 1000}});
       },
       nullptr, "$.expect[2].min", "must be > 0 when there is no max"},
      {"delivered_max_below_min",
       [](Json& j) {
         j["expect"].push_back(
             {{"kind", "delivered"}, {"stream", "s1"}, {"by_ms", 1000}, {"min", 5}, {"max", 4}});
       },
       nullptr, "$.expect[2].max", "must be >= min (5), got 4"},
      {"delivered_missing_by",
       [](Json& j) {
         j["expect"].push_back({{"kind", "delivered"}, {"stream", "s1"}, {"min", 1}});
       },
       nullptr, "$.expect[2].by_ms", "required field missing"},
      {"loss_burst_zero", [](Json& j) { j["links"]["default"]["loss_burst"] = 0; }, nullptr,
       "$.links.default.loss_burst", "must be > 0, got 0"},
      {"bytes_zero", [](Json& j) { j["timeline"][2]["bytes"] = 0; }, nullptr, "$.timeline[2].bytes",
       "must be > 0, got 0"},
      {"bytes_over_max", [](Json& j) { j["timeline"][2]["bytes"] = (uint64_t{1} << 30) + 1; },
       nullptr, "$.timeline[2].bytes", "must be <= 1073741824"},
      {"error_code_over_varint",
       [](Json& j) { j["timeline"][4]["error_code"] = uint64_t{1} << 62; }, nullptr,
       "$.timeline[4].error_code", "must be <= 4611686018427387903"},
      {"blackhole_zero",
       [](Json& j) {
         Event(j, {{"at_ms", 6000},
                   {"action", "blackhole"},
                   {"from", "server"},
                   {"to", "peer"},
                   {"duration_ms", 0}});
       },
       nullptr, "$.timeline[5].duration_ms", "must be > 0, got 0"},
      {"blackhole_overlapping",
       [](Json& j) {
         Event(j, {{"at_ms", 6000},
                   {"action", "blackhole"},
                   {"from", "server"},
                   {"to", "peer"},
                   {"duration_ms", 1000}});
         Event(j, {{"at_ms", 6500},
                   {"action", "blackhole"},
                   {"from", "server"},
                   {"to", "peer"},
                   {"duration_ms", 1000}});
       },
       nullptr, "$.timeline[6].from",
       "server -> peer is already blackholed until 7000 ms (timeline event 5)"},
      {"set_link_negative_loss",
       [](Json& j) {
         Event(j, {{"at_ms", 6000},
                   {"action", "set_link"},
                   {"from", "server"},
                   {"to", "client"},
                   {"conditions", {{"loss", -0.1}}}});
       },
       nullptr, "$.timeline[5].conditions.loss", "must be within [0, 1], got -0.1"},
      {"route_max_below_min",
       [](Json& j) {
         j["expect"].push_back({{"kind", "route_count"},
                                {"host", "server"},
                                {"outcome", "cid_hit"},
                                {"min", 5},
                                {"max", 3}});
       },
       nullptr, "$.expect[2].max", "must be >= min (5), got 3"},
      {"stateless_resets_max_below_default_min",
       [](Json& j) {
         j["expect"].push_back({{"kind", "stateless_resets"}, {"host", "client"}, {"max", 0}});
       },
       nullptr, "$.expect[2].max", "must be >= min (1, the default), got 0"},
      {"stateless_resets_max_below_min",
       [](Json& j) {
         j["expect"].push_back(
             {{"kind", "stateless_resets"}, {"host", "client"}, {"min", 4}, {"max", 2}});
       },
       nullptr, "$.expect[2].max", "must be >= min (4), got 2"},
      {"handshakes_checking_nothing",
       [](Json& j) {
         j["expect"].push_back({{"kind", "handshakes"}, {"host", "server"}, {"count", "started"}});
       },
       nullptr, "$.expect[2]", "checks nothing: give min > 0 or a max"},
      {"handshakes_unknown_count",
       [](Json& j) {
         j["expect"].push_back(
             {{"kind", "handshakes"}, {"host", "server"}, {"count", "inbound"}, {"min", 1}});
       },
       nullptr, "$.expect[2].count",
       "unknown handshake count \"inbound\"; expected one of started, completed, accepted"},
      {"handshakes_missing_count",
       [](Json& j) {
         j["expect"].push_back({{"kind", "handshakes"}, {"host", "server"}, {"max", 1}});
       },
       nullptr, "$.expect[2].count", "required field missing"},
      {"stateless_resets_max_string",
       [](Json& j) {
         j["expect"].push_back(
             {{"kind", "stateless_resets"}, {"host", "client"}, {"min", 0}, {"max", "0"}});
       },
       nullptr, "$.expect[2].max", "must be a non-negative integer, got string \"0\""},
      // Unknown fields and names.
      {"unknown_top_field", [](Json& j) { j["foo"] = 1; }, nullptr, "$.foo", "unknown field"},
      {"unknown_setting", [](Json& j) { j["settings"]["idle_timeout"] = 5; }, nullptr,
       "$.settings.idle_timeout", "unknown field; allowed here: idle_timeout_ms"},
      {"unknown_host_setting",
       [](Json& j) {
         j["hosts"][1]["settings"] = {{"window", 5}};
       },
       nullptr, "$.hosts[1].settings.window",
       "unknown field; allowed here: idle_timeout_ms, handshake_timeout_ms"},
      {"host_settings_not_object", [](Json& j) { j["hosts"][1]["settings"] = 5; }, nullptr,
       "$.hosts[1].settings", "must be an object, got number 5"},
      {"delivered_unknown_stream",
       [](Json& j) {
         j["expect"].push_back({{"kind", "delivered"}, {"stream", "s9"}, {"by_ms", 1}, {"min", 1}});
       },
       nullptr, "$.expect[2].stream", "unknown stream \"s9\""},
      {"field_of_another_kind",
       [](Json& j) {
         j["expect"].push_back(
             {{"kind", "delivered"}, {"stream", "s1"}, {"by_ms", 1}, {"min", 1}, {"host", "x"}});
       },
       nullptr, "$.expect[2].host",
       "unknown field; allowed here: kind, stream, from_ms, by_ms, min, max"},
      {"field_of_another_action", [](Json& j) { j["timeline"][0]["bytes"] = 5; }, nullptr,
       "$.timeline[0].bytes", "unknown field; allowed here: at_ms, action, from, to, connection"},
      {"unknown_action", [](Json& j) { j["timeline"][3]["action"] = "migrat"; }, nullptr,
       "$.timeline[3].action",
       "unknown action \"migrat\"; expected one of dial, open_stream, send, rebind, migrate"},
      {"unknown_mode", [](Json& j) { j["timeline"][3]["mode"] = "ports"; }, nullptr,
       "$.timeline[3].mode", "unknown mode \"ports\"; expected one of port, address, both"},
      {"unknown_kind", [](Json& j) { j["expect"][1]["kind"] = "streams"; }, nullptr,
       "$.expect[1].kind", "unknown kind \"streams\"; expected one of connection, stream_intact"},
      {"unknown_route_outcome",
       [](Json& j) {
         j["expect"].push_back({{"kind", "route_count"}, {"host", "server"}, {"outcome", "hit"}});
       },
       nullptr, "$.expect[2].outcome",
       "unknown route outcome \"hit\"; expected one of cid_hit, initial_hit, tuple_hit"},
      {"unknown_connection_outcome", [](Json& j) { j["expect"][0]["outcome"] = "open"; }, nullptr,
       "$.expect[0].outcome", "unknown outcome \"open\""},
      {"bad_name", [](Json& j) { j["name"] = "Base Case"; }, nullptr, "$.name",
       "must match [a-z0-9-]{1,64}, got string \"Base Case\""},
      // Required fields.
      {"missing_name", [](Json& j) { j.erase("name"); }, nullptr, "$.name",
       "required field missing"},
      {"missing_expect", [](Json& j) { j.erase("expect"); }, nullptr, "$.expect",
       "required field missing"},
      {"missing_bytes", [](Json& j) { j["timeline"][2].erase("bytes"); }, nullptr,
       "$.timeline[2].bytes", "required field missing"},
      {"missing_action", [](Json& j) { j["timeline"][1].erase("action"); }, nullptr,
       "$.timeline[1].action", "required field missing"},
      {"empty_description", [](Json& j) { j["description"] = ""; }, nullptr, "$.description",
       "must not be empty"},
      {"two_line_description", [](Json& j) { j["description"] = "a\nb"; }, nullptr, "$.description",
       "must be one line"},
      // Hosts.
      {"empty_hosts", [](Json& j) { j["hosts"] = Json::array(); }, nullptr, "$.hosts",
       "must have at least one host"},
      {"duplicate_host_name", [](Json& j) { j["hosts"][2]["name"] = "client"; }, nullptr,
       "$.hosts[2].name", "duplicate host name \"client\""},
      {"duplicate_address", [](Json& j) { j["hosts"][2]["address"] = "10.0.1.2:50000"; }, nullptr,
       "$.hosts[2].address", "is already host \"client\"'s"},
      {"address_without_port", [](Json& j) { j["hosts"][0]["address"] = "10.0.0.1"; }, nullptr,
       "$.hosts[0].address", "missing ':port'"},
      {"address_bad_host", [](Json& j) { j["hosts"][0]["address"] = "server:4433"; }, nullptr,
       "$.hosts[0].address", "got string \"server:4433\""},
      {"address_unbracketed_v6", [](Json& j) { j["hosts"][0]["address"] = "::1:4433"; }, nullptr,
       "$.hosts[0].address", "IPv6 address must be written [addr]:port"},
      {"address_port_zero", [](Json& j) { j["hosts"][0]["address"] = "10.0.0.1:0"; }, nullptr,
       "$.hosts[0].address", "port must not be 0"},
      // References.
      {"override_unknown_host", [](Json& j) { j["links"]["overrides"][0]["to"] = "nobody"; },
       nullptr, "$.links.overrides[0].to",
       "unknown host \"nobody\"; hosts are: server, client, peer"},
      {"override_to_itself", [](Json& j) { j["links"]["overrides"][0]["to"] = "client"; }, nullptr,
       "$.links.overrides[0].to", "must differ from \"from\""},
      {"second_override",
       [](Json& j) { j["links"]["overrides"].push_back(j["links"]["overrides"][0]); }, nullptr,
       "$.links.overrides[1]", "a second override for client -> server"},
      // Shared bottlenecks.
      {"bottleneck_unknown_field",
       [](Json& j) { Bottleneck(j, [](Json& b) { b["delay_ms"] = 5; }); }, nullptr,
       "$.links.bottlenecks[0].delay_ms",
       "unknown field; allowed here: name, directions, bandwidth_kbps, queue_bytes"},
      {"bottleneck_bad_name", [](Json& j) { Bottleneck(j, [](Json& b) { b["name"] = "Access"; }); },
       nullptr, "$.links.bottlenecks[0].name", "got string \"Access\""},
      {"bottleneck_duplicate_name",
       [](Json& j) {
         Bottleneck(j, [](Json&) {});
         Bottleneck(j, [](Json& b) { b["directions"] = {{{"from", "server"}, {"to", "peer"}}}; });
       },
       nullptr, "$.links.bottlenecks[1].name", "duplicate bottleneck name \"access\""},
      {"bottleneck_no_directions",
       [](Json& j) { Bottleneck(j, [](Json& b) { b["directions"] = Json::array(); }); }, nullptr,
       "$.links.bottlenecks[0].directions", "must have at least one direction"},
      {"bottleneck_directions_not_array",
       [](Json& j) { Bottleneck(j, [](Json& b) { b["directions"] = "client"; }); }, nullptr,
       "$.links.bottlenecks[0].directions", "must be an array"},
      {"bottleneck_unknown_host",
       [](Json& j) { Bottleneck(j, [](Json& b) { b["directions"][1]["to"] = "nobody"; }); },
       nullptr, "$.links.bottlenecks[0].directions[1].to",
       "unknown host \"nobody\"; hosts are: server, client, peer"},
      {"bottleneck_direction_to_itself",
       [](Json& j) { Bottleneck(j, [](Json& b) { b["directions"][0]["to"] = "client"; }); },
       nullptr, "$.links.bottlenecks[0].directions[0].to", "must differ from \"from\""},
      {"bottleneck_direction_unknown_field",
       [](Json& j) { Bottleneck(j, [](Json& b) { b["directions"][0]["via"] = "peer"; }); },
       nullptr, "$.links.bottlenecks[0].directions[0].via", "unknown field; allowed here: from, to"},
      {"bottleneck_direction_twice",
       [](Json& j) {
         Bottleneck(j, [](Json& b) { b["directions"].push_back(b["directions"][0]); });
       },
       nullptr, "$.links.bottlenecks[0].directions[2]",
       "direction client -> server is already in this bottleneck"},
      {"bottleneck_direction_in_two",
       [](Json& j) {
         Bottleneck(j, [](Json&) {});
         Bottleneck(j, [](Json& b) {
           b["name"] = "router";
           b["directions"] = {{{"from", "server"}, {"to", "peer"}}, {{"from", "peer"}, {"to", "server"}}};
         });
       },
       nullptr, "$.links.bottlenecks[1].directions[1]",
       "direction peer -> server is already in bottleneck \"access\""},
      {"bottleneck_zero_bandwidth",
       [](Json& j) { Bottleneck(j, [](Json& b) { b["bandwidth_kbps"] = 0; }); }, nullptr,
       "$.links.bottlenecks[0].bandwidth_kbps", "must be > 0, got 0"},
      {"bottleneck_bandwidth_over_max",
       [](Json& j) { Bottleneck(j, [](Json& b) { b["bandwidth_kbps"] = 100000001; }); }, nullptr,
       "$.links.bottlenecks[0].bandwidth_kbps", "must be <= 100000000, got 100000001"},
      {"bottleneck_without_bandwidth",
       [](Json& j) { Bottleneck(j, [](Json& b) { b.erase("bandwidth_kbps"); }); }, nullptr,
       "$.links.bottlenecks[0].bandwidth_kbps", "required field missing"},
      {"bottleneck_queue_over_max",
       [](Json& j) {
         Bottleneck(j, [](Json& b) { b["queue_bytes"] = (uint64_t{1} << 30) + 1; });
       },
       nullptr, "$.links.bottlenecks[0].queue_bytes", "must be <= 1073741824, got 1073741825"},
      {"bottlenecks_not_array", [](Json& j) { j["links"]["bottlenecks"] = Json::object(); },
       nullptr, "$.links.bottlenecks", "must be an array"},
      {"dial_unknown_host", [](Json& j) { j["timeline"][0]["from"] = "clinet"; }, nullptr,
       "$.timeline[0].from", "unknown host \"clinet\""},
      {"dial_non_listening", [](Json& j) { j["timeline"][0]["to"] = "peer"; }, nullptr,
       "$.timeline[0].to", "host \"peer\" does not listen (listen: false)"},
      {"duplicate_connection",
       [](Json& j) {
         Event(j, {{"at_ms", 6000},
                   {"action", "dial"},
                   {"from", "peer"},
                   {"to", "server"},
                   {"connection", "c1"}});
       },
       nullptr, "$.timeline[5].connection", "duplicate connection name \"c1\""},
      {"open_stream_unknown_connection", [](Json& j) { j["timeline"][1]["connection"] = "c9"; },
       nullptr, "$.timeline[1].connection", "unknown connection \"c9\""},
      {"connection_used_before_dial",
       [](Json& j) { std::swap(j["timeline"][0], j["timeline"][1]); }, nullptr,
       "$.timeline[0].connection", "unknown connection \"c1\"; no earlier dial event creates it"},
      {"send_unknown_stream", [](Json& j) { j["timeline"][2]["stream"] = "s2"; }, nullptr,
       "$.timeline[2].stream", "unknown stream \"s2\""},
      {"send_after_fin",
       [](Json& j) {
         j["timeline"][2]["fin"] = true;
         Event(j, {{"at_ms", 6000}, {"action", "send"}, {"stream", "s1"}, {"bytes", 1}});
       },
       nullptr, "$.timeline[5].stream", "was ended by an earlier send with fin: true"},
      {"open_stream_after_close",
       [](Json& j) {
         Event(
             j,
             {{"at_ms", 6000}, {"action", "open_stream"}, {"connection", "c1"}, {"stream", "s2"}});
       },
       nullptr, "$.timeline[5].connection", "connection \"c1\" was closed by an earlier event"},
      {"restart_unknown_host",
       [](Json& j) {
         Event(j, {{"at_ms", 6000}, {"action", "restart"}, {"host", "relay"}});
       },
       nullptr, "$.timeline[5].host", "unknown host \"relay\""},
      {"restart_with_a_field_of_another_action",
       [](Json& j) {
         Event(j, {{"at_ms", 6000}, {"action", "restart"}, {"host", "server"}, {"mode", "port"}});
       },
       nullptr, "$.timeline[5].mode", "unknown field; allowed here: at_ms, action, host"},
      {"close_after_the_dialer_restarted",
       [](Json& j) {
         j["timeline"][3] = {{"at_ms", 2000}, {"action", "restart"}, {"host", "client"}};
       },
       nullptr, "$.timeline[4].connection",
       "connection \"c1\" was forgotten when its dialer \"client\" restarted (timeline event 3)"},
      {"send_after_the_dialer_restarted",
       [](Json& j) {
         j["timeline"][3] = {{"at_ms", 2000}, {"action", "restart"}, {"host", "client"}};
         j["timeline"][4] = {{"at_ms", 5000}, {"action", "send"}, {"stream", "s1"}, {"bytes", 1}};
       },
       nullptr, "$.timeline[4].stream",
       "the connection of stream \"s1\" (\"c1\") was forgotten when its dialer \"client\" "
       "restarted (timeline event 3)"},
      {"rebind_non_nat", [](Json& j) { j["timeline"][3]["host"] = "server"; }, nullptr,
       "$.timeline[3].host", "host \"server\" is not behind a NAT (nat: false)"},
      {"migrate_non_dialer",
       [](Json& j) {
         Event(j, {{"at_ms", 6000}, {"action", "migrate"}, {"host", "peer"}});
       },
       nullptr, "$.timeline[5].host", "has dialed no connection before this event"},
      {"migrate_onto_another_host",
       [](Json& j) {
         Event(j, {{"at_ms", 6000},
                   {"action", "migrate"},
                   {"host", "client"},
                   {"address", "10.0.0.1:4433"}});
       },
       nullptr, "$.timeline[5].address", "is the current address of host \"server\""},
      {"migrate_across_families",
       [](Json& j) {
         Event(j, {{"at_ms", 6000},
                   {"action", "migrate"},
                   {"host", "client"},
                   {"address", "[::1]:5000"}});
       },
       nullptr, "$.timeline[5].address", "must be of the same family"},
      {"migrate_past_last_port",
       [](Json& j) {
         j["hosts"][1]["address"] = "10.0.1.2:65535";
         Event(j, {{"at_ms", 6000}, {"action", "migrate"}, {"host", "client"}});
       },
       nullptr, "$.timeline[5].address", "has no next port"},
      {"partition_empty",
       [](Json& j) {
         Event(j, {{"at_ms", 6000}, {"action", "partition"}, {"hosts", Json::array()}});
       },
       nullptr, "$.timeline[5].hosts", "must name at least one host"},
      {"partition_everyone",
       [](Json& j) {
         Event(j,
               {{"at_ms", 6000}, {"action", "partition"}, {"hosts", {"server", "client", "peer"}}});
       },
       nullptr, "$.timeline[5].hosts", "names every host"},
      {"partition_twice",
       [](Json& j) {
         Event(j, {{"at_ms", 6000}, {"action", "partition"}, {"hosts", {"peer", "peer"}}});
       },
       nullptr, "$.timeline[5].hosts[1]", "host \"peer\" is listed twice"},
      {"expect_unknown_connection", [](Json& j) { j["expect"][0]["connection"] = "c2"; }, nullptr,
       "$.expect[0].connection", "unknown connection \"c2\""},
      {"expect_unknown_stream", [](Json& j) { j["expect"][1]["stream"] = "s2"; }, nullptr,
       "$.expect[1].stream", "unknown stream \"s2\""},
      {"expect_closed_without_close", [](Json& j) { j["timeline"].erase(4); }, nullptr,
       "$.expect[0].outcome", "\"closed\" needs a close event for connection \"c1\""},
      {"expect_error_when_established",
       [](Json& j) {
         j["expect"][0]["outcome"] = "established";
         j["expect"][0]["error"] = "timeout";
       },
       nullptr, "$.expect[0].error", "only for outcome \"closed\" or \"failed\""},
      {"expect_unknown_side", [](Json& j) { j["expect"][0]["side"] = "server"; }, nullptr,
       "$.expect[0].side", "unknown side \"server\"; expected one of dialer, listener"},
      {"expect_side_not_a_string", [](Json& j) { j["expect"][0]["side"] = 1; }, nullptr,
       "$.expect[0].side", "got number 1"},
      {"expect_unknown_cause", [](Json& j) { j["expect"][0]["ended"] = "timeout"; }, nullptr,
       "$.expect[0].ended",
       "unknown cause \"timeout\"; expected one of local_close, peer_close, stateless_reset"},
      {"expect_dialer_closed_by_a_timeout",
       [](Json& j) { j["expect"][0]["ended"] = "idle_timeout"; }, nullptr, "$.expect[0].ended",
       "the dialer's end of a \"closed\" connection ends as \"local_close\", got "
       "\"idle_timeout\""},
      {"expect_dialer_failed_by_its_own_close",
       [](Json& j) {
         j["expect"][0]["outcome"] = "failed";
         j["expect"][0]["ended"] = "local_close";
       },
       nullptr, "$.expect[0].ended", "\"local_close\" on the dialer is outcome \"closed\""},
      {"expect_ended_when_established",
       [](Json& j) {
         j["expect"][0]["outcome"] = "established";
         j["expect"][0]["ended"] = "peer_close";
       },
       nullptr, "$.expect[0].ended", "only for outcome \"closed\" or \"failed\""},
      {"expect_by_when_established",
       [](Json& j) {
         j["expect"][0]["outcome"] = "established";
         j["expect"][0]["by_ms"] = 100;
       },
       nullptr, "$.expect[0].by_ms", "only for outcome \"closed\" or \"failed\""},
      {"expect_by_after_duration", [](Json& j) { j["expect"][0]["by_ms"] = 30001; }, nullptr,
       "$.expect[0].by_ms", "must be <= duration_ms (30000), got 30001"},
      {"expect_by_negative", [](Json& j) { j["expect"][0]["by_ms"] = -1; }, nullptr,
       "$.expect[0].by_ms", "must be a non-negative integer, got number -1"},
      {"expect_by_string", [](Json& j) { j["expect"][0]["by_ms"] = "5000"; }, nullptr,
       "$.expect[0].by_ms", "got string \"5000\""},
      {"expect_connection_unknown_field", [](Json& j) { j["expect"][0]["ended_by"] = 1; }, nullptr,
       "$.expect[0].ended_by",
       "unknown field; allowed here: kind, connection, side, outcome, error, ended, by_ms"},
      {"expect_unknown_host",
       [](Json& j) {
         j["expect"].push_back({{"kind", "registry_empty"}, {"host", "relay"}});
       },
       nullptr, "$.expect[2].host", "unknown host \"relay\""},
      // Frame expectations.
      {"frames_unknown_frame", [](Json& j) { Frames(j, [](Json& e) { e["frame"] = "new_cid"; }); },
       nullptr, "$.expect[2].frame",
       "unknown frame \"new_cid\"; expected one of new_connection_id, retire_connection_id, "
       "path_challenge, path_response, new_token, connection_close, stateless_reset"},
      {"frames_unknown_direction",
       [](Json& j) { Frames(j, [](Json& e) { e["direction"] = "in"; }); }, nullptr,
       "$.expect[2].direction", "unknown direction \"in\"; expected one of sent, received"},
      {"frames_missing_direction",
       [](Json& j) { Frames(j, [](Json& e) { e.erase("direction"); }); }, nullptr,
       "$.expect[2].direction", "required field missing"},
      {"frames_unknown_field", [](Json& j) { Frames(j, [](Json& e) { e["seqs"] = 1; }); }, nullptr,
       "$.expect[2].seqs",
       "unknown field; allowed here: kind, host, connection, frame, direction, seq, min, max, "
       "note"},
      {"frames_seq_on_a_frame_without_one",
       [](Json& j) {
         Frames(j, [](Json& e) {
           e["frame"] = "path_challenge";
           e["seq"] = 1;
         });
       },
       nullptr, "$.expect[2].seq",
       "only new_connection_id and retire_connection_id frames carry a sequence number, not "
       "path_challenge"},
      {"frames_seq_over_varint",
       [](Json& j) { Frames(j, [](Json& e) { e["seq"] = uint64_t{1} << 62; }); }, nullptr,
       "$.expect[2].seq", "must be <= 4611686018427387903"},
      {"frames_seq_negative", [](Json& j) { Frames(j, [](Json& e) { e["seq"] = -1; }); }, nullptr,
       "$.expect[2].seq", "must be a non-negative integer, got number -1"},
      {"frames_checking_nothing", [](Json& j) { Frames(j, [](Json& e) { e["min"] = 0; }); },
       nullptr, "$.expect[2]", "checks nothing: give min > 0 or a max"},
      {"frames_max_below_min",
       [](Json& j) {
         Frames(j, [](Json& e) {
           e["min"] = 3;
           e["max"] = 1;
         });
       },
       nullptr, "$.expect[2].max", "must be >= min (3), got 1"},
      {"frames_unknown_connection",
       [](Json& j) { Frames(j, [](Json& e) { e["connection"] = "c9"; }); }, nullptr,
       "$.expect[2].connection",
       "unknown connection \"c9\"; no dial event in the timeline creates it"},
      {"frames_host_at_neither_end",
       [](Json& j) { Frames(j, [](Json& e) { e["host"] = "peer"; }); }, nullptr,
       "$.expect[2].connection",
       "host \"peer\" is neither end of connection \"c1\" (client -> server)"},
      {"frames_sent_reset_on_a_connection",
       [](Json& j) { Frames(j, [](Json& e) { e["frame"] = "stateless_reset"; }); }, nullptr,
       "$.expect[2].direction", "a stateless reset the host sends belongs to no connection"},
      {"frames_note_two_lines", [](Json& j) { Frames(j, [](Json& e) { e["note"] = "a\nb"; }); },
       nullptr, "$.expect[2].note", "must be one line"},
      {"frames_note_empty", [](Json& j) { Frames(j, [](Json& e) { e["note"] = ""; }); }, nullptr,
       "$.expect[2].note", "must not be empty"},
      {"frame_order_missing_after",
       [](Json& j) { FrameOrder(j, [](Json& e) { e.erase("after"); }); }, nullptr,
       "$.expect[2].after", "required field missing"},
      {"frame_order_selector_not_an_object",
       [](Json& j) { FrameOrder(j, [](Json& e) { e["before"] = "retire_connection_id"; }); },
       nullptr, "$.expect[2].before", "must be an object, got string"},
      {"frame_order_selector_unknown_field",
       [](Json& j) { FrameOrder(j, [](Json& e) { e["before"]["host"] = "server"; }); }, nullptr,
       "$.expect[2].before.host", "unknown field; allowed here: frame, direction, seq"},
      {"frame_order_selector_seq_without_one",
       [](Json& j) {
         FrameOrder(j, [](Json& e) {
           e["after"] = {{"frame", "connection_close"}, {"direction", "sent"}, {"seq", 1}};
         });
       },
       nullptr, "$.expect[2].after.seq",
       "only new_connection_id and retire_connection_id frames carry a sequence number"},
      {"frame_order_same_selectors",
       [](Json& j) { FrameOrder(j, [](Json& e) { e["after"] = e["before"]; }); }, nullptr,
       "$.expect[2].after", "must differ from \"before\": a frame cannot precede itself"},
      {"frame_order_sent_reset_on_a_connection",
       [](Json& j) {
         FrameOrder(j, [](Json& e) {
           e["before"] = {{"frame", "stateless_reset"}, {"direction", "sent"}};
         });
       },
       nullptr, "$.expect[2].before.direction",
       "a stateless reset the host sends belongs to no connection"},
      {"frame_order_unknown_field", [](Json& j) { FrameOrder(j, [](Json& e) { e["min"] = 1; }); },
       nullptr, "$.expect[2].min",
       "unknown field; allowed here: kind, host, connection, before, after, note"},
      // Sides, resets and protocol streams.
      {"open_stream_side_not_a_string", [](Json& j) { j["timeline"][1]["side"] = 1; }, nullptr,
       "$.timeline[1].side", "must be a string, got number 1"},
      {"close_unknown_side", [](Json& j) { j["timeline"][4]["side"] = "server"; }, nullptr,
       "$.timeline[4].side", "unknown side \"server\"; expected one of dialer, listener"},
      {"reset_stream_error_code_over_varint",
       [](Json& j) {
         BeforeClose(j, {{"action", "reset_stream"}, {"stream", "s1"}, {"error_code", 1ull << 62}});
       },
       nullptr, "$.timeline[4].error_code", "must be <= 4611686018427387903"},
      {"reset_stream_missing_stream",
       [](Json& j) { BeforeClose(j, {{"action", "reset_stream"}}); }, nullptr,
       "$.timeline[4].stream", "required field missing"},
      {"reset_stream_with_a_field_of_another_action",
       [](Json& j) { BeforeClose(j, {{"action", "reset_stream"}, {"stream", "s1"}, {"bytes", 1}}); },
       nullptr, "$.timeline[4].bytes", "unknown field; allowed here: at_ms, action, stream, error_code"},
      {"ping_count_zero",
       [](Json& j) {
         BeforeClose(j, {{"action", "ping"}, {"connection", "c1"}, {"stream", "p1"}, {"count", 0}});
       },
       nullptr, "$.timeline[4].count", "must be > 0, got 0"},
      {"ping_count_over_max",
       [](Json& j) {
         BeforeClose(j,
                     {{"action", "ping"}, {"connection", "c1"}, {"stream", "p1"}, {"count", 100001}});
       },
       nullptr, "$.timeline[4].count", "must be <= 100000, got 100001"},
      {"ping_interval_over_max",
       [](Json& j) {
         BeforeClose(j, {{"action", "ping"},
                         {"connection", "c1"},
                         {"stream", "p1"},
                         {"interval_ms", 3600001}});
       },
       nullptr, "$.timeline[4].interval_ms", "must be <= 3600000, got 3600001"},
      {"ping_interval_float",
       [](Json& j) {
         BeforeClose(
             j, {{"action", "ping"}, {"connection", "c1"}, {"stream", "p1"}, {"interval_ms", 1.5}});
       },
       nullptr, "$.timeline[4].interval_ms", "must be a non-negative integer, got number 1.5"},
      {"ping_with_a_field_of_another_action",
       [](Json& j) {
         BeforeClose(j, {{"action", "ping"}, {"connection", "c1"}, {"stream", "p1"}, {"bytes", 1}});
       },
       nullptr, "$.timeline[4].bytes",
       "unknown field; allowed here: at_ms, action, connection, stream, side, count, interval_ms"},
      {"ping_missing_stream",
       [](Json& j) { BeforeClose(j, {{"action", "ping"}, {"connection", "c1"}}); }, nullptr,
       "$.timeline[4].stream", "required field missing"},
      {"identify_with_a_field_of_another_action",
       [](Json& j) {
         BeforeClose(j,
                     {{"action", "identify"}, {"connection", "c1"}, {"stream", "i1"}, {"count", 1}});
       },
       nullptr, "$.timeline[4].count",
       "unknown field; allowed here: at_ms, action, connection, stream, side"},
      {"perf_download_over_max",
       [](Json& j) {
         BeforeClose(j, {{"action", "perf"},
                         {"connection", "c1"},
                         {"stream", "f1"},
                         {"download_bytes", (1ull << 30) + 1}});
       },
       nullptr, "$.timeline[4].download_bytes", "must be <= 1073741824, got 1073741825"},
      {"perf_upload_negative",
       [](Json& j) {
         BeforeClose(
             j, {{"action", "perf"}, {"connection", "c1"}, {"stream", "f1"}, {"upload_bytes", -1}});
       },
       nullptr, "$.timeline[4].upload_bytes", "must be a non-negative integer, got number -1"},
      {"perf_missing_connection",
       [](Json& j) { BeforeClose(j, {{"action", "perf"}, {"stream", "f1"}}); }, nullptr,
       "$.timeline[4].connection", "required field missing"},
      {"stream_missing_outcome",
       [](Json& j) { j["expect"].push_back({{"kind", "stream"}, {"stream", "s1"}}); }, nullptr,
       "$.expect[2].outcome", "required field missing"},
      {"stream_with_a_field_of_another_kind",
       [](Json& j) {
         j["expect"].push_back(
             {{"kind", "stream"}, {"stream", "s1"}, {"outcome", "intact"}, {"min", 1}});
       },
       nullptr, "$.expect[2].min", "unknown field; allowed here: kind, stream, outcome"},
      {"ping_replies_zero",
       [](Json& j) {
         OpenProtocolStreams(j);
         j["expect"].push_back({{"kind", "ping"}, {"stream", "p1"}, {"replies", 0}});
       },
       nullptr, "$.expect[2].replies", "must be > 0, got 0"},
      {"ping_max_rtt_zero",
       [](Json& j) {
         OpenProtocolStreams(j);
         j["expect"].push_back({{"kind", "ping"}, {"stream", "p1"}, {"max_rtt_ms", 0}});
       },
       nullptr, "$.expect[2].max_rtt_ms", "must be > 0, got 0"},
      {"ping_max_rtt_over_max",
       [](Json& j) {
         OpenProtocolStreams(j);
         j["expect"].push_back({{"kind", "ping"}, {"stream", "p1"}, {"max_rtt_ms", 3600001}});
       },
       nullptr, "$.expect[2].max_rtt_ms", "must be <= 3600000, got 3600001"},
      {"ping_with_a_field_of_another_kind",
       [](Json& j) {
         OpenProtocolStreams(j);
         j["expect"].push_back({{"kind", "ping"}, {"stream", "p1"}, {"count", 3}});
       },
       nullptr, "$.expect[2].count", "unknown field; allowed here: kind, stream, replies, max_rtt_ms"},
      {"identify_protocols_not_an_array",
       [](Json& j) { Identify(j, [](Json& e) { e["protocols"] = "/ipfs/ping/1.0.0"; }); }, nullptr,
       "$.expect[2].protocols", "must be an array, got string"},
      {"identify_protocol_not_a_string",
       [](Json& j) { Identify(j, [](Json& e) { e["protocols"] = {"/ipfs/ping/1.0.0", 1}; }); },
       nullptr, "$.expect[2].protocols[1]", "must be a string, got number 1"},
      {"identify_protocol_too_long",
       [](Json& j) {
         Identify(j, [](Json& e) { e["protocols"] = {std::string(257, 'p')}; });
       },
       nullptr, "$.expect[2].protocols[0]", "must be at most 256 bytes, got 257"},
      {"identify_protocol_two_lines",
       [](Json& j) { Identify(j, [](Json& e) { e["protocols"] = {"/a\n/b"}; }); }, nullptr,
       "$.expect[2].protocols[0]", "must be one line"},
      {"identify_agent_version_empty",
       [](Json& j) { Identify(j, [](Json& e) { e["agent_version"] = ""; }); }, nullptr,
       "$.expect[2].agent_version", "must not be empty"},
      {"identify_agent_version_too_long",
       [](Json& j) { Identify(j, [](Json& e) { e["agent_version"] = std::string(257, 'a'); }); },
       nullptr, "$.expect[2].agent_version", "must be at most 256 bytes, got 257"},
      {"identify_observed_address_port_zero",
       [](Json& j) { Identify(j, [](Json& e) { e["observed_address"] = "10.0.1.2:0"; }); },
       nullptr, "$.expect[2].observed_address", "port must not be 0"},
      {"identify_with_a_field_of_another_kind",
       [](Json& j) { Identify(j, [](Json& e) { e["outcome"] = "intact"; }); }, nullptr,
       "$.expect[2].outcome",
       "unknown field; allowed here: kind, stream, agent_version, protocols, observed_address"},
      // Time.
      {"at_ms_out_of_order", [](Json& j) { j["timeline"][3]["at_ms"] = 5; }, nullptr,
       "$.timeline[3].at_ms", "must be >= the previous event's at_ms (10), got 5"},
      {"at_ms_after_duration", [](Json& j) { j["timeline"][4]["at_ms"] = 30001; }, nullptr,
       "$.timeline[4].at_ms", "must be <= duration_ms (30000), got 30001"},
      // Address validation settings.
      {"retry_misspelt", [](Json& j) { j["settings"]["retry"] = "sometimes"; }, nullptr,
       "$.settings.retry",
       "unknown retry policy \"sometimes\"; expected one of always, auto, never"},
      {"retry_threshold_zero", [](Json& j) { j["settings"]["retry_threshold"] = 0; }, nullptr,
       "$.settings.retry_threshold", "must be > 0, got 0"},
      {"per_source_too_many",
       [](Json& j) { j["settings"]["max_unvalidated_per_source"] = 1000001; }, nullptr,
       "$.settings.max_unvalidated_per_source", "must be <= 1000000, got 1000001"},
      {"pending_zero", [](Json& j) { j["hosts"][0]["settings"] = {{"max_pending_handshakes", 0}}; },
       nullptr, "$.hosts[0].settings.max_pending_handshakes", "must be > 0, got 0"},
      {"new_tokens_bool", [](Json& j) { j["settings"]["new_tokens"] = true; }, nullptr,
       "$.settings.new_tokens", "must be a string, got"},
      {"new_tokens_misspelt", [](Json& j) { j["settings"]["new_tokens"] = "yes"; }, nullptr,
       "$.settings.new_tokens", "unknown new_tokens value \"yes\"; expected one of on, off"},
      // Floods.
      {"flood_non_listening",
       [](Json& j) {
         BeforeClose(j, {{"action", "flood"}, {"host", "client"}, {"payload", "junk_long"},
                         {"rate", 10}, {"duration_ms", 1000}, {"sources", 5}});
       },
       nullptr, "$.timeline[4].host", "host \"client\" does not listen"},
      {"flood_payload_misspelt",
       [](Json& j) {
         BeforeClose(j, {{"action", "flood"}, {"host", "server"}, {"payload", "junk"},
                         {"rate", 10}, {"duration_ms", 1000}, {"sources", 5}});
       },
       nullptr, "$.timeline[4].payload",
       "unknown flood payload \"junk\"; expected one of initial_replay, junk_long, junk_short"},
      {"flood_rate_zero",
       [](Json& j) {
         BeforeClose(j, {{"action", "flood"}, {"host", "server"}, {"payload", "junk_long"},
                         {"rate", 0}, {"duration_ms", 1000}, {"sources", 5}});
       },
       nullptr, "$.timeline[4].rate", "must be > 0, got 0"},
      {"flood_sources_too_many",
       [](Json& j) {
         BeforeClose(j, {{"action", "flood"}, {"host", "server"}, {"payload", "junk_long"},
                         {"rate", 10}, {"duration_ms", 1000}, {"sources", 65537}});
       },
       nullptr, "$.timeline[4].sources", "must be <= 65536, got 65537"},
      {"flood_missing_sources",
       [](Json& j) {
         BeforeClose(j, {{"action", "flood"}, {"host", "server"}, {"payload", "junk_long"},
                         {"rate", 10}, {"duration_ms", 1000}});
       },
       nullptr, "$.timeline[4].sources", "required field missing"},
      {"flood_past_the_end",
       [](Json& j) {
         BeforeClose(j, {{"action", "flood"}, {"host", "server"}, {"payload", "junk_short"},
                         {"rate", 10}, {"duration_ms", 27001}, {"sources", 5}});
       },
       nullptr, "$.timeline[4].duration_ms",
       "the flood would end at 30001 ms, after the scenario's duration_ms (30000)"},
      {"flood_sends_nothing",
       [](Json& j) {
         BeforeClose(j, {{"action", "flood"}, {"host", "server"}, {"payload", "junk_short"},
                         {"rate", 1}, {"duration_ms", 999}, {"sources", 5}});
       },
       nullptr, "$.timeline[4].rate", "rate x duration sends no datagram"},
      {"flood_too_many_datagrams",
       [](Json& j) {
         BeforeClose(j, {{"action", "flood"}, {"host", "server"}, {"payload", "junk_short"},
                         {"rate", 100000}, {"duration_ms", 10001}, {"sources", 5}});
       },
       nullptr, "$.timeline[4].rate", "is 1000100 datagrams, more than 1000000"},
      {"host_in_flood_range", [](Json& j) { j["hosts"][2]["address"] = "198.19.255.1:4000"; },
       nullptr, "$.hosts[2].address", "is in 198.18.0.0/15"},
      {"migrate_into_flood_range",
       [](Json& j) {
         BeforeClose(j, {{"action", "migrate"}, {"host", "client"}, {"address", "198.18.0.7:5"}});
       },
       nullptr, "$.timeline[4].address", "is in 198.18.0.0/15"},
      {"flood_answers_without_flood",
       [](Json& j) {
         j["expect"].push_back({{"kind", "flood_answers"}, {"answer", "retry"}, {"min", 1}});
       },
       nullptr, "$.expect[2]", "no flood event in the timeline"},
      {"flood_answers_checks_nothing",
       [](Json& j) {
         BeforeClose(j, {{"action", "flood"}, {"host", "server"}, {"payload", "junk_long"},
                         {"rate", 10}, {"duration_ms", 1000}, {"sources", 5}});
         j["expect"].push_back({{"kind", "flood_answers"}, {"answer", "any"}});
       },
       nullptr, "$.expect[2]", "checks nothing"},
      {"flood_answers_misspelt",
       [](Json& j) {
         BeforeClose(j, {{"action", "flood"}, {"host", "server"}, {"payload", "junk_long"},
                         {"rate", 10}, {"duration_ms", 1000}, {"sources", 5}});
         j["expect"].push_back({{"kind", "flood_answers"}, {"answer", "vn"}, {"min", 1}});
       },
       nullptr, "$.expect[2].answer", "unknown flood answer \"vn\""},
      {"handshake_within_zero",
       [](Json& j) { j["expect"][0]["handshake_within_ms"] = 0; }, nullptr,
       "$.expect[0].handshake_within_ms", "must be > 0, got 0"},
      {"handshake_within_past_the_end",
       [](Json& j) { j["expect"][0]["handshake_within_ms"] = 30001; }, nullptr,
       "$.expect[0].handshake_within_ms", "must be <= duration_ms (30000), got 30001"},
      {"retry_sent_on_a_connection",
       [](Json& j) {
         Frames(j, [](Json& e) {
           e["frame"] = "retry";
           e["direction"] = "sent";
         });
       },
       nullptr, "$.expect[2].direction", "a Retry the host sends belongs to no connection"},
      // Not JSON.
      {"truncated", nullptr, "{\"name\": \"x\"", "$", "not valid JSON at byte offset 12: "},
      {"trailing_comma", nullptr, "{\"name\": \"x\",}", "$", "not valid JSON at byte offset 13"},
      {"trailing_garbage", nullptr, "{} {}", "$", "not valid JSON"},
      {"empty_text", nullptr, "", "$", "not valid JSON"},
      {"invalid_utf8", nullptr, "{\"name\": \"\xff\"}", "$", "not valid JSON"},
      {"duplicate_key", nullptr, "{\"seed\": 1, \"seed\": 2}", "$.seed", "duplicate key"},
      {"nested_duplicate_key", nullptr,
       "{\"hosts\": [{\"name\": \"a\"}, {\"nat\": true, \"name\": \"b\", \"nat\": false}]}",
       "$.hosts[1].nat", "duplicate key"},
      {"too_deep", nullptr, "{\"a\": [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}",
       "$.a[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]", "nested deeper than 16 levels"},
  };
  return cases;
}

class ScenarioErrorsTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ScenarioErrorsTest, NamesThePathAndTheReason) {
  const BadCase& c = GetParam();
  std::string text = c.raw == nullptr ? "" : c.raw;
  if (c.edit) {
    Json j = Base();
    c.edit(j);
    text = j.dump(2);
  }
  Scenario scenario;
  ParseError error;
  EXPECT_NE(ParseScenario(text, &scenario, &error), ParseStatus::kOk) << text;
  EXPECT_EQ(error.json_path, c.path) << error.reason;
  EXPECT_NE(error.reason.find(c.reason), std::string::npos)
      << "reason: " << error.reason << "\nwanted: " << c.reason;
}

INSTANTIATE_TEST_SUITE_P(BadInputs, ScenarioErrorsTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<BadCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(ScenarioErrorsBaseTest, TheBaseItselfIsValid) {
  Scenario scenario;
  ParseError error;
  EXPECT_EQ(ParseScenario(Base().dump(), &scenario, &error), ParseStatus::kOk)
      << error.json_path << ": " << error.reason;
}

TEST(ScenarioErrorsBaseTest, StatusesTellJsonFromScenarioErrors) {
  Scenario scenario;
  ParseError error;
  EXPECT_EQ(ParseScenario("{", &scenario, &error), ParseStatus::kInvalidJson);
  EXPECT_EQ(ParseScenario("{}", &scenario, &error), ParseStatus::kInvalidScenario);
  EXPECT_EQ(error.json_path, "$.name");  // Fields are read in FORMAT.md's order.
  EXPECT_EQ(ParseScenario(std::string(kMaxScenarioBytes + 1, ' '), &scenario, &error),
            ParseStatus::kInvalidJson);
  EXPECT_NE(error.reason.find("larger than"), std::string::npos);
}

}  // namespace
}  // namespace p2pquic::scenarios
