#include "scenarios/format/timeline_parser.h"

#include <chrono>
#include <limits>

#include "scenarios/format/host_references.h"
#include "scenarios/format/link_conditions_parser.h"
#include "scenarios/format/variant_by_index.h"

namespace p2pquic::scenarios {
namespace {

using Json = nlohmann::json;

// The fields each action allows, besides "at_ms" and "action".
std::vector<std::string_view> FieldsOf(Action action) {
  switch (action) {
    case Action::kDial:
      return {"from", "to", "connection"};
    case Action::kOpenStream:
      return {"connection", "stream", "side"};
    case Action::kSend:
      return {"stream", "bytes", "fin"};
    case Action::kRebind:
      return {"host", "mode"};
    case Action::kMigrate:
      return {"host", "address"};
    case Action::kPartition:
      return {"hosts"};
    case Action::kHeal:
      return {};
    case Action::kBlackhole:
      return {"from", "to", "duration_ms"};
    case Action::kSetLink:
      return {"from", "to", "conditions"};
    case Action::kDelayCidRegistration:
      return {"host", "delay_ms"};
    case Action::kClose:
      return {"connection", "side", "error_code"};
    case Action::kRestart:
      return {"host"};
    case Action::kResetStream:
      return {"stream", "error_code"};
    case Action::kPing:
      return {"connection", "stream", "side", "count", "interval_ms"};
    case Action::kIdentify:
      return {"connection", "stream", "side"};
    case Action::kPerf:
      return {"connection", "stream", "side", "upload_bytes", "download_bytes"};
    case Action::kFlood:
      return {"host", "payload", "rate", "duration_ms", "sources"};
  }
  return {};
}

std::string Quoted(const std::string& name) { return "\"" + name + "\""; }

std::string Millis(Duration duration) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(duration).count());
}

std::string EventText(size_t index) { return "timeline event " + std::to_string(index); }

}  // namespace

const char* ToString(StreamKind kind) {
  switch (kind) {
    case StreamKind::kTransfer:
      return "transfer";
    case StreamKind::kPing:
      return "ping";
    case StreamKind::kIdentify:
      return "identify";
    case StreamKind::kPerf:
      return "perf";
  }
  return "unknown";
}

const char* ProtocolOf(StreamKind kind) {
  switch (kind) {
    case StreamKind::kTransfer:
      return "/p2pquic/sim/transfer/1.0.0";
    case StreamKind::kPing:
      return "/ipfs/ping/1.0.0";
    case StreamKind::kIdentify:
      return "/ipfs/id/1.0.0";
    case StreamKind::kPerf:
      return "/perf/1.0.0";
  }
  return "unknown";
}

std::string Describe(StreamKind kind) {
  const char* article = kind == StreamKind::kIdentify ? "an " : "a ";
  return article + std::string(ToString(kind)) + " stream (" + ProtocolOf(kind) + ")";
}

Action OpenedBy(StreamKind kind) {
  switch (kind) {
    case StreamKind::kTransfer:
      return Action::kOpenStream;
    case StreamKind::kPing:
      return Action::kPing;
    case StreamKind::kIdentify:
      return Action::kIdentify;
    case StreamKind::kPerf:
      return Action::kPerf;
  }
  return Action::kOpenStream;
}

TimelineParser::TimelineParser(const Scenario& scenario, ErrorSink& errors)
    : scenario_(scenario), errors_(errors) {
  for (const Host& host : scenario_.hosts) addresses_[host.name] = host.address;
  for (const LinkOverride& link : scenario_.links.overrides) {
    links_[{link.from, link.to}] = link.conditions;
  }
}

void TimelineParser::Parse(const Json& timeline, const std::string& path, std::vector<Event>* out) {
  out->clear();
  for (size_t i = 0; i < timeline.size() && !errors_.failed(); ++i) {
    Event event;
    index_ = i;
    ParseEvent(timeline[i], path + "[" + std::to_string(i) + "]", &event);
    out->push_back(std::move(event));
  }
}

void TimelineParser::ParseEvent(const Json& value, const std::string& path, Event* out) {
  JsonFieldReader reader(value, path, errors_);
  Action action = Action::kDial;
  reader.EnumName("action", "action", &ActionFromString, kActionCount, &action,
                  Presence::kRequired);
  if (reader.failed()) return;
  std::vector<std::string_view> allowed = {"at_ms", "action"};
  for (std::string_view field : FieldsOf(action)) allowed.push_back(field);
  reader.AllowOnly(allowed);
  ParseTime(reader, &out->at);
  at_ = out->at;
  out->action = MakeVariantByIndex<EventAction>(static_cast<size_t>(action));
  std::visit([&](auto& parsed) { ParseAction(reader, &parsed); }, out->action);
}

void TimelineParser::ParseTime(JsonFieldReader& reader, Duration* at) {
  reader.Millis("at_ms", {0, kMaxScenarioMillis}, at, Presence::kRequired);
  if (reader.failed()) return;
  if (*at > scenario_.duration) {
    return reader.Fail(
        "at_ms", "must be <= duration_ms (" + Millis(scenario_.duration) + "), got " + Millis(*at));
  }
  if (*at < previous_at_) {
    return reader.Fail("at_ms", "must be >= the previous event's at_ms (" + Millis(previous_at_) +
                                    "), got " + Millis(*at));
  }
  previous_at_ = *at;
}

void TimelineParser::ParseAction(JsonFieldReader& reader, DialAction* out) {
  ReadHostPair(reader, scenario_, &out->from, &out->to);
  if (!reader.failed() && !scenario_.FindHost(out->to)->listen) {
    return reader.Fail("to", "host " + Quoted(out->to) +
                                 " does not listen (listen: false); only listening hosts "
                                 "can be dialed");
  }
  reader.Name("connection", &out->connection, Presence::kRequired);
  if (reader.failed()) return;
  if (facts_.connections.contains(out->connection)) {
    return reader.Fail("connection", "duplicate connection name " + Quoted(out->connection));
  }
  facts_.connections[out->connection] = {.from = out->from, .to = out->to};
  connection_dialer_[out->connection] = out->from;
  dialers_.insert(out->from);
}

void TimelineParser::ParseAction(JsonFieldReader& reader, OpenStreamAction* out) {
  ReadOpenConnection(reader, &out->connection);
  ReadSide(reader, out->connection, &out->side);
  ReadNewStream(reader, out->connection, out->side, StreamKind::kTransfer, &out->stream);
}

void TimelineParser::ParseAction(JsonFieldReader& reader, SendAction* out) {
  ReadTransferStream(reader, Action::kSend, &out->stream);
  if (reader.failed()) return;
  if (facts_.streams.at(out->stream).finished) {
    return reader.Fail(
        "stream", "stream " + Quoted(out->stream) + " was ended by an earlier send with fin: true");
  }
  CheckStreamConnection(reader, out->stream);
  reader.Uint("bytes", {1, kMaxSendBytes}, &out->bytes, Presence::kRequired);
  reader.Bool("fin", &out->fin, Presence::kOptional);
  if (!reader.failed() && out->fin) facts_.streams[out->stream].finished = true;
}

void TimelineParser::ParseAction(JsonFieldReader& reader, ResetStreamAction* out) {
  // A stream that sent its fin may still be reset: its bytes may not all
  // have arrived yet, and RESET_STREAM / STOP_SENDING still apply.
  ReadTransferStream(reader, Action::kResetStream, &out->stream);
  CheckStreamConnection(reader, out->stream);
  reader.Uint("error_code", {0, kMaxErrorCode}, &out->error_code, Presence::kOptional);
  if (reader.failed()) return;
  facts_.streams[out->stream].reset = true;
  reset_by_[out->stream] = index_;
}

void TimelineParser::ParseAction(JsonFieldReader& reader, PingAction* out) {
  ReadOpenConnection(reader, &out->connection);
  ReadSide(reader, out->connection, &out->side);
  ReadNewStream(reader, out->connection, out->side, StreamKind::kPing, &out->stream);
  reader.Uint("count", {1, kMaxPingCount}, &out->count, Presence::kOptional);
  reader.Millis("interval_ms", {0, kMaxScenarioMillis}, &out->interval, Presence::kOptional);
  if (!reader.failed()) facts_.streams[out->stream].ping_count = out->count;
}

void TimelineParser::ParseAction(JsonFieldReader& reader, IdentifyAction* out) {
  ReadOpenConnection(reader, &out->connection);
  ReadSide(reader, out->connection, &out->side);
  ReadNewStream(reader, out->connection, out->side, StreamKind::kIdentify, &out->stream);
}

void TimelineParser::ParseAction(JsonFieldReader& reader, PerfAction* out) {
  ReadOpenConnection(reader, &out->connection);
  ReadSide(reader, out->connection, &out->side);
  ReadNewStream(reader, out->connection, out->side, StreamKind::kPerf, &out->stream);
  reader.Uint("upload_bytes", {0, kMaxSendBytes}, &out->upload_bytes, Presence::kOptional);
  reader.Uint("download_bytes", {0, kMaxSendBytes}, &out->download_bytes, Presence::kOptional);
}

void TimelineParser::ParseAction(JsonFieldReader& reader, RebindAction* out) {
  ReadHostName(reader, "host", scenario_, &out->host);
  if (!reader.failed() && !scenario_.FindHost(out->host)->nat) {
    return reader.Fail("host", "host " + Quoted(out->host) +
                                   " is not behind a NAT (nat: false); only NAT hosts rebind");
  }
  reader.EnumName("mode", "mode", &RebindModeFromString, kRebindModeCount, &out->mode,
                  Presence::kRequired);
}

void TimelineParser::ParseAction(JsonFieldReader& reader, MigrateAction* out) {
  ReadHostName(reader, "host", scenario_, &out->host);
  if (reader.failed()) return;
  if (!dialers_.contains(out->host)) {
    return reader.Fail("host", "host " + Quoted(out->host) +
                                   " has dialed no connection before this event; only a "
                                   "dialer migrates");
  }
  if (scenario_.FindHost(out->host)->workers > 1) {
    return reader.Fail("host", "host " + Quoted(out->host) +
                                   " has several workers sharing one address; a worker cannot "
                                   "move alone (migrate a single-worker host)");
  }
  ReadMigrationAddress(reader, out->host, &out->address);
  if (!reader.failed()) addresses_[out->host] = out->address;
}

void TimelineParser::ReadMigrationAddress(JsonFieldReader& reader, const std::string& host,
                                          SocketAddress* out) {
  const SocketAddress current = addresses_.at(host);
  if (reader.Find("address") == nullptr) {
    if (current.port() == std::numeric_limits<uint16_t>::max()) {
      return reader.Fail("address", "required here: the host's current port " +
                                        std::to_string(current.port()) + " has no next port");
    }
    *out = current.WithPort(static_cast<uint16_t>(current.port() + 1));
  } else {
    reader.Address("address", out, Presence::kRequired);
    if (reader.failed()) return;
    if (out->family() != current.family()) {
      return reader.Fail("address", "must be of the same family as the host's current address " +
                                        current.ToString());
    }
  }
  if (const std::string* holder = HostAt(*out)) {
    return reader.Fail("address",
                       out->ToString() + " is the current address of host " + Quoted(*holder));
  }
  if (InFloodPrefix(*out)) {
    reader.Fail("address", out->ToString() +
                               " is in 198.18.0.0/15, the range floods spoof their sources from");
  }
}

void TimelineParser::ParseAction(JsonFieldReader& reader, PartitionAction* out) {
  const Json* hosts = reader.Array("hosts", Presence::kRequired);
  if (hosts == nullptr) return;
  if (hosts->empty()) return reader.Fail("hosts", "must name at least one host");
  std::set<std::string> seen;
  for (size_t i = 0; i < hosts->size() && !reader.failed(); ++i) {
    std::string name;
    ReadPartitionHost((*hosts)[i], reader.PathOf("hosts") + "[" + std::to_string(i) + "]", &seen,
                      &name);
    out->hosts.push_back(name);
  }
  if (!reader.failed() && seen.size() == scenario_.hosts.size()) {
    reader.Fail("hosts", "names every host; a partition must leave some host outside");
  }
}

void TimelineParser::ReadPartitionHost(const Json& value, const std::string& path,
                                       std::set<std::string>* seen, std::string* out) {
  if (!IsValidName(value)) {
    return errors_.Fail(
        path, "must be a host name matching " + NameRule() + ", got " + DescribeJson(value));
  }
  *out = value.get<std::string>();
  if (scenario_.FindHost(*out) == nullptr)
    return errors_.Fail(path, "unknown host " + Quoted(*out));
  if (!seen->insert(*out).second) errors_.Fail(path, "host " + Quoted(*out) + " is listed twice");
}

void TimelineParser::ParseAction(JsonFieldReader&, HealAction*) {}

void TimelineParser::ParseAction(JsonFieldReader& reader, BlackholeAction* out) {
  ReadHostPair(reader, scenario_, &out->from, &out->to);
  reader.Millis("duration_ms", {1, kMaxScenarioMillis}, &out->duration, Presence::kRequired);
  if (reader.failed()) return;
  // The network cuts a direction once; a second cut before the first ends
  // would fail at run time, so refuse it here, where the file can be fixed.
  auto [it, fresh] = blackholes_.try_emplace({out->from, out->to}, at_ + out->duration, index_);
  if (!fresh && it->second.first > at_) {
    return errors_.Fail(reader.PathOf("from"),
                        out->from + " -> " + out->to + " is already blackholed until " +
                            Millis(it->second.first) + " ms (timeline event " +
                            std::to_string(it->second.second) + ")");
  }
  it->second = {at_ + out->duration, index_};
}

void TimelineParser::ParseAction(JsonFieldReader& reader, SetLinkAction* out) {
  ReadHostPair(reader, scenario_, &out->from, &out->to);
  const Json* conditions = reader.Object("conditions", Presence::kRequired);
  if (conditions == nullptr) return;
  const auto direction = std::make_pair(out->from, out->to);
  const auto current = links_.find(direction);
  const LinkConditions& base =
      current == links_.end() ? scenario_.links.default_conditions : current->second;
  ParseLinkConditions(*conditions, reader.PathOf("conditions"), base, errors_, &out->conditions);
  links_[direction] = out->conditions;
}

void TimelineParser::ParseAction(JsonFieldReader& reader, DelayCidRegistrationAction* out) {
  ReadHostName(reader, "host", scenario_, &out->host);
  reader.Millis("delay_ms", {0, kMaxScenarioMillis}, &out->delay, Presence::kRequired);
}

void TimelineParser::ParseAction(JsonFieldReader& reader, CloseAction* out) {
  ReadOpenConnection(reader, &out->connection);
  ReadSide(reader, out->connection, &out->side);
  reader.Uint("error_code", {0, kMaxErrorCode}, &out->error_code, Presence::kOptional);
  if (reader.failed()) return;
  TimelineFacts::Connection& connection = facts_.connections[out->connection];
  connection.closed = true;
  connection.closed_by = out->side;
}

void TimelineParser::ParseAction(JsonFieldReader& reader, FloodAction* out) {
  ReadHostName(reader, "host", scenario_, &out->host);
  if (reader.failed()) return;
  if (!scenario_.FindHost(out->host)->listen) {
    return reader.Fail("host", "host " + Quoted(out->host) +
                                   " does not listen: a flood of Initials and junk targets a "
                                   "listening host");
  }
  reader.EnumName("payload", "flood payload", &FloodPayloadFromString, kFloodPayloadCount,
                  &out->payload, Presence::kRequired);
  reader.Uint("rate", {1, kMaxFloodRate}, &out->rate, Presence::kRequired);
  reader.Millis("duration_ms", {1, kMaxScenarioMillis}, &out->duration, Presence::kRequired);
  reader.Uint("sources", {1, kMaxFloodSources}, &out->sources, Presence::kRequired);
  if (reader.failed()) return;
  if (at_ + out->duration > scenario_.duration) {
    return reader.Fail("duration_ms", "the flood would end at " + Millis(at_ + out->duration) +
                                          " ms, after the scenario's duration_ms (" +
                                          Millis(scenario_.duration) + ")");
  }
  const uint64_t datagrams = FloodDatagrams(*out);
  if (datagrams == 0) {
    return reader.Fail("rate", "rate x duration sends no datagram: " + std::to_string(out->rate) +
                                   " per second for " + Millis(out->duration) + " ms");
  }
  if (datagrams > kMaxFloodDatagrams) {
    return reader.Fail("rate", "rate x duration is " + std::to_string(datagrams) +
                                   " datagrams, more than " + std::to_string(kMaxFloodDatagrams));
  }
  facts_.flooded = true;
}

void TimelineParser::ParseAction(JsonFieldReader& reader, RestartAction* out) {
  ReadHostName(reader, "host", scenario_, &out->host);
  if (reader.failed()) return;
  // The connections it dialed die with it; those it accepted live on at
  // their dialers until the resets (or timeouts) end them, but its own end
  // of them is gone: no later event may act on them as their listener.
  for (auto& [name, connection] : facts_.connections) {
    if (connection.closed || connection.forgotten) continue;
    if (connection.to == out->host) listener_forgotten_by_.try_emplace(name, index_);
    if (connection.from != out->host) continue;
    connection.forgotten = true;
    forgotten_by_[name] = index_;
  }
}

void TimelineParser::ReadOpenConnection(JsonFieldReader& reader, std::string* out) {
  reader.Name("connection", out, Presence::kRequired);
  if (reader.failed()) return;
  const auto it = facts_.connections.find(*out);
  if (it == facts_.connections.end()) {
    return reader.Fail("connection",
                       "unknown connection " + Quoted(*out) + "; no earlier dial event creates it");
  }
  if (it->second.closed) {
    return reader.Fail("connection",
                       "connection " + Quoted(*out) + " was closed by an earlier event");
  }
  if (it->second.forgotten) {
    reader.Fail("connection", "connection " + Quoted(*out) + " was forgotten when its dialer " +
                                  Quoted(connection_dialer_.at(*out)) +
                                  " restarted (timeline event " +
                                  std::to_string(forgotten_by_.at(*out)) + ")");
  }
}

void TimelineParser::ReadSide(JsonFieldReader& reader, const std::string& connection,
                              ConnectionSide* out) {
  reader.EnumName("side", "side", &ConnectionSideFromString, kConnectionSideCount, out,
                  Presence::kOptional);
  if (reader.failed() || *out != ConnectionSide::kListener) return;
  const auto forgotten = listener_forgotten_by_.find(connection);
  if (forgotten != listener_forgotten_by_.end()) {
    reader.Fail("side", "the listener " + Quoted(facts_.connections.at(connection).to) +
                            " of connection " + Quoted(connection) +
                            " forgot it when it restarted (" + EventText(forgotten->second) +
                            "); only the dialer's end is left");
  }
}

void TimelineParser::ReadNewStream(JsonFieldReader& reader, const std::string& connection,
                                   ConnectionSide side, StreamKind kind, std::string* out) {
  reader.Name("stream", out, Presence::kRequired);
  if (reader.failed()) return;
  if (const auto it = facts_.streams.find(*out); it != facts_.streams.end()) {
    return reader.Fail("stream", "duplicate stream name " + Quoted(*out) + ": it is already " +
                                     Describe(it->second.kind) +
                                     "; stream names are unique across open_stream, ping, "
                                     "identify and perf");
  }
  facts_.streams[*out] = {.kind = kind};
  opened_streams_[*out] = {.connection = connection, .side = side};
}

void TimelineParser::ReadTransferStream(JsonFieldReader& reader, Action action, std::string* out) {
  reader.Name("stream", out, Presence::kRequired);
  if (reader.failed()) return;
  const auto it = facts_.streams.find(*out);
  if (it == facts_.streams.end()) {
    return reader.Fail(
        "stream", "unknown stream " + Quoted(*out) + "; no earlier open_stream event creates it");
  }
  const StreamKind kind = it->second.kind;
  if (kind != StreamKind::kTransfer) {
    return reader.Fail("stream", "stream " + Quoted(*out) + " is " + Describe(kind) + "; " +
                                     ToString(action) +
                                     " acts only on transfer streams (open_stream)");
  }
  if (it->second.reset) {
    reader.Fail("stream", "stream " + Quoted(*out) + " was reset by an earlier reset_stream (" +
                              EventText(reset_by_.at(*out)) + ")");
  }
}

void TimelineParser::CheckStreamConnection(JsonFieldReader& reader, const std::string& stream) {
  if (reader.failed()) return;
  const OpenedStream& opened = opened_streams_.at(stream);
  const std::string& connection = opened.connection;
  if (facts_.connections.at(connection).closed) {
    return reader.Fail("stream", "the connection of stream " + Quoted(stream) + " (" +
                                     Quoted(connection) + ") was closed by an earlier event");
  }
  if (facts_.connections.at(connection).forgotten) {
    return reader.Fail("stream", "the connection of stream " + Quoted(stream) + " (" +
                                     Quoted(connection) + ") was forgotten when its dialer " +
                                     Quoted(connection_dialer_.at(connection)) + " restarted (" +
                                     EventText(forgotten_by_.at(connection)) + ")");
  }
  const auto forgotten = listener_forgotten_by_.find(connection);
  if (opened.side == ConnectionSide::kListener && forgotten != listener_forgotten_by_.end()) {
    reader.Fail("stream", "stream " + Quoted(stream) + " was opened by the listener " +
                              Quoted(facts_.connections.at(connection).to) + " of connection " +
                              Quoted(connection) + ", which forgot it when it restarted (" +
                              EventText(forgotten->second) + ")");
  }
}

const std::string* TimelineParser::HostAt(const SocketAddress& address) const {
  for (const auto& [host, current] : addresses_) {
    if (current == address) return &host;
  }
  return nullptr;
}

}  // namespace p2pquic::scenarios
