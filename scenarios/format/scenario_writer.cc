#include "scenarios/format/scenario_writer.h"

#include <chrono>
#include <nlohmann/json.hpp>

namespace p2pquic::scenarios {
namespace {

// Keys keep insertion order, so files read top-down like FORMAT.md.
using Json = nlohmann::ordered_json;

constexpr int kIndent = 2;

uint64_t Millis(Duration duration) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(duration).count());
}

Json Write(const TransportSettings& s) {
  return Json{{"idle_timeout_ms", Millis(s.idle_timeout)},
              {"handshake_timeout_ms", Millis(s.handshake_timeout)},
              {"keep_alive_ms", Millis(s.keep_alive)},
              {"retired_cid_grace_ms", Millis(s.retired_cid_grace)},
              {"active_connection_id_limit", s.active_connection_id_limit},
              {"cid_length", s.cid_length},
              {"connection_window", s.connection_window},
              {"stream_window", s.stream_window},
              {"max_connection_window", s.max_connection_window},
              {"max_stream_window", s.max_stream_window},
              {"stream_send_buffer", s.stream_send_buffer},
              {"max_stream_send_buffer", s.max_stream_send_buffer},
              {"max_connection_send_buffer", s.max_connection_send_buffer},
              {"retry", ToString(s.retry)},
              {"retry_threshold", s.retry_threshold},
              {"max_unvalidated_per_source", s.max_unvalidated_per_source},
              {"max_pending_handshakes", s.max_pending_handshakes},
              {"new_tokens", ToString(s.new_tokens)}};
}

Json Write(const LinkConditions& c) {
  return Json{{"delay_ms", Millis(c.delay)},
              {"jitter_ms", Millis(c.jitter)},
              {"loss", c.loss},
              {"loss_burst", c.loss_burst},
              {"duplicate", c.duplicate},
              {"duplicate_delay_ms", Millis(c.duplicate_delay)},
              {"corrupt", c.corrupt},
              {"bandwidth_kbps", c.bandwidth_kbps},
              {"queue_bytes", c.queue_bytes},
              {"mtu", c.mtu}};
}

Json Write(const Host& h) {
  Json j{{"name", h.name},
         {"address", h.address.ToString()},
         {"listen", h.listen},
         {"nat", h.nat},
         {"socket_send_buffer_bytes", h.socket_send_buffer_bytes}};
  // Only when set: absence means "derived from the run's seed", which no
  // number written here could stand for.
  if (h.random_seed) j["random_seed"] = *h.random_seed;
  // Only when set: absence means "the scenario's settings", which change
  // with them; complete when written, so the host's run never depends on
  // what it was merged onto.
  if (h.settings) j["settings"] = Write(*h.settings);
  // Only for a multi-worker host: the parser refuses steering fields on
  // one worker, and files without workers stay as they were.
  if (h.workers > 1) {
    j["workers"] = h.workers;
    j["steering"] = ToString(h.steering);
    j["forward_delay_ms"] = Millis(h.forward_delay);
  }
  return j;
}

Json Write(const Links& links) {
  Json overrides = Json::array();
  for (const LinkOverride& link : links.overrides) {
    overrides.push_back(
        Json{{"from", link.from}, {"to", link.to}, {"conditions", Write(link.conditions)}});
  }
  Json bottlenecks = Json::array();
  for (const Bottleneck& bottleneck : links.bottlenecks) {
    Json directions = Json::array();
    for (const LinkDirection& d : bottleneck.directions) {
      directions.push_back(Json{{"from", d.from}, {"to", d.to}});
    }
    bottlenecks.push_back(Json{{"name", bottleneck.name},
                               {"directions", directions},
                               {"bandwidth_kbps", bottleneck.bandwidth_kbps},
                               {"queue_bytes", bottleneck.queue_bytes}});
  }
  return Json{{"default", Write(links.default_conditions)},
              {"overrides", overrides},
              {"bottlenecks", bottlenecks}};
}

// --- Event fields, added after "at_ms" and "action" ---

void AddFields(const DialAction& a, Json& j) {
  j["from"] = a.from;
  j["to"] = a.to;
  j["connection"] = a.connection;
}

// The fields of every action that opens a stream: which connection, the
// stream's name, and which end opens it.
template <typename OpensStream>
void AddOpenerFields(const OpensStream& a, Json& j) {
  j["connection"] = a.connection;
  j["stream"] = a.stream;
  j["side"] = ToString(a.side);
}

void AddFields(const OpenStreamAction& a, Json& j) { AddOpenerFields(a, j); }

void AddFields(const SendAction& a, Json& j) {
  j["stream"] = a.stream;
  j["bytes"] = a.bytes;
  j["fin"] = a.fin;
}

void AddFields(const RebindAction& a, Json& j) {
  j["host"] = a.host;
  j["mode"] = ToString(a.mode);
}

void AddFields(const MigrateAction& a, Json& j) {
  j["host"] = a.host;
  j["address"] = a.address.ToString();
}

void AddFields(const PartitionAction& a, Json& j) { j["hosts"] = a.hosts; }

void AddFields(const HealAction&, Json&) {}

void AddFields(const BlackholeAction& a, Json& j) {
  j["from"] = a.from;
  j["to"] = a.to;
  j["duration_ms"] = Millis(a.duration);
}

void AddFields(const SetLinkAction& a, Json& j) {
  j["from"] = a.from;
  j["to"] = a.to;
  j["conditions"] = Write(a.conditions);
}

void AddFields(const DelayCidRegistrationAction& a, Json& j) {
  j["host"] = a.host;
  j["delay_ms"] = Millis(a.delay);
}

void AddFields(const CloseAction& a, Json& j) {
  j["connection"] = a.connection;
  j["side"] = ToString(a.side);
  j["error_code"] = a.error_code;
}

void AddFields(const RestartAction& a, Json& j) { j["host"] = a.host; }

void AddFields(const ResetStreamAction& a, Json& j) {
  j["stream"] = a.stream;
  j["error_code"] = a.error_code;
}

void AddFields(const PingAction& a, Json& j) {
  AddOpenerFields(a, j);
  j["count"] = a.count;
  j["interval_ms"] = Millis(a.interval);
}

void AddFields(const IdentifyAction& a, Json& j) { AddOpenerFields(a, j); }

void AddFields(const PerfAction& a, Json& j) {
  AddOpenerFields(a, j);
  j["upload_bytes"] = a.upload_bytes;
  j["download_bytes"] = a.download_bytes;
}

void AddFields(const FloodAction& a, Json& j) {
  j["host"] = a.host;
  j["payload"] = ToString(a.payload);
  j["rate"] = a.rate;
  j["duration_ms"] = Millis(a.duration);
  j["sources"] = a.sources;
}

Json Write(const Event& event) {
  Json j{{"at_ms", Millis(event.at)}, {"action", ToString(event.kind())}};
  std::visit([&](const auto& action) { AddFields(action, j); }, event.action);
  return j;
}

// --- Expectation fields, added after "kind" ---

void AddFields(const ConnectionExpectation& e, Json& j) {
  j["connection"] = e.connection;
  j["side"] = ToString(e.side);
  j["outcome"] = ToString(e.outcome);
  if (e.error) j["error"] = *e.error;
  if (e.ended) j["ended"] = ToString(*e.ended);
  if (e.by) j["by_ms"] = Millis(*e.by);
  if (e.handshake_within) j["handshake_within_ms"] = Millis(*e.handshake_within);
}

void AddFields(const StreamIntactExpectation& e, Json& j) { j["stream"] = e.stream; }

void AddFields(const RouteCountExpectation& e, Json& j) {
  j["host"] = e.host;
  j["outcome"] = ToString(e.outcome);
  j["min"] = e.min;
  if (e.max) j["max"] = *e.max;
}

void AddFields(const PathValidatedExpectation& e, Json& j) {
  j["host"] = e.host;
  j["min"] = e.min;
}

void AddFields(const RegistryEmptyExpectation& e, Json& j) { j["host"] = e.host; }

void AddFields(const StatelessResetsExpectation& e, Json& j) {
  j["host"] = e.host;
  j["min"] = e.min;
  if (e.max) j["max"] = *e.max;
}

void AddFields(const HandshakesExpectation& e, Json& j) {
  j["host"] = e.host;
  j["count"] = ToString(e.count);
  j["min"] = e.min;
  if (e.max) j["max"] = *e.max;
}

void AddSelector(const FrameSelector& s, Json& j) {
  j["frame"] = ToString(s.frame);
  j["direction"] = ToString(s.direction);
  if (s.seq) j["seq"] = *s.seq;
}

void AddFields(const FramesExpectation& e, Json& j) {
  j["host"] = e.host;
  if (e.connection) j["connection"] = *e.connection;
  AddSelector(e.select, j);
  j["min"] = e.min;
  if (e.max) j["max"] = *e.max;
  if (e.note) j["note"] = *e.note;
}

void AddFields(const FrameOrderExpectation& e, Json& j) {
  j["host"] = e.host;
  if (e.connection) j["connection"] = *e.connection;
  Json before, after;
  AddSelector(e.before, before);
  AddSelector(e.after, after);
  j["before"] = before;
  j["after"] = after;
  if (e.note) j["note"] = *e.note;
}

void AddFields(const DeliveredExpectation& e, Json& j) {
  j["stream"] = e.stream;
  j["from_ms"] = Millis(e.from);
  j["by_ms"] = Millis(e.by);
  j["min"] = e.min;
  if (e.max) j["max"] = *e.max;
}

void AddFields(const StreamExpectation& e, Json& j) {
  j["stream"] = e.stream;
  j["outcome"] = ToString(e.outcome);
}

void AddFields(const PingExpectation& e, Json& j) {
  j["stream"] = e.stream;
  j["replies"] = e.replies;
  if (e.max_rtt) j["max_rtt_ms"] = Millis(*e.max_rtt);
}

void AddFields(const IdentifyExpectation& e, Json& j) {
  j["stream"] = e.stream;
  if (e.agent_version) j["agent_version"] = *e.agent_version;
  j["protocols"] = e.protocols;
  if (e.observed_address) j["observed_address"] = e.observed_address->ToString();
}

void AddFields(const PerfExpectation& e, Json& j) { j["stream"] = e.stream; }

void AddFields(const FloodAnswersExpectation& e, Json& j) {
  j["answer"] = ToString(e.answer);
  j["min"] = e.min;
  if (e.max) j["max"] = *e.max;
}

Json Write(const Expectation& expectation) {
  Json j{{"kind", ToString(expectation.kind())}};
  std::visit([&](const auto& check) { AddFields(check, j); }, expectation.check);
  return j;
}

template <typename T>
Json WriteAll(const std::vector<T>& items) {
  Json array = Json::array();
  for (const T& item : items) array.push_back(Write(item));
  return array;
}

}  // namespace

std::string ToJson(const Scenario& s) {
  const Json j{{"name", s.name},
               {"description", s.description},
               {"seed", s.seed},
               {"duration_ms", Millis(s.duration)},
               {"settings", Write(s.settings)},
               {"hosts", WriteAll(s.hosts)},
               {"links", Write(s.links)},
               {"timeline", WriteAll(s.timeline)},
               {"expect", WriteAll(s.expect)}};
  // `replace` keeps the no-throw promise for hand-built, non-UTF-8 strings.
  return j.dump(kIndent, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace p2pquic::scenarios
