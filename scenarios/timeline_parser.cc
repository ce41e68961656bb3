#include "scenarios/timeline_parser.h"

#include <chrono>
#include <limits>

#include "scenarios/host_references.h"
#include "scenarios/link_conditions_parser.h"
#include "scenarios/variant_by_index.h"

namespace p2pquic::scenarios {
namespace {

using Json = nlohmann::json;

// The fields each action allows, besides "at_ms" and "action".
std::vector<std::string_view> FieldsOf(Action action) {
  switch (action) {
    case Action::kDial:
      return {"from", "to", "connection"};
    case Action::kOpenStream:
      return {"connection", "stream"};
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
      return {"connection", "error_code"};
    case Action::kRestart:
      return {"host"};
  }
  return {};
}

std::string Quoted(const std::string& name) { return "\"" + name + "\""; }

std::string Millis(Duration duration) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(duration).count());
}

}  // namespace

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
  reader.Name("stream", &out->stream, Presence::kRequired);
  if (reader.failed()) return;
  if (facts_.streams.contains(out->stream)) {
    return reader.Fail("stream", "duplicate stream name " + Quoted(out->stream));
  }
  facts_.streams[out->stream] = {};
  stream_connection_[out->stream] = out->connection;
}

void TimelineParser::ParseAction(JsonFieldReader& reader, SendAction* out) {
  ReadOpenStream(reader, &out->stream);
  reader.Uint("bytes", {1, kMaxSendBytes}, &out->bytes, Presence::kRequired);
  reader.Bool("fin", &out->fin, Presence::kOptional);
  if (!reader.failed() && out->fin) facts_.streams[out->stream].finished = true;
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
    reader.Fail("address", out->ToString() + " is the current address of host " + Quoted(*holder));
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
  reader.Uint("error_code", {0, kMaxErrorCode}, &out->error_code, Presence::kOptional);
  if (!reader.failed()) facts_.connections[out->connection].closed = true;
}

void TimelineParser::ParseAction(JsonFieldReader& reader, RestartAction* out) {
  ReadHostName(reader, "host", scenario_, &out->host);
  if (reader.failed()) return;
  // The connections it dialed die with it; those it accepted live on at
  // their dialers until the resets (or timeouts) end them.
  for (auto& [name, connection] : facts_.connections) {
    if (connection_dialer_.at(name) != out->host || connection.closed || connection.forgotten) {
      continue;
    }
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

void TimelineParser::ReadOpenStream(JsonFieldReader& reader, std::string* out) {
  reader.Name("stream", out, Presence::kRequired);
  if (reader.failed()) return;
  const auto it = facts_.streams.find(*out);
  if (it == facts_.streams.end()) {
    return reader.Fail(
        "stream", "unknown stream " + Quoted(*out) + "; no earlier open_stream event creates it");
  }
  if (it->second.finished) {
    return reader.Fail("stream",
                       "stream " + Quoted(*out) + " was ended by an earlier send with fin: true");
  }
  const std::string& connection = stream_connection_.at(*out);
  if (facts_.connections.at(connection).closed) {
    return reader.Fail("stream", "the connection of stream " + Quoted(*out) + " (" +
                                     Quoted(connection) + ") was closed by an earlier event");
  }
  if (facts_.connections.at(connection).forgotten) {
    reader.Fail("stream", "the connection of stream " + Quoted(*out) + " (" + Quoted(connection) +
                              ") was forgotten when its dialer " +
                              Quoted(connection_dialer_.at(connection)) +
                              " restarted (timeline event " +
                              std::to_string(forgotten_by_.at(connection)) + ")");
  }
}

const std::string* TimelineParser::HostAt(const SocketAddress& address) const {
  for (const auto& [host, current] : addresses_) {
    if (current == address) return &host;
  }
  return nullptr;
}

}  // namespace p2pquic::scenarios
