#include "scenarios/format/scenario_parser.h"

#include <cerrno>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <system_error>

#include "scenarios/format/bottleneck_parser.h"
#include "scenarios/format/error_sink.h"
#include "scenarios/format/expectation_parser.h"
#include "scenarios/format/host_references.h"
#include "scenarios/format/json_document.h"
#include "scenarios/format/json_field_reader.h"
#include "scenarios/format/link_conditions_parser.h"
#include "scenarios/format/timeline_parser.h"

namespace p2pquic::scenarios {
namespace {

using Json = nlohmann::json;

constexpr size_t kReadChunkBytes = 64 * 1024;

std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// A max_ field below its initial value: reported at whichever of the two
// the object names (the max_ one when it names both), since the other may
// come from the base settings.
void CheckAtLeast(JsonFieldReader& r, std::string_view max_field, uint64_t max,
                  std::string_view floor_field, uint64_t floor) {
  if (r.failed() || max >= floor) return;
  const std::string_view at = r.Find(max_field) != nullptr ? max_field : floor_field;
  r.Fail(at, std::string(max_field) + " (" + std::to_string(max) +
                 ") must be >= " + std::string(floor_field) + " (" + std::to_string(floor) + ")");
}

// `value` (a partial object) on top of `base`: the scenario's settings start
// from the defaults, a host's from the scenario's.
void ParseSettings(const Json& value, const std::string& path, const TransportSettings& base,
                   ErrorSink& errors, TransportSettings* out) {
  constexpr Presence kOptional = Presence::kOptional;
  *out = base;
  JsonFieldReader r(value, path, errors);
  r.AllowOnly({"idle_timeout_ms", "handshake_timeout_ms", "keep_alive_ms", "retired_cid_grace_ms",
               "active_connection_id_limit", "cid_length", "connection_window", "stream_window",
               "max_connection_window", "max_stream_window", "stream_send_buffer",
               "max_stream_send_buffer", "max_connection_send_buffer", "retry", "retry_threshold",
               "max_unvalidated_per_source", "max_pending_handshakes", "new_tokens"});
  // A zero idle or handshake timeout would end every connection at once.
  r.Millis("idle_timeout_ms", {1, kMaxScenarioMillis}, &out->idle_timeout, kOptional);
  r.Millis("handshake_timeout_ms", {1, kMaxScenarioMillis}, &out->handshake_timeout, kOptional);
  r.Millis("keep_alive_ms", {0, kMaxScenarioMillis}, &out->keep_alive, kOptional);
  r.Millis("retired_cid_grace_ms", {0, kMaxScenarioMillis}, &out->retired_cid_grace, kOptional);
  r.Uint("active_connection_id_limit", {kMinActiveConnectionIdLimit, kMaxActiveConnectionIdLimit},
         &out->active_connection_id_limit, kOptional);
  r.Uint("cid_length", {kZeroCidLength, kMaxCidLength}, &out->cid_length, kOptional);
  if (out->cid_length != kZeroCidLength && out->cid_length < kMinCidLength) {
    r.Fail("cid_length", std::to_string(out->cid_length) +
                             " bytes: either 0 (zero-length CIDs, routed by the 4-tuple) or " +
                             std::to_string(kMinCidLength) + " .. " +
                             std::to_string(kMaxCidLength) +
                             " (shorter random CIDs collide too often)");
  }
  // A zero window or buffer would stall every stream for good.
  const UintRange window{1, kMaxWindowBytes};
  r.Uint("connection_window", window, &out->connection_window, kOptional);
  r.Uint("stream_window", window, &out->stream_window, kOptional);
  r.Uint("max_connection_window", window, &out->max_connection_window, kOptional);
  r.Uint("max_stream_window", window, &out->max_stream_window, kOptional);
  const UintRange buffer{1, kMaxSendBufferBytes};
  r.Uint("stream_send_buffer", buffer, &out->stream_send_buffer, kOptional);
  r.Uint("max_stream_send_buffer", buffer, &out->max_stream_send_buffer, kOptional);
  r.Uint("max_connection_send_buffer", buffer, &out->max_connection_send_buffer, kOptional);
  r.EnumName("retry", "retry policy", &RetryPolicyFromString, kRetryPolicyCount, &out->retry,
             kOptional);
  const UintRange admission{1, kMaxAdmissionCount};
  r.Uint("retry_threshold", admission, &out->retry_threshold, kOptional);
  r.Uint("max_unvalidated_per_source", admission, &out->max_unvalidated_per_source, kOptional);
  r.Uint("max_pending_handshakes", admission, &out->max_pending_handshakes, kOptional);
  r.EnumName("new_tokens", "new_tokens value", &NewTokensFromString, kNewTokensCount,
             &out->new_tokens, kOptional);
  CheckAtLeast(r, "max_connection_window", out->max_connection_window, "connection_window",
               out->connection_window);
  CheckAtLeast(r, "max_stream_window", out->max_stream_window, "stream_window", out->stream_window);
  CheckAtLeast(r, "max_stream_send_buffer", out->max_stream_send_buffer, "stream_send_buffer",
               out->stream_send_buffer);
}

// `scenario_settings` is the base of a host's own settings.
void ParseHost(const Json& value, const std::string& path,
               const TransportSettings& scenario_settings, ErrorSink& errors, Host* out) {
  JsonFieldReader r(value, path, errors);
  r.AllowOnly({"name", "address", "listen", "nat", "socket_send_buffer_bytes", "random_seed",
               "settings", "workers", "steering", "forward_delay_ms"});
  r.Name("name", &out->name, Presence::kRequired);
  r.Address("address", &out->address, Presence::kRequired);
  r.Bool("listen", &out->listen, Presence::kOptional);
  r.Bool("nat", &out->nat, Presence::kOptional);
  r.Uint("socket_send_buffer_bytes", {0, kMaxSocketSendBufferBytes}, &out->socket_send_buffer_bytes,
         Presence::kOptional);
  // Absent and present are different runs (derived seed vs. this one), so
  // the model keeps the difference instead of defaulting to a number.
  if (r.Find("random_seed") != nullptr) {
    uint64_t random_seed = 0;
    r.Uint("random_seed", {}, &random_seed, Presence::kRequired);
    if (!r.failed()) out->random_seed = random_seed;
  }
  if (const Json* settings = r.Object("settings", Presence::kOptional)) {
    TransportSettings own;
    ParseSettings(*settings, r.PathOf("settings"), scenario_settings, errors, &own);
    if (!errors.failed()) out->settings = own;
  }
  r.Uint("workers", {1, kMaxWorkers}, &out->workers, Presence::kOptional);
  r.EnumName("steering", "steering", &SteeringModeFromString, kSteeringModeCount, &out->steering,
             Presence::kOptional);
  r.Millis("forward_delay_ms", {0, kMaxForwardDelayMillis}, &out->forward_delay,
           Presence::kOptional);
  if (r.failed() || out->workers > 1) return;
  // One worker has no one to steer to or forward to: a file saying how
  // would describe a run that does not happen.
  for (const char* field : {"steering", "forward_delay_ms"}) {
    if (r.Find(field) != nullptr) {
      return errors.Fail(r.PathOf(field), "only for a host with workers above 1");
    }
  }
}

// A multi-worker host's rules beyond its own fields (its listen flag and
// its merged settings).
void CheckWorkers(const Host& host, const std::string& path,
                  const TransportSettings& scenario_settings, ErrorSink& errors) {
  if (host.workers <= 1) return;
  if (!host.listen) {
    return errors.Fail(path + ".workers",
                       "workers above 1 only for a listening host (listen: true): workers share "
                       "an address that accepts inbound connections");
  }
  const uint64_t cid_length = host.settings.value_or(scenario_settings).cid_length;
  if (cid_length != kWorkerCidLength) {
    return errors.Fail(path + (host.settings ? ".settings.cid_length" : ".workers"),
                       "a multi-worker host issues " + std::to_string(kWorkerCidLength) +
                           "-byte QUIC-LB CIDs naming their worker; its cid_length is " +
                           std::to_string(cid_length));
  }
}

// Parses each host, refusing a name or an address used twice.
void ParseHosts(const Json& hosts, const std::string& path,
                const TransportSettings& scenario_settings, ErrorSink& errors,
                std::vector<Host>* out) {
  if (hosts.empty()) return errors.Fail(path, "must have at least one host");
  std::set<std::string> names;
  std::map<std::string, std::string> addresses;  // Address -> host name.
  for (size_t i = 0; i < hosts.size() && !errors.failed(); ++i) {
    Host host;
    ParseHost(hosts[i], Index(path, i), scenario_settings, errors, &host);
    if (errors.failed()) return;
    // The endpoint refuses it (CheckEndpointConfig): say so here, by field.
    if (host.listen && host.settings.value_or(scenario_settings).cid_length == kZeroCidLength) {
      return errors.Fail(Index(path, i) + (host.settings ? ".settings.cid_length" : ".listen"),
                         "a listening host cannot use zero-length CIDs (cid_length 0): its "
                         "clients would be told apart by 4-tuple only (RFC 9000 §5.1); zero-length "
                         "CIDs are for hosts that only dial");
    }
    CheckWorkers(host, Index(path, i), scenario_settings, errors);
    if (errors.failed()) return;
    if (!names.insert(host.name).second) {
      return errors.Fail(Index(path, i) + ".name", "duplicate host name \"" + host.name + "\"");
    }
    if (InFloodPrefix(host.address)) {
      return errors.Fail(Index(path, i) + ".address",
                         host.address.ToString() +
                             " is in 198.18.0.0/15, the range floods spoof their sources from");
    }
    const auto [holder, added] = addresses.emplace(host.address.ToString(), host.name);
    if (!added) {
      return errors.Fail(
          Index(path, i) + ".address",
          "address " + host.address.ToString() + " is already host \"" + holder->second + "\"'s");
    }
    out->push_back(std::move(host));
  }
}

void ParseOverride(const Json& value, const std::string& path, const Scenario& scenario,
                   ErrorSink& errors, LinkOverride* out) {
  JsonFieldReader r(value, path, errors);
  r.AllowOnly({"from", "to", "conditions"});
  ReadHostPair(r, scenario, &out->from, &out->to);
  const Json* conditions = r.Object("conditions", Presence::kRequired);
  if (conditions == nullptr) return;
  ParseLinkConditions(*conditions, r.PathOf("conditions"), scenario.links.default_conditions,
                      errors, &out->conditions);
}

// Needs scenario->hosts; fills scenario->links.
void ParseLinks(const Json& value, const std::string& path, ErrorSink& errors, Scenario* scenario) {
  JsonFieldReader r(value, path, errors);
  r.AllowOnly({"default", "overrides", "bottlenecks"});
  Links& links = scenario->links;
  if (const Json* conditions = r.Object("default", Presence::kOptional)) {
    ParseLinkConditions(*conditions, r.PathOf("default"), LinkConditions{}, errors,
                        &links.default_conditions);
  }
  const Json* overrides = r.Array("overrides", Presence::kOptional);
  for (size_t i = 0; overrides != nullptr && i < overrides->size() && !errors.failed(); ++i) {
    LinkOverride link;
    const std::string at = Index(r.PathOf("overrides"), i);
    ParseOverride((*overrides)[i], at, *scenario, errors, &link);
    for (const LinkOverride& earlier : links.overrides) {
      if (errors.failed() || earlier.from != link.from || earlier.to != link.to) continue;
      errors.Fail(at, "a second override for " + link.from + " -> " + link.to);
    }
    links.overrides.push_back(std::move(link));
  }
  if (const Json* bottlenecks = r.Array("bottlenecks", Presence::kOptional)) {
    ParseBottlenecks(*bottlenecks, r.PathOf("bottlenecks"), *scenario, errors, &links.bottlenecks);
  }
}

void ParseTopLevel(const Json& root, ErrorSink& errors, Scenario* s) {
  JsonFieldReader r(root, "$", errors);
  r.AllowOnly({"name", "description", "seed", "duration_ms", "settings", "hosts", "links",
               "timeline", "expect"});
  r.Name("name", &s->name, Presence::kRequired);
  r.Text("description", kMaxDescriptionLength, &s->description, Presence::kRequired);
  r.Uint("seed", {}, &s->seed, Presence::kRequired);
  r.Millis("duration_ms", {1, kMaxScenarioMillis}, &s->duration, Presence::kRequired);
  if (const Json* settings = r.Object("settings", Presence::kOptional)) {
    ParseSettings(*settings, r.PathOf("settings"), TransportSettings{}, errors, &s->settings);
  }
  if (const Json* hosts = r.Array("hosts", Presence::kRequired)) {
    ParseHosts(*hosts, r.PathOf("hosts"), s->settings, errors, &s->hosts);
  }
  if (const Json* links = r.Object("links", Presence::kOptional)) {
    ParseLinks(*links, r.PathOf("links"), errors, s);
  }
  TimelineParser timeline(*s, errors);
  if (const Json* events = r.Array("timeline", Presence::kRequired)) {
    timeline.Parse(*events, r.PathOf("timeline"), &s->timeline);
  }
  if (const Json* expect = r.Array("expect", Presence::kRequired)) {
    ExpectationParser(*s, timeline.facts(), errors).Parse(*expect, r.PathOf("expect"), &s->expect);
  }
}

ParseStatus Fail(ParseStatus status, ParseError found, ParseError* error) {
  if (error != nullptr) *error = std::move(found);
  return status;
}

}  // namespace

ParseStatus ParseScenario(std::string_view json, Scenario* out, ParseError* error) {
  try {
    Json root;
    ParseError json_error;
    if (ParseJsonDocument(json, &root, &json_error) != ParseStatus::kOk) {
      return Fail(ParseStatus::kInvalidJson, std::move(json_error), error);
    }
    ErrorSink errors;
    Scenario scenario;
    ParseTopLevel(root, errors, &scenario);
    if (errors.failed()) return Fail(ParseStatus::kInvalidScenario, errors.error(), error);
    *out = std::move(scenario);
    return ParseStatus::kOk;
  } catch (const std::exception& e) {
    // Only allocation failure can get here; the contract is that nothing escapes.
    return Fail(ParseStatus::kInvalidScenario, {"$", std::string("internal error: ") + e.what()},
                error);
  }
}

ParseStatus LoadScenarioFile(const std::string& path, Scenario* out, ParseError* error) {
  const auto unreadable = [&](const char* what) {
    const std::string reason = std::error_code(errno, std::system_category()).message();
    return Fail(ParseStatus::kUnreadableFile, {path, std::string(what) + ": " + reason}, error);
  };
  errno = 0;
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (file == nullptr) return unreadable("cannot open");
  std::string text;
  char chunk[kReadChunkBytes];
  // Reading past the limit would only be thrown away: ParseScenario refuses
  // anything over it, so one byte more is enough.
  while (text.size() <= kMaxScenarioBytes) {
    const size_t read = std::fread(chunk, 1, sizeof(chunk), file.get());
    text.append(chunk, read);
    if (read < sizeof(chunk)) break;
  }
  if (std::ferror(file.get())) return unreadable("cannot read");
  return ParseScenario(text, out, error);
}

}  // namespace p2pquic::scenarios
