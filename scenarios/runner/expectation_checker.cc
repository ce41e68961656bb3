#include "scenarios/runner/expectation_checker.h"

#include <algorithm>
#include <chrono>
#include <sstream>
#include <variant>
#include <vector>

#include "scenarios/runner/connection_ends.h"
#include "scenarios/runner/frame_expectation_checker.h"
#include "scenarios/runner/run_time.h"
#include "scenarios/runner/stream_ends.h"
#include "transport/identity/public_key.h"
#include "transport/multiaddr/multiaddr.h"
#include "transport/protocols/identify_message.h"

namespace p2pquic::scenarios {
namespace {

// A delivered expectation reports its window's rate in Mbit/s.
constexpr double kBitsPerByte = 8;
constexpr double kBitsPerMegabit = 1e6;

// "<what> in [min, max]": met when `seen` is in the range.
ExpectationResult CountInRange(const std::string& what, uint64_t seen, uint64_t min,
                               const std::optional<uint64_t>& max) {
  ExpectationResult r{
      what + " in [" + std::to_string(min) + ", " + (max ? std::to_string(*max) : "inf") + "]",
      false, std::to_string(seen)};
  r.met = seen >= min && (!max || seen <= *max);
  return r;
}

// The report a protocol stream's client gave (ping, identify, perf), or
// null with `r`'s detail saying why there is none: the stream never opened,
// or its client had not reported (`pending`) when the run ended.
template <typename Report>
const Report* ReportOf(const std::optional<Report>& report, const StreamRuntime& stream,
                       const char* pending, ExpectationResult* r) {
  if (report) return &*report;
  r->detail = stream.opened ? pending : "never opened";
  return nullptr;
}

}  // namespace

ExpectationChecker::ExpectationChecker(const Scenario& scenario, const SimulatedHosts& hosts,
                                       const TimelineRecords& records, const FrameLog& frames,
                                       Timestamp start)
    : scenario_(scenario), hosts_(hosts), records_(records), frames_(frames), start_(start) {}

void ExpectationChecker::ScheduleSamples(sim::EventQueue& queue) {
  // Delivered expectations read the receiver's count at both ends of their
  // window. Scheduled now, a sample runs after the timeline's events of its
  // instant and before any datagram arriving then (the run schedules those
  // later): it sees what arrived strictly before, so the window is [from, by).
  for (const Expectation& expectation : scenario_.expect) {
    const auto* delivered = std::get_if<DeliveredExpectation>(&expectation.check);
    if (delivered == nullptr) continue;
    DeliveredWindow& window = delivered_[delivered];
    queue.Schedule(start_ + delivered->from, [this, delivered, &window] {
      window.at_from = ReceivedBytes(delivered->stream);
    });
    queue.Schedule(start_ + delivered->by,
                   [this, delivered, &window] { window.at_by = ReceivedBytes(delivered->stream); });
  }
}

uint64_t ExpectationChecker::ReceivedBytes(const std::string& stream_name) const {
  auto it = records_.streams.find(stream_name);
  if (it == records_.streams.end() || it->second.connection == nullptr)
    return 0;  // Not opened yet.
  const StreamEnds ends = StreamEnds::Of(it->second, hosts_.all());
  return ends.received == nullptr ? 0 : ends.received->payload_bytes;
}

ExpectationResult ExpectationChecker::Check(const Expectation& expectation) {
  return std::visit([&](const auto& c) { return CheckOne(c); }, expectation.check);
}

ExpectationResult ExpectationChecker::CheckOne(const StreamIntactExpectation& c) {
  return CheckStreamIntact(c.stream);
}

ExpectationResult ExpectationChecker::CheckOne(const RouteCountExpectation& c) {
  return CountInRange("route " + std::string(ToString(c.outcome)) + " on " + c.host,
                      hosts_.Named(c.host).Lookups(c.outcome), c.min, c.max);
}

ExpectationResult ExpectationChecker::CheckOne(const PathValidatedExpectation& c) {
  const uint64_t seen = hosts_.Named(c.host).Stats().path_validations_succeeded;
  ExpectationResult r{"path validated on " + c.host + " >= " + std::to_string(c.min), false, ""};
  r.detail = std::to_string(seen);
  r.met = seen >= c.min;
  return r;
}

ExpectationResult ExpectationChecker::CheckOne(const RegistryEmptyExpectation& c) {
  ExpectationResult r{"registry empty on " + c.host, false, ""};
  r.met = hosts_.Named(c.host).RegistryEmpty(&r.detail);
  return r;
}

ExpectationResult ExpectationChecker::CheckOne(const FramesExpectation& c) {
  const std::optional<DialedConnection> dialed = records_.Dialed(c.connection);
  return FrameExpectationChecker(frames_, start_).Check(c, dialed ? &*dialed : nullptr);
}

ExpectationResult ExpectationChecker::CheckOne(const FrameOrderExpectation& c) {
  const std::optional<DialedConnection> dialed = records_.Dialed(c.connection);
  return FrameExpectationChecker(frames_, start_).Check(c, dialed ? &*dialed : nullptr);
}

namespace {

// The EndpointStats field a `handshakes` expectation counts.
uint64_t HandshakeCountOf(const EndpointStats& stats, HandshakeCount count) {
  switch (count) {
    case HandshakeCount::kStarted:
      return stats.handshakes_started;
    case HandshakeCount::kCompleted:
      return stats.handshakes_completed;
    case HandshakeCount::kAccepted:
      return stats.connections_accepted;
    case HandshakeCount::kRetriesSent:
      return stats.retries_sent;
    case HandshakeCount::kInitialsRefused:
      return stats.initials_refused;
    case HandshakeCount::kRetryTokensAccepted:
      return stats.retry_tokens_accepted;
    case HandshakeCount::kRegularTokensAccepted:
      return stats.regular_tokens_accepted;
    case HandshakeCount::kNewTokensSent:
      return stats.new_tokens_sent;
    case HandshakeCount::kNewTokensReceived:
      return stats.new_tokens_received;
  }
  return 0;
}

}  // namespace

ExpectationResult ExpectationChecker::CheckOne(const HandshakesExpectation& c) {
  const uint64_t seen = HandshakeCountOf(hosts_.Named(c.host).Stats(), c.count);
  return CountInRange("handshakes " + std::string(ToString(c.count)) + " on " + c.host, seen, c.min,
                      c.max);
}

ExpectationResult ExpectationChecker::CheckOne(const FloodAnswersExpectation& c) {
  const FloodTally& floods = records_.floods;
  ExpectationResult r = CountInRange(std::string("flood answers ") + ToString(c.answer),
                                     floods.count(c.answer), c.min, c.max);
  r.detail += " (the floods sent " + std::to_string(floods.datagrams_sent) + " datagrams, " +
              std::to_string(floods.bytes_sent) + " bytes; answered with " +
              std::to_string(floods.count(FloodAnswer::kAny)) + " datagrams, " +
              std::to_string(floods.answer_bytes) + " bytes)";
  return r;
}

ExpectationResult ExpectationChecker::CheckOne(const StatelessResetsExpectation& c) {
  return CountInRange("stateless resets from " + c.host,
                      hosts_.Named(c.host).Stats().stateless_resets_sent, c.min, c.max);
}

ExpectationResult ExpectationChecker::CheckOne(const DeliveredExpectation& c) {
  const auto ms = [](Duration d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
  };
  ExpectationResult r{"stream " + c.stream + " delivered in [" + ms(c.from) + ", " + ms(c.by) +
                          ") ms in [" + std::to_string(c.min) + ", " +
                          (c.max ? std::to_string(*c.max) : "inf") + "] bytes",
                      false, ""};
  const DeliveredWindow& window = delivered_[&c];
  if (!window.at_from || !window.at_by) {
    r.detail = "the run ended before the window did";
    return r;
  }
  const uint64_t bytes = *window.at_by - *window.at_from;
  std::ostringstream detail;
  detail.precision(1);
  detail << std::fixed << bytes << " bytes ("
         << static_cast<double>(bytes) * kBitsPerByte / Seconds(c.by - c.from) / kBitsPerMegabit
         << " Mbit/s)";
  r.detail = detail.str();
  r.met = bytes >= c.min && (!c.max || bytes <= *c.max);
  return r;
}

ExpectationResult ExpectationChecker::CheckStreamIntact(const std::string& stream_name) {
  ExpectationResult r{"stream " + stream_name + " intact", false, ""};
  auto it = records_.streams.find(stream_name);
  if (it == records_.streams.end() || !it->second.opened) {
    r.detail = "never opened";
    return r;
  }
  const StreamRuntime& stream = it->second;
  const StreamEnds ends = StreamEnds::Of(stream, hosts_.all());
  const bool fin = ends.received != nullptr && ends.received->fin;
  r.detail = std::to_string(ends.received == nullptr ? 0 : ends.received->payload_bytes) + " of " +
             std::to_string(stream.requested) + " bytes arrived" + (fin ? " with FIN" : "");
  r.met = ends.Outcome(stream.requested) == StreamOutcome::kIntact;
  if (fin && ends.sent != nullptr && ends.received->hash != ends.sent->hash) {
    r.detail += ", hash differs";
  }
  return r;
}

ExpectationResult ExpectationChecker::CheckOne(const StreamExpectation& c) {
  ExpectationResult intact = CheckStreamIntact(c.stream);
  ExpectationResult r{"stream " + c.stream + " " + ToString(c.outcome), false, intact.detail};
  const auto it = records_.streams.find(c.stream);
  StreamOutcome seen = StreamOutcome::kUnfinished;
  if (it != records_.streams.end() && it->second.opened) {
    seen = StreamEnds::Of(it->second, hosts_.all()).Outcome(it->second.requested);
  }
  if (seen == StreamOutcome::kReset) r.detail += ", reset";
  r.detail = std::string(ToString(seen)) + ": " + r.detail;
  r.met = seen == c.outcome;
  return r;
}

ExpectationResult ExpectationChecker::CheckOne(const PingExpectation& c) {
  ExpectationResult r{"ping " + c.stream + " >= " + std::to_string(c.replies) + " replies", false,
                      ""};
  if (c.max_rtt) r.what += ", rtt <= " + At(*c.max_rtt).substr(2);
  const StreamRuntime& stream = records_.streams.at(c.stream);
  const PingReport* found = ReportOf(stream.ping, stream, "still running at the end", &r);
  if (found == nullptr) return r;
  const PingReport& report = *found;
  Duration slowest{};
  for (Duration rtt : report.rtts) slowest = std::max(slowest, rtt);
  r.detail = std::to_string(report.completed) + " replies, slowest " + At(slowest).substr(2) +
             (report.error.empty() ? "" : ", " + report.error);
  r.met =
      static_cast<uint64_t>(report.completed) >= c.replies && (!c.max_rtt || slowest <= *c.max_rtt);
  return r;
}

ExpectationResult ExpectationChecker::CheckOne(const IdentifyExpectation& c) {
  ExpectationResult r{"identify " + c.stream, false, ""};
  const StreamRuntime& stream = records_.streams.at(c.stream);
  const IdentifyReport* found = ReportOf(stream.identify, stream, "no answer by the end", &r);
  if (found == nullptr) return r;
  const IdentifyReport& report = *found;
  if (!report.error.empty()) {
    r.detail = report.error;
    return r;
  }
  const protocols::IdentifyMessage& message = report.message;
  const HostRuntime& peer = TimelineRecords::PeerOf(stream);
  std::vector<std::string> problems;
  // The key must be the peer's identity: the one its certificate proved.
  PublicKey key;
  if (!message.public_key || PublicKey::Decode(*message.public_key, &key) != KeyStatus::kOk ||
      PeerId::FromPublicKey(key) != peer.peer_id) {
    problems.push_back("the public key is not " + peer.spec->name + "'s identity");
  }
  if (message.listen_addrs.empty()) problems.push_back("no listen address");
  if (c.agent_version && message.agent_version != c.agent_version) {
    problems.push_back("agent_version " + message.agent_version.value_or("(none)"));
  }
  for (const std::string& protocol : c.protocols) {
    if (std::find(message.protocols.begin(), message.protocols.end(), protocol) ==
        message.protocols.end()) {
      problems.push_back("does not list " + protocol);
    }
  }
  if (c.observed_address) {
    Multiaddr observed;
    if (!message.observed_addr || !Multiaddr::FromBytes(*message.observed_addr, &observed).ok()) {
      problems.push_back("no observed address");
    } else if (observed.socket_address() != *c.observed_address) {
      problems.push_back("observed " + observed.socket_address().ToString());
    }
  }
  r.met = problems.empty();
  r.detail = message.agent_version.value_or("") + ", " + std::to_string(message.protocols.size()) +
             " protocols";
  for (const std::string& problem : problems) r.detail += "; " + problem;
  return r;
}

ExpectationResult ExpectationChecker::CheckOne(const PerfExpectation& c) {
  ExpectationResult r{"perf " + c.stream, false, ""};
  const StreamRuntime& stream = records_.streams.at(c.stream);
  const PerfReport* found = ReportOf(stream.perf, stream, "still running at the end", &r);
  if (found == nullptr) return r;
  const PerfReport& report = *found;
  r.detail = std::to_string(report.uploaded) + " bytes up, " + std::to_string(report.downloaded) +
             " down" + (report.error.empty() ? "" : ", " + report.error);
  r.met = report.error.empty();
  return r;
}

ExpectationResult ExpectationChecker::CheckOne(const ConnectionExpectation& c) {
  const bool listener = c.side == ConnectionSide::kListener;
  std::string what =
      "connection " + c.connection + (listener ? " (listener) " : " ") + ToString(c.outcome);
  if (c.ended) what += std::string(", ended ") + ToString(*c.ended);
  if (c.by) what += ", by " + At(*c.by);
  if (c.handshake_within) what += ", handshake within " + At(*c.handshake_within);
  ExpectationResult r{what, false, ""};
  auto it = records_.connections.find(c.connection);
  if (it == records_.connections.end() || it->second.dialer == nullptr) {
    r.detail = "never dialed";
    return r;
  }
  const ConnectionRuntime& connection = it->second;
  const ConnectionRecord* record = ConnectionEnds::Of(connection, c.side);
  if (record == nullptr) {
    r.detail =
        listener ? "the listener has no end of it (no Initial of it arrived)" : "never dialed";
    return r;
  }
  // The end the timeline closed is "closed" if the close found it alive;
  // the other end, if it ended at or after that close.
  const bool by_timeline =
      connection.closed_by_timeline &&
      (c.side == connection.closed_by || record->closed_at >= connection.closed_at);
  const char* seen = !record->closed ? (record->established ? "established" : "handshaking")
                     : by_timeline   ? "closed"
                                     : "failed";
  r.detail = seen;
  if (record->closed) {
    r.detail += " (" + record->close_reason + ") as " + ToString(record->close_cause) + " at " +
                At(record->closed_at - start_);
  }
  // Measured from the dial: the dialer's end is created then; the
  // listener's later, so its handshake time is no longer than the bound's
  // meaning (client-perceived) would give it.
  bool handshake_in_time = true;
  if (c.handshake_within) {
    handshake_in_time =
        record->established && record->established_at - connection.dialed_at <= *c.handshake_within;
    r.detail += record->established
                    ? ", handshake completed " + At(record->established_at - connection.dialed_at) +
                          " after the dial"
                    : ", handshake never completed";
  }
  r.met = handshake_in_time && std::string(seen) == ToString(c.outcome) &&
          (!c.error || record->close_reason.find(*c.error) != std::string::npos) &&
          (!c.ended || (record->closed && record->close_cause == *c.ended)) &&
          (!c.by || (record->closed && record->closed_at - start_ <= *c.by));
  return r;
}

}  // namespace p2pquic::scenarios
