#include "scenarios/format/expectation_parser.h"

#include <algorithm>
#include <chrono>

#include "scenarios/format/host_references.h"
#include "scenarios/format/variant_by_index.h"

namespace p2pquic::scenarios {
namespace {

using Json = nlohmann::json;

// Close reasons are one line; a longer substring could never match.
constexpr size_t kMaxErrorSubstringLength = 256;
// An identify expectation's agent version and each protocol ID: longer
// than any real one, short enough to print whole in a report.
constexpr size_t kMaxIdentifyTextLength = 256;

// The fields each kind allows, besides "kind".
std::vector<std::string_view> FieldsOf(ExpectationKind kind) {
  switch (kind) {
    case ExpectationKind::kConnection:
      return {"connection", "side", "outcome", "error", "ended", "by_ms", "handshake_within_ms"};
    case ExpectationKind::kStreamIntact:
      return {"stream"};
    case ExpectationKind::kRouteCount:
      return {"host", "outcome", "min", "max"};
    case ExpectationKind::kPathValidated:
      return {"host", "min"};
    case ExpectationKind::kHandshakes:
      return {"host", "count", "min", "max"};
    case ExpectationKind::kStatelessResets:
      return {"host", "min", "max"};
    case ExpectationKind::kRegistryEmpty:
      return {"host"};
    case ExpectationKind::kFrames:
      return {"host", "connection", "frame", "direction", "seq", "min", "max", "note"};
    case ExpectationKind::kFrameOrder:
      return {"host", "connection", "before", "after", "note"};
    case ExpectationKind::kDelivered:
      return {"stream", "from_ms", "by_ms", "min", "max"};
    case ExpectationKind::kStream:
      return {"stream", "outcome"};
    case ExpectationKind::kPing:
      return {"stream", "replies", "max_rtt_ms"};
    case ExpectationKind::kIdentify:
      return {"stream", "agent_version", "protocols", "observed_address"};
    case ExpectationKind::kPerf:
      return {"stream"};
    case ExpectationKind::kFloodAnswers:
      return {"answer", "min", "max"};
  }
  return {};
}

// The expectation kind that checks how a stream of `kind` went.
ExpectationKind CheckedBy(StreamKind kind) {
  switch (kind) {
    case StreamKind::kTransfer:
      return ExpectationKind::kStream;
    case StreamKind::kPing:
      return ExpectationKind::kPing;
    case StreamKind::kIdentify:
      return ExpectationKind::kIdentify;
    case StreamKind::kPerf:
      return ExpectationKind::kPerf;
  }
  return ExpectationKind::kStream;
}

std::string Quoted(const std::string& name) { return "\"" + name + "\""; }

int64_t Millis(Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

std::string MillisText(Duration duration) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(duration).count());
}

}  // namespace

ExpectationParser::ExpectationParser(const Scenario& scenario, const TimelineFacts& facts,
                                     ErrorSink& errors)
    : scenario_(scenario), facts_(facts), errors_(errors) {}

void ExpectationParser::Parse(const Json& expect, const std::string& path,
                              std::vector<Expectation>* out) {
  out->clear();
  for (size_t i = 0; i < expect.size() && !errors_.failed(); ++i) {
    Expectation expectation;
    ParseExpectation(expect[i], path + "[" + std::to_string(i) + "]", &expectation);
    out->push_back(std::move(expectation));
  }
}

void ExpectationParser::ParseExpectation(const Json& value, const std::string& path,
                                         Expectation* out) {
  JsonFieldReader reader(value, path, errors_);
  ExpectationKind kind = ExpectationKind::kConnection;
  reader.EnumName("kind", "kind", &ExpectationKindFromString, kExpectationKindCount, &kind,
                  Presence::kRequired);
  if (reader.failed()) return;
  std::vector<std::string_view> allowed = {"kind"};
  for (std::string_view field : FieldsOf(kind)) allowed.push_back(field);
  reader.AllowOnly(allowed);
  out->check = MakeVariantByIndex<ExpectationCheck>(static_cast<size_t>(kind));
  std::visit([&](auto& parsed) { ParseCheck(reader, &parsed); }, out->check);
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, ConnectionExpectation* out) {
  reader.Name("connection", &out->connection, Presence::kRequired);
  if (reader.failed()) return;
  const auto connection = facts_.connections.find(out->connection);
  if (connection == facts_.connections.end()) {
    return reader.Fail("connection", "unknown connection " + Quoted(out->connection) +
                                         "; no dial event in the timeline creates it");
  }
  reader.EnumName("side", "side", &ConnectionSideFromString, kConnectionSideCount, &out->side,
                  Presence::kOptional);
  reader.EnumName("outcome", "outcome", &ConnectionOutcomeFromString, kConnectionOutcomeCount,
                  &out->outcome, Presence::kRequired);
  if (reader.failed()) return;
  if (out->outcome == ConnectionOutcome::kClosed && !connection->second.closed) {
    return reader.Fail("outcome", "\"closed\" needs a close event for connection " +
                                      Quoted(out->connection) + " in the timeline");
  }
  // error, ended and by_ms describe how a connection ended: not for one
  // expected to be alive at the end.
  for (std::string_view field : {"error", "ended", "by_ms"}) {
    if (reader.Find(field) != nullptr && out->outcome == ConnectionOutcome::kEstablished) {
      return reader.Fail(field, "only for outcome \"closed\" or \"failed\"");
    }
  }
  if (reader.Find("error") != nullptr) {
    std::string error;
    reader.Text("error", kMaxErrorSubstringLength, &error, Presence::kRequired);
    if (reader.failed()) return;
    out->error = error;
  }
  if (reader.Find("ended") != nullptr) {
    CloseCause ended = CloseCause::kLocalClose;
    reader.EnumName("ended", "cause", &CloseCauseFromString, kCloseCauseCount, &ended,
                    Presence::kRequired);
    if (reader.failed()) return;
    // The end the timeline's close acts on (the dialer's when there is
    // none) is closed by it exactly when it ends as local_close: a
    // contradiction here could never pass.
    const ConnectionSide closer =
        connection->second.closed ? connection->second.closed_by : ConnectionSide::kDialer;
    if (out->side == closer) {
      const std::string side = ToString(out->side);
      const bool local = ended == CloseCause::kLocalClose;
      if (out->outcome == ConnectionOutcome::kClosed && !local) {
        return reader.Fail("ended", "the " + side +
                                        "'s end of a \"closed\" connection ends as "
                                        "\"local_close\", got " +
                                        Quoted(ToString(ended)));
      }
      if (out->outcome == ConnectionOutcome::kFailed && local) {
        return reader.Fail(
            "ended", "\"local_close\" on the " + side + " is outcome \"closed\", not \"failed\"");
      }
    }
    out->ended = ended;
  }
  if (reader.Find("by_ms") != nullptr) {
    Duration by{};
    reader.Millis("by_ms", {0, kMaxScenarioMillis}, &by, Presence::kRequired);
    if (reader.failed()) return;
    // Checked when the run ends: a later time could never be reached.
    if (by > scenario_.duration) {
      return reader.Fail("by_ms", "must be <= duration_ms (" + MillisText(scenario_.duration) +
                                      "), got " + MillisText(by));
    }
    out->by = by;
  }
  if (reader.Find("handshake_within_ms") != nullptr) {
    Duration within{};
    reader.Millis("handshake_within_ms", {1, kMaxScenarioMillis}, &within, Presence::kRequired);
    if (reader.failed()) return;
    // Checked when the run ends: a longer bound could never be reached.
    if (within > scenario_.duration) {
      return reader.Fail("handshake_within_ms", "must be <= duration_ms (" +
                                                    MillisText(scenario_.duration) + "), got " +
                                                    MillisText(within));
    }
    out->handshake_within = within;
  }
}

void ExpectationParser::ReadStream(JsonFieldReader& reader, ExpectationKind asking, StreamKind kind,
                                   std::string* out) {
  reader.Name("stream", out, Presence::kRequired);
  if (reader.failed()) return;
  const auto stream = facts_.streams.find(*out);
  if (stream == facts_.streams.end()) {
    return reader.Fail("stream", "unknown stream " + Quoted(*out) + "; no " +
                                     ToString(OpenedBy(kind)) +
                                     " event in the timeline creates it");
  }
  const StreamKind actual = stream->second.kind;
  if (actual != kind) {
    reader.Fail("stream", "stream " + Quoted(*out) + " is " + Describe(actual) + "; " +
                              ToString(asking) + " checks only " + ToString(kind) +
                              " streams; kind " + Quoted(ToString(CheckedBy(actual))) + " checks " +
                              ToString(actual) + " streams");
  }
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, StreamIntactExpectation* out) {
  ReadStream(reader, ExpectationKind::kStreamIntact, StreamKind::kTransfer, &out->stream);
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, StreamExpectation* out) {
  ReadStream(reader, ExpectationKind::kStream, StreamKind::kTransfer, &out->stream);
  // "reset" needs no reset_stream event: the peer, or the end of the
  // connection, can reset a stream too.
  reader.EnumName("outcome", "outcome", &StreamOutcomeFromString, kStreamOutcomeCount,
                  &out->outcome, Presence::kRequired);
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, PingExpectation* out) {
  ReadStream(reader, ExpectationKind::kPing, StreamKind::kPing, &out->stream);
  if (reader.failed()) return;
  const uint64_t count = facts_.streams.at(out->stream).ping_count;
  out->replies = count;
  reader.Uint("replies", {1, kMaxPingCount}, &out->replies, Presence::kOptional);
  if (reader.failed()) return;
  // More echoes than pings can never arrive.
  if (out->replies > count) {
    return reader.Fail("replies", "must be <= the count of ping stream " + Quoted(out->stream) +
                                      " (" + std::to_string(count) + "), got " +
                                      std::to_string(out->replies));
  }
  if (reader.Find("max_rtt_ms") == nullptr) return;
  Duration max_rtt{};
  reader.Millis("max_rtt_ms", {1, kMaxScenarioMillis}, &max_rtt, Presence::kRequired);
  if (!reader.failed()) out->max_rtt = max_rtt;
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, IdentifyExpectation* out) {
  ReadStream(reader, ExpectationKind::kIdentify, StreamKind::kIdentify, &out->stream);
  if (reader.Find("agent_version") != nullptr) {
    std::string agent_version;
    reader.Text("agent_version", kMaxIdentifyTextLength, &agent_version, Presence::kRequired);
    if (reader.failed()) return;
    out->agent_version = agent_version;
  }
  ReadProtocols(reader, &out->protocols);
  if (reader.Find("observed_address") == nullptr) return;
  SocketAddress observed;
  reader.Address("observed_address", &observed, Presence::kRequired);
  if (!reader.failed()) out->observed_address = observed;
}

void ExpectationParser::ReadProtocols(JsonFieldReader& reader, std::vector<std::string>* out) {
  const Json* protocols = reader.Array("protocols", Presence::kOptional);
  if (protocols == nullptr) return;
  out->clear();
  for (size_t i = 0; i < protocols->size(); ++i) {
    const Json& protocol = (*protocols)[i];
    const std::string path = reader.PathOf("protocols") + "[" + std::to_string(i) + "]";
    if (std::string problem = TextProblem(protocol, kMaxIdentifyTextLength); !problem.empty()) {
      return errors_.Fail(path, std::move(problem));
    }
    const std::string& id = protocol.get_ref<const std::string&>();
    if (std::find(out->begin(), out->end(), id) != out->end()) {
      return errors_.Fail(path, "protocol " + Quoted(id) + " is listed twice");
    }
    out->push_back(id);
  }
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, PerfExpectation* out) {
  ReadStream(reader, ExpectationKind::kPerf, StreamKind::kPerf, &out->stream);
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, DeliveredExpectation* out) {
  ReadStream(reader, ExpectationKind::kDelivered, StreamKind::kTransfer, &out->stream);
  const uint64_t duration_ms = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(scenario_.duration).count());
  reader.Millis("by_ms", {1, duration_ms}, &out->by, Presence::kRequired);
  reader.Millis("from_ms", {0, duration_ms}, &out->from, Presence::kOptional);
  if (reader.failed()) return;
  if (out->from >= out->by) {
    return reader.Fail("from_ms", "must be < by_ms (" + std::to_string(Millis(out->by)) +
                                      "), got " + std::to_string(Millis(out->from)));
  }
  reader.Uint("min", {}, &out->min, Presence::kOptional);
  ReadMax(reader, out->min, &out->max);
  // Without a bound the check could never fail.
  if (!reader.failed() && out->min == 0 && !out->max) {
    reader.Fail("min", "must be > 0 when there is no max (else nothing is checked)");
  }
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, RouteCountExpectation* out) {
  ReadHostName(reader, "host", scenario_, &out->host);
  reader.EnumName("outcome", "route outcome", &RouteOutcomeFromString, kRouteOutcomeCount,
                  &out->outcome, Presence::kRequired);
  reader.Uint("min", {}, &out->min, Presence::kOptional);
  ReadMax(reader, out->min, &out->max);
}

void ExpectationParser::ReadMax(JsonFieldReader& reader, uint64_t min,
                                std::optional<uint64_t>* out) {
  if (reader.failed() || reader.Find("max") == nullptr) return;
  uint64_t max = 0;
  reader.Uint("max", {}, &max, Presence::kRequired);
  if (reader.failed()) return;
  if (max < min) {
    const char* whose = reader.Find("min") == nullptr ? ", the default" : "";
    return reader.Fail(
        "max", "must be >= min (" + std::to_string(min) + whose + "), got " + std::to_string(max));
  }
  *out = max;
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, PathValidatedExpectation* out) {
  ReadHostName(reader, "host", scenario_, &out->host);
  reader.Uint("min", {}, &out->min, Presence::kOptional);
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, RegistryEmptyExpectation* out) {
  ReadHostName(reader, "host", scenario_, &out->host);
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, StatelessResetsExpectation* out) {
  ReadHostName(reader, "host", scenario_, &out->host);
  reader.Uint("min", {}, &out->min, Presence::kOptional);
  ReadMax(reader, out->min, &out->max);
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, HandshakesExpectation* out) {
  ReadHostName(reader, "host", scenario_, &out->host);
  reader.EnumName("count", "handshake count", &HandshakeCountFromString, kHandshakeCountCount,
                  &out->count, Presence::kRequired);
  reader.Uint("min", {}, &out->min, Presence::kOptional);
  ReadMax(reader, out->min, &out->max);
  if (!reader.failed() && out->min == 0 && !out->max) {
    errors_.Fail(reader.path(), "checks nothing: give min > 0 or a max");
  }
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, FloodAnswersExpectation* out) {
  reader.EnumName("answer", "flood answer", &FloodAnswerFromString, kFloodAnswerCount, &out->answer,
                  Presence::kRequired);
  reader.Uint("min", {}, &out->min, Presence::kOptional);
  ReadMax(reader, out->min, &out->max);
  if (reader.failed()) return;
  if (out->min == 0 && !out->max) {
    return errors_.Fail(reader.path(), "checks nothing: give min > 0 or a max");
  }
  if (!facts_.flooded) {
    return errors_.Fail(reader.path(), "no flood event in the timeline: nothing to answer");
  }
}

void ExpectationParser::ReadFrameConnection(JsonFieldReader& reader, const std::string& host,
                                            std::optional<std::string>* out) {
  if (reader.Find("connection") == nullptr) return;
  std::string name;
  reader.Name("connection", &name, Presence::kRequired);
  if (reader.failed()) return;
  const auto connection = facts_.connections.find(name);
  if (connection == facts_.connections.end()) {
    return reader.Fail("connection", "unknown connection " + Quoted(name) +
                                         "; no dial event in the timeline creates it");
  }
  if (host != connection->second.from && host != connection->second.to) {
    return reader.Fail("connection", "host " + Quoted(host) + " is neither end of connection " +
                                         Quoted(name) + " (" + connection->second.from + " -> " +
                                         connection->second.to + ")");
  }
  *out = name;
}

void ExpectationParser::ReadFrameSelector(JsonFieldReader& reader, bool on_connection,
                                          FrameSelector* out) {
  reader.EnumName("frame", "frame", &FrameTypeFromString, kFrameTypeCount, &out->frame,
                  Presence::kRequired);
  reader.EnumName("direction", "direction", &FrameDirectionFromString, kFrameDirectionCount,
                  &out->direction, Presence::kRequired);
  if (reader.failed()) return;
  if (on_connection && out->frame == FrameType::kStatelessReset &&
      out->direction == FrameDirection::kSent) {
    return reader.Fail("direction",
                       "a stateless reset the host sends belongs to no connection; drop "
                       "\"connection\" or count received resets");
  }
  if (on_connection && out->frame == FrameType::kRetry && out->direction == FrameDirection::kSent) {
    return reader.Fail("direction",
                       "a Retry the host sends belongs to no connection (the server keeps no "
                       "state for it); drop \"connection\" or count received Retries");
  }
  if (reader.Find("seq") == nullptr) return;
  if (!HasSequence(out->frame)) {
    return reader.Fail("seq",
                       "only new_connection_id and retire_connection_id frames carry a "
                       "sequence number, not " +
                           std::string(ToString(out->frame)));
  }
  uint64_t seq = 0;
  reader.Uint("seq", {0, kMaxCidSequence}, &seq, Presence::kRequired);
  if (!reader.failed()) out->seq = seq;
}

void ExpectationParser::ReadFrameSelectorObject(JsonFieldReader& reader, std::string_view field,
                                                bool on_connection, FrameSelector* out) {
  const nlohmann::json* value = reader.Object(field, Presence::kRequired);
  if (value == nullptr) return;
  JsonFieldReader selector(*value, reader.PathOf(field), errors_);
  selector.AllowOnly({"frame", "direction", "seq"});
  ReadFrameSelector(selector, on_connection, out);
}

void ExpectationParser::ReadNote(JsonFieldReader& reader, std::optional<std::string>* out) {
  if (reader.Find("note") == nullptr) return;
  std::string note;
  reader.Text("note", kMaxNoteLength, &note, Presence::kRequired);
  if (!reader.failed()) *out = note;
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, FramesExpectation* out) {
  ReadHostName(reader, "host", scenario_, &out->host);
  if (reader.failed()) return;
  ReadFrameConnection(reader, out->host, &out->connection);
  ReadFrameSelector(reader, out->connection.has_value(), &out->select);
  reader.Uint("min", {}, &out->min, Presence::kOptional);
  if (reader.Find("max") != nullptr) {
    uint64_t max = 0;
    reader.Uint("max", {}, &max, Presence::kRequired);
    if (reader.failed()) return;
    if (max < out->min) {
      return reader.Fail(
          "max", "must be >= min (" + std::to_string(out->min) + "), got " + std::to_string(max));
    }
    out->max = max;
  }
  if (reader.failed()) return;
  if (out->min == 0 && !out->max) {
    return errors_.Fail(reader.path(), "checks nothing: give min > 0 or a max");
  }
  ReadNote(reader, &out->note);
}

void ExpectationParser::ParseCheck(JsonFieldReader& reader, FrameOrderExpectation* out) {
  ReadHostName(reader, "host", scenario_, &out->host);
  if (reader.failed()) return;
  ReadFrameConnection(reader, out->host, &out->connection);
  ReadFrameSelectorObject(reader, "before", out->connection.has_value(), &out->before);
  ReadFrameSelectorObject(reader, "after", out->connection.has_value(), &out->after);
  if (reader.failed()) return;
  if (out->before == out->after) {
    return reader.Fail("after", "must differ from \"before\": a frame cannot precede itself");
  }
  ReadNote(reader, &out->note);
}

}  // namespace p2pquic::scenarios
