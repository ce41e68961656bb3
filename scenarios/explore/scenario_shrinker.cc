// One file on purpose (over 600 lines): the passes are methods of one
// ShrinkSession because they share its state, the current smallest failing
// scenario and the one gate every candidate passes (validity, novelty,
// limits, the predicate); the scenario edits above it serve only them.
#include "scenarios/explore/scenario_shrinker.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "scenarios/format/scenario_parser.h"
#include "scenarios/format/scenario_writer.h"

namespace p2pquic::scenarios {
namespace {

using Names = std::set<std::string>;

// Probabilities are searched on a grid of this many steps per unit: fine
// enough for any rate a file states by hand (0.0001), coarse enough that a
// search ends in 14 steps and lands on round values (0.01, not 0.0100000007).
constexpr uint64_t kProbabilitySteps = 10'000;

// The stream an event opens (open_stream, ping, identify, perf), or null.
const std::string* StreamOpenedBy(const EventAction& action) {
  if (const auto* a = std::get_if<OpenStreamAction>(&action)) return &a->stream;
  if (const auto* a = std::get_if<PingAction>(&action)) return &a->stream;
  if (const auto* a = std::get_if<IdentifyAction>(&action)) return &a->stream;
  if (const auto* a = std::get_if<PerfAction>(&action)) return &a->stream;
  return nullptr;
}

// The connection an event uses (a dial's own included), or null.
const std::string* ConnectionUsedBy(const EventAction& action) {
  if (const auto* a = std::get_if<DialAction>(&action)) return &a->connection;
  if (const auto* a = std::get_if<OpenStreamAction>(&action)) return &a->connection;
  if (const auto* a = std::get_if<PingAction>(&action)) return &a->connection;
  if (const auto* a = std::get_if<IdentifyAction>(&action)) return &a->connection;
  if (const auto* a = std::get_if<PerfAction>(&action)) return &a->connection;
  if (const auto* a = std::get_if<CloseAction>(&action)) return &a->connection;
  return nullptr;
}

// The transfer stream a send or reset_stream acts on, or null.
const std::string* StreamActedOnBy(const EventAction& action) {
  if (const auto* a = std::get_if<SendAction>(&action)) return &a->stream;
  if (const auto* a = std::get_if<ResetStreamAction>(&action)) return &a->stream;
  return nullptr;
}

// The single host an event acts on (rebind, migrate, restart,
// delay_cid_registration), or null.
const std::string* HostActedOnBy(const EventAction& action) {
  if (const auto* a = std::get_if<RebindAction>(&action)) return &a->host;
  if (const auto* a = std::get_if<MigrateAction>(&action)) return &a->host;
  if (const auto* a = std::get_if<RestartAction>(&action)) return &a->host;
  if (const auto* a = std::get_if<DelayCidRegistrationAction>(&action)) return &a->host;
  return nullptr;
}

// Whether an event names `host` as one end of a direction or as a dial's end.
bool NamesDirectionOf(const EventAction& action, const std::string& host) {
  if (const auto* a = std::get_if<DialAction>(&action)) return a->from == host || a->to == host;
  if (const auto* a = std::get_if<BlackholeAction>(&action))
    return a->from == host || a->to == host;
  if (const auto* a = std::get_if<SetLinkAction>(&action)) return a->from == host || a->to == host;
  return false;
}

// Whether an expectation names something in the three sets.
bool ExpectationNames(const Expectation& expectation, const Names& hosts, const Names& connections,
                      const Names& streams) {
  return std::visit(
      [&](const auto& check) {
        using Check = std::decay_t<decltype(check)>;
        if constexpr (requires { check.host; }) {
          if (hosts.contains(check.host)) return true;
        }
        if constexpr (requires { check.stream; }) {
          if (streams.contains(check.stream)) return true;
        }
        if constexpr (std::is_same_v<Check, ConnectionExpectation>) {
          if (connections.contains(check.connection)) return true;
        } else if constexpr (requires { check.connection; }) {
          if (check.connection && connections.contains(*check.connection)) return true;
        }
        return false;
      },
      expectation.check);
}

// Removes the connections and streams named, and everything that depends
// on them: the dials and openers, every event on them (streams opened on a
// removed connection go too) and every expectation naming them. Events come
// in order, so one forward pass sees each opener before what acts on it.
void RemoveConnectionsAndStreams(Scenario& s, Names connections, Names streams) {
  std::vector<Event> kept;
  kept.reserve(s.timeline.size());
  for (Event& event : s.timeline) {
    const std::string* connection = ConnectionUsedBy(event.action);
    const std::string* opened = StreamOpenedBy(event.action);
    const std::string* acted_on = StreamActedOnBy(event.action);
    if (connection && connections.contains(*connection)) {
      if (opened) streams.insert(*opened);
      continue;
    }
    if (opened && streams.contains(*opened)) continue;
    if (acted_on && streams.contains(*acted_on)) continue;
    kept.push_back(std::move(event));
  }
  s.timeline = std::move(kept);
  std::erase_if(s.expect, [&](const Expectation& e) {
    return ExpectationNames(e, Names{}, connections, streams);
  });
}

// Keeps a smaller scenario valid where that is cheap to see, so fewer
// candidates are refused: a migrate needs an earlier dial by its host, a
// partition must leave some host outside, and a heal with no partition at
// all is noise. Whatever this misses the parser refuses.
void RepairDependents(Scenario& s) {
  Names dialers;
  bool any_partition = false;
  std::vector<Event> kept;
  kept.reserve(s.timeline.size());
  for (Event& event : s.timeline) {
    if (const auto* dial = std::get_if<DialAction>(&event.action)) dialers.insert(dial->from);
    if (const auto* migrate = std::get_if<MigrateAction>(&event.action)) {
      if (!dialers.contains(migrate->host)) continue;
    }
    if (auto* partition = std::get_if<PartitionAction>(&event.action)) {
      if (partition->hosts.empty() || partition->hosts.size() >= s.hosts.size()) continue;
      any_partition = true;
    }
    kept.push_back(std::move(event));
  }
  if (!any_partition) {
    std::erase_if(kept, [](const Event& e) { return e.kind() == Action::kHeal; });
  }
  s.timeline = std::move(kept);
}

Scenario WithoutHost(const Scenario& base, const std::string& host) {
  Scenario s = base;
  std::erase_if(s.hosts, [&](const Host& h) { return h.name == host; });
  Names connections;
  for (const Event& event : s.timeline) {
    if (const auto* dial = std::get_if<DialAction>(&event.action)) {
      if (dial->from == host || dial->to == host) connections.insert(dial->connection);
    }
  }
  RemoveConnectionsAndStreams(s, connections, Names{});
  for (Event& event : s.timeline) {
    if (auto* partition = std::get_if<PartitionAction>(&event.action)) {
      std::erase(partition->hosts, host);
    }
  }
  std::erase_if(s.timeline, [&](const Event& event) {
    const std::string* acted_on = HostActedOnBy(event.action);
    return (acted_on && *acted_on == host) || NamesDirectionOf(event.action, host);
  });
  std::erase_if(s.links.overrides,
                [&](const LinkOverride& o) { return o.from == host || o.to == host; });
  for (Bottleneck& bottleneck : s.links.bottlenecks) {
    std::erase_if(bottleneck.directions,
                  [&](const LinkDirection& d) { return d.from == host || d.to == host; });
  }
  std::erase_if(s.links.bottlenecks, [](const Bottleneck& b) { return b.directions.empty(); });
  std::erase_if(s.expect, [&](const Expectation& e) {
    return ExpectationNames(e, Names{host}, Names{}, Names{});
  });
  RepairDependents(s);
  return s;
}

// The scenario without timeline events [begin, end) and what depends on
// them (a dial's connection, an opener's stream).
Scenario WithoutEvents(const Scenario& base, size_t begin, size_t end) {
  Scenario s = base;
  Names connections;
  Names streams;
  for (size_t i = begin; i < end; ++i) {
    const EventAction& action = s.timeline[i].action;
    if (const auto* dial = std::get_if<DialAction>(&action)) connections.insert(dial->connection);
    if (const std::string* opened = StreamOpenedBy(action)) streams.insert(*opened);
  }
  s.timeline.erase(s.timeline.begin() + static_cast<std::ptrdiff_t>(begin),
                   s.timeline.begin() + static_cast<std::ptrdiff_t>(end));
  RemoveConnectionsAndStreams(s, std::move(connections), std::move(streams));
  RepairDependents(s);
  return s;
}

// Every place link conditions are stated: the default, each override and
// each set_link, as a function that finds it in a scenario of the same shape.
using ConditionsRef = std::function<LinkConditions&(Scenario&)>;

std::vector<ConditionsRef> ConditionsIn(const Scenario& s) {
  std::vector<ConditionsRef> refs;
  refs.push_back([](Scenario& x) -> LinkConditions& { return x.links.default_conditions; });
  for (size_t i = 0; i < s.links.overrides.size(); ++i) {
    refs.push_back([i](Scenario& x) -> LinkConditions& { return x.links.overrides[i].conditions; });
  }
  for (size_t i = 0; i < s.timeline.size(); ++i) {
    if (s.timeline[i].kind() != Action::kSetLink) continue;
    refs.push_back([i](Scenario& x) -> LinkConditions& {
      return std::get<SetLinkAction>(x.timeline[i].action).conditions;
    });
  }
  return refs;
}

constexpr Duration LinkConditions::*kConditionDurations[] = {
    &LinkConditions::delay, &LinkConditions::jitter, &LinkConditions::duplicate_delay};
constexpr uint64_t LinkConditions::*kConditionCounts[] = {
    &LinkConditions::loss_burst, &LinkConditions::bandwidth_kbps, &LinkConditions::queue_bytes,
    &LinkConditions::mtu};
constexpr double LinkConditions::*kConditionProbabilities[] = {
    &LinkConditions::loss, &LinkConditions::duplicate, &LinkConditions::corrupt};

constexpr Duration TransportSettings::*kSettingDurations[] = {
    &TransportSettings::idle_timeout, &TransportSettings::handshake_timeout,
    &TransportSettings::keep_alive, &TransportSettings::retired_cid_grace};
constexpr uint64_t TransportSettings::*kSettingCounts[] = {
    &TransportSettings::active_connection_id_limit, &TransportSettings::cid_length,
    &TransportSettings::connection_window,          &TransportSettings::stream_window,
    &TransportSettings::max_connection_window,      &TransportSettings::max_stream_window,
    &TransportSettings::stream_send_buffer,         &TransportSettings::max_stream_send_buffer,
    &TransportSettings::max_connection_send_buffer};

uint64_t ToMillis(Duration d) { return static_cast<uint64_t>(d / std::chrono::milliseconds(1)); }
Duration FromMillis(uint64_t ms) { return std::chrono::milliseconds(ms); }

// One shrink: the current smallest failing scenario and the passes that
// try to make it smaller.
class ShrinkSession {
 public:
  ShrinkSession(const Scenario& failing, const StillFails& still_fails, const ShrinkLimits& limits)
      : current_(failing), still_fails_(still_fails), limits_(limits), start_(limits_.now()) {}

  ShrinkResult Run() {
    // Each round that goes on accepted at least one attempt, so the
    // attempt limit bounds the rounds.
    for (size_t round = 0; round <= limits_.max_attempts && !stop_; ++round) {
      const size_t accepted_before = accepted_;
      DropHosts();
      DropConnections();
      DropStreams();
      DropEventChunks();
      DropExpectationChunks();
      RemoveFaults();
      ReduceNumbers();
      if (!stop_ && accepted_ == accepted_before) stop_ = ShrinkStop::kFixpoint;
    }
    return ShrinkResult{.minimal = current_,
                        .stop = stop_.value_or(ShrinkStop::kAttemptLimit),
                        .attempts = attempts_,
                        .accepted = accepted_,
                        .invalid = invalid_};
  }

 private:
  // Offers `candidate` if it is valid, new and a limit allows; true when it
  // still fails, and it is then the current scenario.
  bool Offer(const Scenario& candidate) {
    if (stop_) return false;
    if (attempts_ >= limits_.max_attempts) {
      stop_ = ShrinkStop::kAttemptLimit;
      return false;
    }
    if (limits_.now() - start_ >= limits_.max_wall) {
      stop_ = ShrinkStop::kTimeLimit;
      return false;
    }
    std::string json = ToJson(candidate);
    Scenario parsed;
    ParseError error;
    if (ParseScenario(json, &parsed, &error) != ParseStatus::kOk) {
      ++invalid_;
      return false;
    }
    if (parsed == current_) return false;
    if (!offered_.insert(std::move(json)).second) return false;
    ++attempts_;
    if (!still_fails_(parsed)) return false;
    current_ = std::move(parsed);
    ++accepted_;
    return true;
  }

  // Offers `edit` applied to a copy of the current scenario.
  template <typename Edit>
  bool OfferEdit(Edit&& edit) {
    Scenario candidate = current_;
    edit(candidate);
    return Offer(candidate);
  }

  // Moves a number from `start` (its current value) toward `target`: first
  // the target itself, then a binary search for the value closest to it
  // that still fails (exact when failing is monotone in the value). `set`
  // writes a value into a copy of the current scenario.
  template <typename Set>
  void MinimizeToward(uint64_t start, uint64_t target, Set&& set) {
    if (start == target || stop_) return;
    const bool down = target < start;
    const auto value_at = [&](uint64_t distance) {
      return down ? target + distance : target - distance;
    };
    if (OfferEdit([&](Scenario& s) { set(s, target); })) return;
    // Invariant: the value at distance `lo` does not fail (or is invalid),
    // the one at `hi` (the current value) does.
    uint64_t lo = 0;
    uint64_t hi = down ? start - target : target - start;
    while (hi - lo > 1 && !stop_) {
      const uint64_t mid = lo + (hi - lo) / 2;
      if (OfferEdit([&](Scenario& s) { set(s, value_at(mid)); })) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
  }

  template <typename Ref>
  void MinimizeCount(const Ref& ref, uint64_t target) {
    MinimizeToward(ref(current_), target, [&](Scenario& s, uint64_t v) { ref(s) = v; });
  }

  template <typename Ref>
  void MinimizeMillis(const Ref& ref, Duration target) {
    MinimizeToward(ToMillis(ref(current_)), ToMillis(target),
                   [&](Scenario& s, uint64_t v) { ref(s) = FromMillis(v); });
  }

  // Toward 0 on the kProbabilitySteps grid; the top of the search is the
  // current value itself, which may lie between two grid points.
  template <typename Ref>
  void MinimizeProbability(const Ref& ref) {
    const double start = ref(current_);
    if (start <= 0) return;
    const auto steps = static_cast<uint64_t>(std::ceil(start * kProbabilitySteps));
    MinimizeToward(steps, 0, [&](Scenario& s, uint64_t v) {
      ref(s) = v >= steps ? start : static_cast<double>(v) / kProbabilitySteps;
    });
  }

  // --- 1-5: structure ---------------------------------------------------------

  void DropHosts() {
    for (size_t i = 0; i < current_.hosts.size() && current_.hosts.size() > 1 && !stop_;) {
      if (!Offer(WithoutHost(current_, current_.hosts[i].name))) ++i;
    }
  }

  // Drops the names an event at each index opens (a connection or a stream)
  // one at a time, in timeline order.
  template <typename NameOf, typename Drop>
  void DropEach(NameOf&& name_of, Drop&& drop) {
    for (size_t i = 0; i < current_.timeline.size() && !stop_;) {
      const std::string* name = name_of(current_.timeline[i].action);
      if (name == nullptr || !OfferEdit([&](Scenario& s) { drop(s, std::string(*name)); })) ++i;
    }
  }

  void DropConnections() {
    DropEach(
        [](const EventAction& a) -> const std::string* {
          const auto* dial = std::get_if<DialAction>(&a);
          return dial ? &dial->connection : nullptr;
        },
        [](Scenario& s, const std::string& connection) {
          RemoveConnectionsAndStreams(s, Names{connection}, Names{});
          RepairDependents(s);
        });
  }

  void DropStreams() {
    DropEach(StreamOpenedBy, [](Scenario& s, const std::string& stream) {
      RemoveConnectionsAndStreams(s, Names{}, Names{stream});
      RepairDependents(s);
    });
  }

  // ddmin's removal half: chunks of half the list, then quarters, ... then
  // single items; after a removal the same position is tried again.
  template <typename Size, typename Remove>
  void DropChunks(Size&& size, Remove&& remove) {
    for (size_t chunk = std::max<size_t>(size() / 2, 1); !stop_; chunk /= 2) {
      for (size_t begin = 0; begin < size() && !stop_;) {
        const size_t end = std::min(size(), begin + chunk);
        if (!Offer(remove(begin, end))) begin = end;
      }
      if (chunk == 1) break;
    }
  }

  void DropEventChunks() {
    DropChunks([this] { return current_.timeline.size(); },
               [this](size_t begin, size_t end) { return WithoutEvents(current_, begin, end); });
  }

  void DropExpectationChunks() {
    DropChunks([this] { return current_.expect.size(); },
               [this](size_t begin, size_t end) {
                 Scenario s = current_;
                 s.expect.erase(s.expect.begin() + static_cast<std::ptrdiff_t>(begin),
                                s.expect.begin() + static_cast<std::ptrdiff_t>(end));
                 return s;
               });
  }

  // --- 6: faults and settings ----------------------------------------------------

  void RemoveFaults() {
    if (!current_.links.overrides.empty())
      OfferEdit([](Scenario& s) { s.links.overrides.clear(); });
    for (size_t i = 0; i < current_.links.overrides.size() && !stop_;) {
      if (!OfferEdit([i](Scenario& s) {
            s.links.overrides.erase(s.links.overrides.begin() + static_cast<std::ptrdiff_t>(i));
          })) {
        ++i;
      }
    }
    if (!current_.links.bottlenecks.empty()) {
      OfferEdit([](Scenario& s) { s.links.bottlenecks.clear(); });
    }
    for (size_t i = 0; i < current_.links.bottlenecks.size() && !stop_;) {
      if (!OfferEdit([i](Scenario& s) {
            s.links.bottlenecks.erase(s.links.bottlenecks.begin() + static_cast<std::ptrdiff_t>(i));
          })) {
        ++i;
      }
    }
    for (const ConditionsRef& ref : ConditionsIn(current_)) NeutralizeConditions(ref);
    for (size_t i = 0; i < current_.hosts.size() && !stop_; ++i) NeutralizeHost(i);
    NeutralizeSettings([](Scenario& s) -> TransportSettings& { return s.settings; });
    if (current_.seed != 0) OfferEdit([](Scenario& s) { s.seed = 0; });
  }

  void NeutralizeConditions(const ConditionsRef& ref) {
    const LinkConditions neutral;
    if (ref(current_) == neutral) return;
    if (OfferEdit([&](Scenario& s) { ref(s) = neutral; })) return;
    for (auto field : kConditionDurations) NeutralizeField(ref, field, neutral);
    for (auto field : kConditionCounts) NeutralizeField(ref, field, neutral);
    for (auto field : kConditionProbabilities) NeutralizeField(ref, field, neutral);
  }

  template <typename Ref, typename Whole, typename Field>
  void NeutralizeField(const Ref& ref, Field Whole::*field, const Whole& neutral) {
    if (stop_ || ref(current_).*field == neutral.*field) return;
    OfferEdit([&](Scenario& s) { ref(s).*field = neutral.*field; });
  }

  void NeutralizeHost(size_t i) {
    // Copies: an accepted edit replaces current_.
    const Host host = current_.hosts[i];
    if (host.nat) OfferEdit([i](Scenario& s) { s.hosts[i].nat = false; });
    if (host.random_seed) OfferEdit([i](Scenario& s) { s.hosts[i].random_seed.reset(); });
    if (host.socket_send_buffer_bytes != 0) {
      OfferEdit([i](Scenario& s) { s.hosts[i].socket_send_buffer_bytes = 0; });
    }
    if (!current_.hosts[i].settings) return;
    if (OfferEdit([i](Scenario& s) { s.hosts[i].settings.reset(); })) return;
    NeutralizeSettings([i](Scenario& s) -> TransportSettings& { return *s.hosts[i].settings; });
  }

  template <typename Ref>
  void NeutralizeSettings(const Ref& ref) {
    const TransportSettings defaults;
    if (stop_ || ref(current_) == defaults) return;
    if (OfferEdit([&](Scenario& s) { ref(s) = defaults; })) return;
    for (auto field : kSettingDurations) NeutralizeField(ref, field, defaults);
    for (auto field : kSettingCounts) NeutralizeField(ref, field, defaults);
  }

  // --- 7: numbers ----------------------------------------------------------------

  void ReduceNumbers() {
    for (size_t i = 0; i < current_.timeline.size() && !stop_; ++i) ReduceEventNumbers(i);
    for (const ConditionsRef& ref : ConditionsIn(current_)) {
      const LinkConditions neutral;
      for (auto field : kConditionDurations) {
        MinimizeMillis([&](Scenario& s) -> Duration& { return ref(s).*field; }, neutral.*field);
      }
      for (auto field : kConditionCounts) {
        MinimizeCount([&](Scenario& s) -> uint64_t& { return ref(s).*field; }, neutral.*field);
      }
      for (auto field : kConditionProbabilities) {
        MinimizeProbability([&](Scenario& s) -> double& { return ref(s).*field; });
      }
    }
    // Close each gap between events (and before the first), moving every
    // later event back with it, so the spacing the failure needs is kept.
    for (size_t i = 0; i < current_.timeline.size() && !stop_; ++i) {
      MinimizeToward(Gap(current_, i), 0, [i](Scenario& s, uint64_t gap) {
        const Duration shift = FromMillis(Gap(s, i) - gap);
        for (size_t j = i; j < s.timeline.size(); ++j) s.timeline[j].at -= shift;
      });
    }
    MinimizeMillis([](Scenario& s) -> Duration& { return s.duration; },
                   std::chrono::milliseconds(1));
  }

  // Milliseconds between event i and the one before it (or the start).
  static uint64_t Gap(const Scenario& s, size_t i) {
    const Duration previous = i == 0 ? Duration::zero() : s.timeline[i - 1].at;
    return ToMillis(s.timeline[i].at - previous);
  }

  // A reference to `field` of the action of event i, in any scenario of
  // the current one's shape.
  template <typename ActionType, typename Field>
  static auto EventField(size_t i, Field ActionType::*field) {
    return [i, field](Scenario& s) -> Field& {
      return std::get<ActionType>(s.timeline[i].action).*field;
    };
  }

  void ReduceEventNumbers(size_t i) {
    switch (current_.timeline[i].kind()) {
      case Action::kSend:
        MinimizeCount(EventField(i, &SendAction::bytes), 1);
        break;
      case Action::kPing:
        MinimizeCount(EventField(i, &PingAction::count), 1);
        MinimizeMillis(EventField(i, &PingAction::interval), Duration::zero());
        break;
      case Action::kPerf:
        MinimizeCount(EventField(i, &PerfAction::upload_bytes), 0);
        MinimizeCount(EventField(i, &PerfAction::download_bytes), 0);
        break;
      case Action::kBlackhole:
        MinimizeMillis(EventField(i, &BlackholeAction::duration), std::chrono::milliseconds(1));
        break;
      case Action::kDelayCidRegistration:
        MinimizeMillis(EventField(i, &DelayCidRegistrationAction::delay), Duration::zero());
        break;
      case Action::kClose:
        MinimizeCount(EventField(i, &CloseAction::error_code), 0);
        break;
      case Action::kResetStream:
        MinimizeCount(EventField(i, &ResetStreamAction::error_code), 0);
        break;
      default:
        break;
    }
  }

  Scenario current_;
  const StillFails& still_fails_;
  const ShrinkLimits& limits_;
  const std::chrono::steady_clock::time_point start_;
  std::optional<ShrinkStop> stop_;
  size_t attempts_ = 0;
  size_t accepted_ = 0;
  size_t invalid_ = 0;
  // Canonical text of every candidate offered: a deterministic predicate
  // answers the same again, so none is run twice.
  std::set<std::string> offered_;
};

}  // namespace

const char* ToString(ShrinkStop stop) {
  switch (stop) {
    case ShrinkStop::kFixpoint:
      return "fixpoint";
    case ShrinkStop::kAttemptLimit:
      return "attempt-limit";
    case ShrinkStop::kTimeLimit:
      return "time-limit";
  }
  return "unknown";
}

ScenarioSize MeasureScenario(const Scenario& scenario) {
  ScenarioSize size{.events = scenario.timeline.size(),
                    .hosts = scenario.hosts.size(),
                    .expectations = scenario.expect.size(),
                    .virtual_time = scenario.duration,
                    .json_bytes = ToJson(scenario).size()};
  for (const Event& event : scenario.timeline) {
    if (event.kind() == Action::kDial) ++size.connections;
    if (StreamOpenedBy(event.action)) ++size.streams;
    if (const auto* send = std::get_if<SendAction>(&event.action)) size.bytes += send->bytes;
    if (const auto* perf = std::get_if<PerfAction>(&event.action)) {
      size.bytes += perf->upload_bytes + perf->download_bytes;
    }
  }
  return size;
}

ShrinkResult ShrinkScenario(const Scenario& failing, const StillFails& still_fails,
                            const ShrinkLimits& limits) {
  return ShrinkSession(failing, still_fails, limits).Run();
}

}  // namespace p2pquic::scenarios
