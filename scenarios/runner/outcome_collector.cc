#include "scenarios/runner/outcome_collector.h"

#include <algorithm>

#include "scenarios/runner/connection_ends.h"
#include "scenarios/runner/stream_ends.h"

namespace p2pquic::scenarios {
namespace {

// Whether the frame log saw a frame of `type` arrive on `host`'s
// connection `handle` with this original DCID at or before `by`. Both
// keys: two connections of one host can share an original DCID (a client
// whose NAT rebound mid-handshake looks like a second client), and a
// restarted host's new life hands out its old lives' handles again.
bool Received(const FrameLog& frames, const std::string& host, ConnectionHandle handle,
              const std::string& original_dcid, FrameType type, Timestamp by) {
  for (const FrameEntry& entry : frames.entries()) {
    if (entry.at > by) break;
    if (entry.direction == FrameDirection::kReceived && entry.frame.type == type &&
        entry.connection == handle && entry.host == host && entry.original_dcid == original_dcid) {
      return true;
    }
  }
  return false;
}

template <typename Report>
ProtocolResult ResultOf(const std::optional<Report>& report, bool opened, std::string* detail) {
  if (!opened) return ProtocolResult::kNotOpened;
  if (!report) return ProtocolResult::kPending;
  *detail = report->error;
  return report->error.empty() ? ProtocolResult::kSucceeded : ProtocolResult::kFailed;
}

}  // namespace

const char* ToString(EndState state) {
  switch (state) {
    case EndState::kAbsent:
      return "absent";
    case EndState::kHandshaking:
      return "handshaking";
    case EndState::kEstablished:
      return "established";
    case EndState::kEnded:
      return "ended";
    case EndState::kLostWithHost:
      return "lost_with_host";
  }
  return "unknown";
}

const char* ToString(ProtocolResult result) {
  switch (result) {
    case ProtocolResult::kNotApplicable:
      return "not_applicable";
    case ProtocolResult::kNotOpened:
      return "not_opened";
    case ProtocolResult::kPending:
      return "pending";
    case ProtocolResult::kSucceeded:
      return "succeeded";
    case ProtocolResult::kFailed:
      return "failed";
  }
  return "unknown";
}

OutcomeCollector::OutcomeCollector(const SimulatedHosts& hosts, const TimelineRecords& records,
                                   const FrameLog& frames, const Oracles& oracles, Timestamp start)
    : hosts_(hosts), records_(records), frames_(frames), oracles_(oracles), start_(start) {}

RunOutcomes OutcomeCollector::Collect() const {
  RunOutcomes outcomes;
  for (const auto& [name, connection] : records_.connections) {
    if (connection.dialer != nullptr) outcomes.connections.push_back(Connection(name, connection));
  }
  for (const auto& [name, stream] : records_.streams) {
    outcomes.streams.push_back(Stream(name, stream));
  }
  for (const auto& [name, host] : hosts_.all()) outcomes.hosts.push_back(Host(name, *host));
  for (const FrameEntry& entry : frames_.entries()) {
    auto& counts =
        entry.direction == FrameDirection::kSent ? outcomes.frames_sent : outcomes.frames_received;
    ++counts[static_cast<size_t>(entry.frame.type)];
  }
  outcomes.oracle_checks = oracles_.checks_by_kind();
  return outcomes;
}

ConnectionOutcomeRecord OutcomeCollector::Connection(const std::string& name,
                                                     const ConnectionRuntime& connection) const {
  ConnectionOutcomeRecord record;
  record.name = name;
  record.dialer = connection.dialer->spec->name;
  record.listener = connection.listener->spec->name;
  for (ConnectionSide side : {ConnectionSide::kDialer, ConnectionSide::kListener}) {
    record.ends[static_cast<size_t>(side)] = End(connection, side);
  }
  if (const auto dcid = frames_.OriginalDcid(record.dialer, connection.handle)) {
    record.listener_connections =
        std::max<size_t>(1, frames_.MatchingConnections(record.listener, *dcid));
  }
  record.closed_by_timeline = connection.closed_by_timeline;
  record.closed_by = connection.closed_by;
  if (connection.closed_by_timeline) record.closed_at = connection.closed_at - start_;
  return record;
}

EndOutcome OutcomeCollector::End(const ConnectionRuntime& connection, ConnectionSide side) const {
  EndOutcome end;
  const HostRuntime* worker = nullptr;
  const ConnectionRecord* record = ConnectionEnds::Of(connection, side, &worker);
  if (record == nullptr) return end;
  end.established = record->established;
  if (!record->closed) {
    end.state = record->established ? EndState::kEstablished : EndState::kHandshaking;
    return end;
  }
  end.state = record->lost_with_host ? EndState::kLostWithHost : EndState::kEnded;
  end.cause = record->close_cause;
  end.reason = record->close_reason;
  end.at = record->closed_at - start_;
  // Both ends' qlogs name the connection by the dialer's original DCID;
  // the frame log knows each end by its worker's trace name.
  const std::optional<std::string> dcid =
      frames_.OriginalDcid(connection.dialer->trace_name, connection.handle);
  if (!dcid) return end;
  end.close_received = Received(frames_, worker->trace_name, record->handle, *dcid,
                                FrameType::kConnectionClose, record->closed_at);
  end.reset_received = Received(frames_, worker->trace_name, record->handle, *dcid,
                                FrameType::kStatelessReset, record->closed_at);
  return end;
}

StreamOutcomeRecord OutcomeCollector::Stream(const std::string& name,
                                             const StreamRuntime& stream) const {
  StreamOutcomeRecord record;
  record.name = name;
  record.kind = stream.kind;
  record.side = stream.side;
  record.opened = stream.opened;
  for (const auto& [connection_name, connection] : records_.connections) {
    if (&connection == stream.connection) record.connection = connection_name;
  }
  switch (stream.kind) {
    case Action::kOpenStream: {
      record.requested = stream.requested;
      if (stream.connection == nullptr || !stream.opened) break;
      const StreamEnds ends = StreamEnds::Of(stream, hosts_.all());
      record.transfer = ends.Outcome(stream.requested);
      record.delivered = ends.received == nullptr ? 0 : ends.received->payload_bytes;
      break;
    }
    case Action::kPing:
      record.protocol = ResultOf(stream.ping, stream.opened, &record.detail);
      break;
    case Action::kIdentify:
      record.protocol = ResultOf(stream.identify, stream.opened, &record.detail);
      break;
    case Action::kPerf:
      record.protocol = ResultOf(stream.perf, stream.opened, &record.detail);
      break;
    default:
      break;  // Only the four stream actions make streams.
  }
  return record;
}

HostOutcomeRecord OutcomeCollector::Host(const std::string& name, const HostRuntime& host) const {
  HostOutcomeRecord record;
  record.name = name;
  record.registry_empty = host.RegistryEmpty(&record.registry);
  record.restarts = host.restarts;
  const EndpointStats stats = host.Stats();
  record.stateless_resets_sent = stats.stateless_resets_sent;
  record.path_validations = stats.path_validations_succeeded;
  record.initials_refused_under_pressure = stats.initials_refused_pending_full +
                                           stats.initials_refused_per_source +
                                           stats.initials_refused_memory_cap;
  for (int i = 0; i < kRouteOutcomeCount; ++i) {
    record.routes[i] = host.Lookups(static_cast<RouteOutcome>(i));
  }
  return record;
}

}  // namespace p2pquic::scenarios
