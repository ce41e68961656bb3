#include "scenarios/explore/exploration_properties.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "scenarios/runner/run_options.h"
#include "scenarios/runner/run_time.h"

namespace p2pquic::scenarios {
namespace {

// Failed actions that are the transport obeying RFC 9000, or the
// consequence of a connection that legitimately ended earlier, not a bug.
// A generator cannot know when a handshake confirms or when the peer's
// NEW_CONNECTION_ID frames arrive (RFC 9000 §9), and a connection may end
// first (a close, a restart, an outage), leaving nothing for later actions.
constexpr std::array<std::string_view, 8> kExpectedActionFailures = {
    "migrate: the handshake is not confirmed yet",
    "migrate: the connection is closing or closed",
    "migrate: the peer left no unused connection ID for a new path",
    "(the move was still deferred:",
    "close: the connection is already gone",
    ": the connection is gone",
    "reset_stream: the stream is already gone",
    "no such connection (closed or never dialed)",
};

// Extra time a peer gets, after the idle timeout, to notice a close that
// was lost and drain.
constexpr Duration kDrainMargin = std::chrono::seconds(5);
constexpr double kBitsPerByte = 8;
// Path changes of one dialer (NAT rebindings and migrations) that can
// overlap two path validations on the server (KNOWN.md).
constexpr int kOverlappingPathChanges = 2;
// ngtcp2's error when a peer's NEW_CONNECTION_ID exceeds our limit.
constexpr char kConnectionIdLimitError[] = "ERR_CONNECTION_ID_LIMIT";
// ngtcp2's error when no validated path is left to send on.
constexpr char kNoViablePathError[] = "ERR_NO_VIABLE_PATH";
// RFC 9000 §20.1: INVALID_TOKEN (0x0b), as a close reason reads it.
constexpr char kInvalidTokenClose[] = "with transport error 0xb";
constexpr double kMillisPerSecond = 1000;

bool ExpectedActionFailure(const std::string& failed) {
  return std::any_of(
      kExpectedActionFailures.begin(), kExpectedActionFailures.end(),
      [&](std::string_view allowed) { return failed.find(allowed) != std::string::npos; });
}

// "transfer" for open_stream's streams; the action's name for the others.
const char* StreamKind(Action kind) {
  return kind == Action::kOpenStream ? "transfer" : ToString(kind);
}

// What the timeline says about each stream: when it starts, how many bytes
// it moves, how long its own pacing takes, whether the timeline resets it.
struct StreamPlan {
  Duration start{};
  uint64_t bytes = 0;
  Duration paced{};  // A ping's count × interval.
  bool reset = false;
  bool fin = false;  // A transfer: some send ends it (else it can never be intact).
};

// What the timeline says about the world as a whole.
struct WorldPlan {
  std::map<std::string, StreamPlan> streams;
  Duration last_disruption{};
  uint64_t slowest_kbps = 0;                   // 0: no bandwidth limit anywhere.
  std::set<std::string> delayed_registration;  // Hosts whose CIDs registered late.
  std::set<std::string> rebound;               // Hosts whose NAT rebound.
  std::set<std::string> migrated;              // Hosts that migrated.
  std::map<std::string, int> path_changes;     // Rebinds and migrations by host.
};

void NoteBandwidth(uint64_t kbps, uint64_t* slowest) {
  if (kbps != 0 && (*slowest == 0 || kbps < *slowest)) *slowest = kbps;
}

WorldPlan PlanOf(const Scenario& scenario) {
  WorldPlan plan;
  NoteBandwidth(scenario.links.default_conditions.bandwidth_kbps, &plan.slowest_kbps);
  for (const LinkOverride& o : scenario.links.overrides) {
    NoteBandwidth(o.conditions.bandwidth_kbps, &plan.slowest_kbps);
  }
  for (const Bottleneck& b : scenario.links.bottlenecks) {
    NoteBandwidth(b.bandwidth_kbps, &plan.slowest_kbps);
  }
  auto disrupted = [&](Duration until) {
    plan.last_disruption = std::max(plan.last_disruption, until);
  };
  for (const Event& event : scenario.timeline) {
    std::visit(
        [&](const auto& a) {
          using T = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<T, OpenStreamAction> || std::is_same_v<T, IdentifyAction>) {
            plan.streams[a.stream].start = event.at;
          } else if constexpr (std::is_same_v<T, PingAction>) {
            StreamPlan& s = plan.streams[a.stream];
            s.start = event.at;
            s.paced = a.interval * static_cast<int64_t>(a.count);
          } else if constexpr (std::is_same_v<T, PerfAction>) {
            StreamPlan& s = plan.streams[a.stream];
            s.start = event.at;
            s.bytes = a.upload_bytes + a.download_bytes;
          } else if constexpr (std::is_same_v<T, SendAction>) {
            StreamPlan& s = plan.streams[a.stream];
            s.start = event.at;  // The last send is when its last bytes start.
            s.bytes += a.bytes;
            s.fin = s.fin || a.fin;
          } else if constexpr (std::is_same_v<T, ResetStreamAction>) {
            plan.streams[a.stream].reset = true;
          } else if constexpr (std::is_same_v<T, BlackholeAction>) {
            disrupted(event.at + a.duration);
          } else if constexpr (std::is_same_v<T, SetLinkAction>) {
            disrupted(event.at);
            NoteBandwidth(a.conditions.bandwidth_kbps, &plan.slowest_kbps);
          } else if constexpr (std::is_same_v<T, DelayCidRegistrationAction>) {
            disrupted(event.at);
            if (a.delay > Duration::zero()) plan.delayed_registration.insert(a.host);
          } else if constexpr (std::is_same_v<T, RebindAction>) {
            disrupted(event.at);
            plan.rebound.insert(a.host);
            ++plan.path_changes[a.host];
          } else if constexpr (std::is_same_v<T, MigrateAction>) {
            disrupted(event.at);
            plan.migrated.insert(a.host);
            ++plan.path_changes[a.host];
          } else if constexpr (std::is_same_v<T, PartitionAction> ||
                               std::is_same_v<T, HealAction> || std::is_same_v<T, RestartAction>) {
            disrupted(event.at);
          }
        },
        event.action);
  }
  return plan;
}

const HostOutcomeRecord* HostNamed(const RunOutcomes& outcomes, const std::string& name) {
  for (const HostOutcomeRecord& h : outcomes.hosts) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

const TransportSettings& SettingsOfHost(const Scenario& scenario, const std::string& host) {
  const Host* spec = scenario.FindHost(host);
  return spec == nullptr ? scenario.settings : scenario.SettingsOf(*spec);
}

// How long after its peer went silent a host's end may live on: its idle
// timeout, counted from its first ack-eliciting send after the last packet
// it received (RFC 9000 §10.1 restarts the timer on that send). With
// keep-alive on, that send is the keep-alive PING, up to one keep-alive
// interval after the last receipt (ngtcp2 times it from there); the later
// PINGs do not restart the timer again. A keep-alive no shorter than the
// idle timeout never fires first. Without keep-alive the first such send is
// a probe within a few PTOs, which kDrainMargin covers, as it covers the
// max(idle, 3 PTO) floor of RFC 9000 §10.1.
Duration SilentLifetimeOf(const Scenario& scenario, const std::string& host) {
  const TransportSettings& settings = SettingsOfHost(scenario, host);
  const bool keep_alive_first =
      settings.keep_alive > Duration::zero() && settings.keep_alive < settings.idle_timeout;
  return settings.idle_timeout + (keep_alive_first ? settings.keep_alive : Duration::zero());
}

// Whether `side`'s end ended because of the timeline's close: it was the
// end closed, or it ended at or after that close.
bool EndedByTimeline(const ConnectionOutcomeRecord& c, ConnectionSide side) {
  const EndOutcome& e = c.ends[static_cast<size_t>(side)];
  if (!c.closed_by_timeline || e.state != EndState::kEnded) return false;
  return side == c.closed_by ? e.cause == CloseCause::kLocalClose : e.at >= c.closed_at;
}

bool Alive(EndState state) {
  return state == EndState::kHandshaking || state == EndState::kEstablished;
}

void CheckEnd(const ConnectionOutcomeRecord& c, ConnectionSide side, const RunOutcomes& outcomes,
              const WorldPlan& plan, std::vector<CaseFailure>* failures) {
  const EndOutcome& end = c.ends[static_cast<size_t>(side)];
  if (end.state != EndState::kEnded) return;
  const ConnectionSide other_side =
      side == ConnectionSide::kDialer ? ConnectionSide::kListener : ConnectionSide::kDialer;
  const EndOutcome& peer = c.ends[static_cast<size_t>(other_side)];
  const std::string& peer_host = side == ConnectionSide::kDialer ? c.listener : c.dialer;
  const std::string who = "connection " + c.name + " (" + ToString(side) + ") ended " +
                          ToString(end.cause) + " at " + At(end.at) + " (" + end.reason + ")";
  auto fail = [&](const char* what, const std::string& why) {
    failures->push_back({std::string("property:connection-end:") + what, who + ": " + why});
  };
  switch (end.cause) {
    case CloseCause::kLocalClose:
      if (!(c.closed_by_timeline && c.closed_by == side)) {
        fail("unexplained-local-close", "the timeline never closed this end");
      }
      return;
    case CloseCause::kPeerClose:
      // The peer sent a close: the timeline closed its end (which a
      // restart may lose later, while it is still in its closing period),
      // or its transport closed with an error.
      // Or the listener refused a Retry token that no longer matched the
      // dialer's address (its NAT rebound, or it migrated, between the
      // Retry and its next Initial): RFC 9000 §8.1.2 has the server close
      // at once with INVALID_TOKEN, statelessly (no end of the listener's).
      if (side == ConnectionSide::kDialer &&
          end.reason.find(kInvalidTokenClose) != std::string::npos &&
          (plan.rebound.count(c.dialer) || plan.migrated.count(c.dialer))) {
        return;
      }
      if (!(c.closed_by_timeline && c.closed_by == other_side && c.closed_at <= end.at) &&
          !(peer.state == EndState::kEnded && peer.cause == CloseCause::kLocalError)) {
        fail("unexplained-peer-close",
             std::string("the peer's end is ") + ToString(peer.state) + " and sent no close");
      }
      return;
    case CloseCause::kIdleTimeout:
    case CloseCause::kHandshakeTimeout:
      if (end.close_received || end.reset_received) {
        fail("silent-timeout", end.close_received ? "the peer's CONNECTION_CLOSE had arrived"
                                                  : "a stateless reset had arrived");
      }
      return;
    case CloseCause::kStatelessReset: {
      const HostOutcomeRecord* host = HostNamed(outcomes, peer_host);
      const bool peer_lost_state =
          (host != nullptr && host->restarts > 0) || plan.delayed_registration.count(peer_host) ||
          peer.state == EndState::kAbsent || peer.state == EndState::kLostWithHost ||
          (peer.state == EndState::kEnded && peer.at <= end.at);
      if (!peer_lost_state) {
        fail("unexplained-stateless-reset",
             "the peer's end was alive, its host never restarted and registered on time");
      }
      return;
    }
    case CloseCause::kLocalError:
      // Known and documented (scenarios/explore/KNOWN.md, kept as
      // tests/scenarios/known/): ngtcp2 0.12.1's server counts a path
      // validation's fallback DCID against active_connection_id_limit when
      // two path changes of the client overlap (a NAT rebinding and a
      // migration, or migrations in quick succession), and refuses the
      // client's replacement NEW_CONNECTION_ID.
      if (end.reason.find(kConnectionIdLimitError) != std::string::npos &&
          plan.path_changes.count(c.dialer) &&
          plan.path_changes.at(c.dialer) >= kOverlappingPathChanges) {
        return;
      }
      // RFC 9000 §8.2.4, §9: a path validation that fails (its challenges
      // lost) on the only path leaves no viable path; ngtcp2 then closes.
      // Only a path change of the dialer (NAT rebinding, migration) makes
      // a validation.
      if (end.reason.find(kNoViablePathError) != std::string::npos &&
          (plan.rebound.count(c.dialer) || plan.migrated.count(c.dialer))) {
        return;
      }
      fail(ToString(end.cause), "the transport gave up on its own");
      return;
    case CloseCause::kUnrecoverablePacket:
      // ngtcp2 0.12.1 returns NGTCP2_ERR_DROP_CONN only for a server state
      // that has processed none of the client's CRYPTO data: its first
      // Initial failed to decrypt (a corrupted datagram: "SCID in packet
      // might be corrupted"), carried no CRYPTO, or came from another path
      // during the handshake. That state was made from an unauthenticated
      // datagram, sent nothing, and the client's retransmitted Initial makes
      // a fresh one (RFC 9000 §12.2: a packet that fails to decrypt is
      // discarded): the drop of a datagram, not the end of a connection.
      if (side == ConnectionSide::kListener && !end.established) return;
      fail(ToString(end.cause), "the transport gave up on its own");
      return;
    case CloseCause::kSetupFailed:
      fail(ToString(end.cause), "the transport gave up on its own");
      return;
  }
}

void CheckConnections(const Scenario& scenario, const RunReport& report, const WorldPlan& plan,
                      std::vector<CaseFailure>* failures) {
  for (const ConnectionOutcomeRecord& c : report.outcomes.connections) {
    CheckEnd(c, ConnectionSide::kDialer, report.outcomes, plan, failures);
    CheckEnd(c, ConnectionSide::kListener, report.outcomes, plan, failures);
    if (!c.closed_by_timeline) continue;
    // A closed connection's other end hears the close or times out.
    const Duration settled =
        c.closed_at +
        std::max(SilentLifetimeOf(scenario, c.dialer), SilentLifetimeOf(scenario, c.listener)) +
        kDrainMargin;
    for (ConnectionSide side : {ConnectionSide::kDialer, ConnectionSide::kListener}) {
      // The listener closed one of its connections for this dial; the
      // dialer may live on with another (its NAT rebound mid-handshake).
      if (side == ConnectionSide::kDialer && c.closed_by == ConnectionSide::kListener &&
          c.listener_connections > 1) {
        continue;
      }
      if (Alive(c.ends[static_cast<size_t>(side)].state) && report.virtual_time > settled) {
        failures->push_back({"property:connection-end:still-open",
                             "connection " + c.name + " (" + ToString(side) +
                                 ") still open at the end, closed by the timeline at " +
                                 At(c.closed_at)});
      }
    }
  }
}

// Whether datagrams from `from` to `to` meet an MTU below QUIC's minimum
// at any time (the link's override, the default, or a set_link).
bool PathBelowQuicMinimum(const Scenario& scenario, const std::string& from,
                          const std::string& to) {
  LinkConditions conditions = scenario.links.default_conditions;
  for (const LinkOverride& o : scenario.links.overrides) {
    if (o.from == from && o.to == to) conditions = o.conditions;
  }
  if (conditions.mtu < kQuicMinDatagramSize) return true;
  for (const Event& event : scenario.timeline) {
    const auto* set = std::get_if<SetLinkAction>(&event.action);
    if (set != nullptr && set->from == from && set->to == to &&
        set->conditions.mtu < kQuicMinDatagramSize) {
      return true;
    }
  }
  return false;
}

// property:flood-admission:denied. A dialer whose handshake timed out
// while its listener was flooded, where nothing but the flood can explain
// it (no other disruption before it ended, no path below QUIC's minimum
// MTU), is excused only where the listener's settings make that failure
// expected: retry never, and its admission did refuse Initials under
// pressure (pending slots, per-source or memory limits full). Under retry
// auto or always a flood must not deny service: past the threshold every
// unvalidated Initial meets a Retry, which a spoofed source cannot answer
// and a legitimate client can.
void CheckFloodAdmission(const Scenario& scenario, const RunReport& report,
                         std::vector<CaseFailure>* failures) {
  std::map<std::string, std::vector<std::pair<Duration, Duration>>> floods;  // Host -> windows.
  std::optional<Duration> first_disruption;
  for (const Event& event : scenario.timeline) {
    if (const auto* flood = std::get_if<FloodAction>(&event.action)) {
      floods[flood->host].emplace_back(event.at, event.at + flood->duration);
      continue;
    }
    const Action kind = event.kind();
    const bool disrupts = kind == Action::kPartition || kind == Action::kBlackhole ||
                          kind == Action::kSetLink || kind == Action::kRebind ||
                          kind == Action::kMigrate || kind == Action::kRestart ||
                          kind == Action::kDelayCidRegistration;
    if (disrupts && !first_disruption) first_disruption = event.at;
  }
  if (floods.empty()) return;
  std::map<std::string, Duration> dialed_at;
  for (const Event& event : scenario.timeline) {
    if (const auto* dial = std::get_if<DialAction>(&event.action)) {
      dialed_at[dial->connection] = event.at;
    }
  }
  for (const ConnectionOutcomeRecord& c : report.outcomes.connections) {
    const EndOutcome& end = c.ends[static_cast<size_t>(ConnectionSide::kDialer)];
    if (end.state != EndState::kEnded || end.established ||
        end.cause != CloseCause::kHandshakeTimeout) {
      continue;
    }
    const auto windows = floods.find(c.listener);
    const auto dial = dialed_at.find(c.name);
    if (windows == floods.end() || dial == dialed_at.end()) continue;
    const bool flooded =
        std::any_of(windows->second.begin(), windows->second.end(),
                    [&](const auto& w) { return w.first <= end.at && w.second >= dial->second; });
    if (!flooded) continue;
    if (first_disruption && *first_disruption <= end.at) continue;
    if (PathBelowQuicMinimum(scenario, c.dialer, c.listener) ||
        PathBelowQuicMinimum(scenario, c.listener, c.dialer)) {
      continue;
    }
    const Host* listener = scenario.FindHost(c.listener);
    const HostOutcomeRecord* host = HostNamed(report.outcomes, c.listener);
    const bool expected = listener != nullptr &&
                          scenario.SettingsOf(*listener).retry == RetryPolicy::kNever &&
                          host != nullptr && host->initials_refused_under_pressure > 0;
    if (expected) continue;
    failures->push_back(
        {"property:flood-admission:denied",
         "connection " + c.name + " to " + c.listener + " timed out its handshake at " +
             At(end.at) + " while " + c.listener + " was flooded (retry " +
             (listener != nullptr ? ToString(scenario.SettingsOf(*listener).retry) : "?") +
             "): a flood must not deny service unless retry is never and the pending "
             "handshakes are full"});
  }
}

void CheckStreams(const RunReport& report, const WorldPlan& plan, const WireObserver& wire,
                  std::vector<CaseFailure>* failures) {
  for (const StreamOutcomeRecord& s : report.outcomes.streams) {
    const auto planned = plan.streams.find(s.name);
    if (planned == plan.streams.end()) continue;
    const StreamPlan& p = planned->second;
    if (p.reset || s.transfer == StreamOutcome::kReset) continue;
    // A transfer the timeline never ends (its last send without FIN, e.g.
    // the one after it dropped with a restart) cannot arrive intact.
    if (s.kind == Action::kOpenStream && !p.fin) continue;
    const bool done = s.kind == Action::kOpenStream ? s.transfer == StreamOutcome::kIntact
                                                    : s.protocol == ProtocolResult::kSucceeded;
    if (done) continue;
    const auto c =
        std::find_if(report.outcomes.connections.begin(), report.outcomes.connections.end(),
                     [&](const ConnectionOutcomeRecord& r) { return r.name == s.connection; });
    if (c == report.outcomes.connections.end()) continue;
    // The connection ended some other way: the connection's properties judge that.
    if (!c->ends[static_cast<size_t>(s.side)].established) continue;
    bool ended_otherwise = false;
    for (ConnectionSide side : {ConnectionSide::kDialer, ConnectionSide::kListener}) {
      const EndOutcome& e = c->ends[static_cast<size_t>(side)];
      if (!Alive(e.state) && !EndedByTimeline(*c, side)) ended_otherwise = true;
    }
    if (ended_otherwise) continue;
    const Duration until = c->closed_by_timeline ? c->closed_at : report.virtual_time;
    Duration needed =
        std::max(p.start, plan.last_disruption) + ExplorationProperties::kSettleTime + p.paced;
    if (plan.slowest_kbps != 0) {
      needed += std::chrono::milliseconds(
          static_cast<int64_t>(2 * static_cast<double>(p.bytes) * kBitsPerByte /
                               static_cast<double>(plan.slowest_kbps)));
    }
    if (until < needed) continue;
    if (wire.StarvedAt(kRunStart + until)) continue;
    const std::string seen =
        s.kind == Action::kOpenStream
            ? std::string(ToString(s.transfer)) + ", " + std::to_string(s.delivered) + " of " +
                  std::to_string(s.requested) + " bytes"
            : std::string(ToString(s.protocol)) + (s.detail.empty() ? "" : ": " + s.detail);
    failures->push_back({std::string("property:stream-intact:") + StreamKind(s.kind),
                         "stream " + s.name + " on " + s.connection + " is " + seen + " at " +
                             At(until) + " (it had until " + At(needed) + ")"});
  }
}

void CheckRegistries(const RunReport& report, std::vector<CaseFailure>* failures) {
  for (const ConnectionOutcomeRecord& c : report.outcomes.connections) {
    for (const EndOutcome& e : c.ends) {
      if (Alive(e.state)) return;  // A live connection holds its CIDs.
    }
  }
  for (const HostOutcomeRecord& h : report.outcomes.hosts) {
    if (!h.registry_empty) {
      failures->push_back(
          {"property:registry-empty", "registry of " + h.name + " holds " + h.registry});
    }
  }
}

}  // namespace

void ExplorationProperties::Check(const Scenario& scenario, const RunReport& report,
                                  const WireObserver& wire, PropertySet set,
                                  std::vector<CaseFailure>* failures) {
  if (set == PropertySet::kNone) return;
  for (const std::string& failed : report.failed_actions) {
    if (!ExpectedActionFailure(failed))
      failures->push_back({FailedActionSignature(failed), failed});
  }
  const WorldPlan plan = PlanOf(scenario);
  CheckConnections(scenario, report, plan, failures);
  CheckFloodAdmission(scenario, report, failures);
  CheckStreams(report, plan, wire, failures);
  CheckRegistries(report, failures);
  if (set == PropertySet::kWithCanary) {
    for (const HostOutcomeRecord& h : report.outcomes.hosts) {
      if (h.path_validations > 0) {
        failures->push_back({"canary:migration", h.name + " validated " +
                                                     std::to_string(h.path_validations) +
                                                     " path(s): a connection migrated"});
        break;
      }
    }
  }
}

}  // namespace p2pquic::scenarios
