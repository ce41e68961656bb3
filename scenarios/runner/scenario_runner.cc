#include "scenarios/runner/scenario_runner.h"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "metrics/endpoint_metrics_exporter.h"
#include "metrics/registry_metrics_exporter.h"
#include "node/node_host.h"
#include "scenarios/runner/frame_expectation_checker.h"
#include "scenarios/runner/frame_log.h"
#include "scenarios/runner/host_endpoint_config.h"
#include "scenarios/runner/host_tracer.h"
#include "scenarios/runner/host_workload.h"
#include "scenarios/runner/oracles/oracles.h"
#include "scenarios/runner/sim_link_conditions.h"
#include "scenarios/runner/trace_writer.h"
#include "sim/delaying_cid_registrar.h"
#include "sim/deterministic_process.h"
#include "sim/event_queue.h"
#include "sim/sim_clock.h"
#include "sim/sim_network.h"
#include "transport/host/identify_client.h"
#include "transport/host/perf_client_handler.h"
#include "transport/host/ping_client.h"
#include "transport/identity/private_key.h"
#include "transport/identity/public_key.h"
#include "transport/multiaddr/multiaddr.h"
#include "transport/protocols/identify_message.h"
#include "transport/protocols/perf_protocol.h"
#include "transport/protocols/ping_payload.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::scenarios {
namespace {

// Hosts' seeds are the run's seed mixed with their index, so adding a host
// does not change the others' randomness.
constexpr uint64_t kHostSeedStride = 0x9e3779b97f4a7c15ULL;
// NAT outside addresses come from the shared address space (RFC 6598),
// which no scenario host may use.
constexpr uint8_t kNatOutsideNet[] = {100, 64, 0};
// Outside ports tried for a migrating NAT host's new mapping.
constexpr uint32_t kMaxNatPortProbes = 256;
// Oracles audit every registry this often (and at every removal).
constexpr Duration kAuditInterval = std::chrono::milliseconds(100);
// A delivered expectation reports its window's rate in Mbit/s.
constexpr double kBitsPerByte = 8;
constexpr double kBitsPerMegabit = 1e6;

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

bool WantsFrames(const Scenario& scenario, const RunOptions& options) {
  if (options.frames == FrameRecording::kAlways || options.trace != nullptr) return true;
  for (const Expectation& e : scenario.expect) {
    if (e.kind() == ExpectationKind::kFrames || e.kind() == ExpectationKind::kFrameOrder) {
      return true;
    }
  }
  return false;
}

std::string At(Duration at) {
  std::ostringstream out;
  out.precision(3);
  out << std::fixed << "t=" << Seconds(at) << "s";
  return out.str();
}

// The trace's view of the wire: one line per datagram fate.
class WireTrace final : public sim::NetworkObserver {
 public:
  WireTrace(TraceWriter& writer, const sim::SimNetwork& network)
      : writer_(writer), network_(network) {}
  void OnDatagram(const sim::DatagramEvent& e) override {
    writer_.Write(network_.HostName(e.from_host), "net",
                  {{"n", e.datagram},
                   {"copy", e.copy},
                   {"from", e.delivered_from.ToString()},
                   {"to", e.delivered_to.ToString()},
                   {"size", e.size},
                   {"fate", sim::ToString(e.fate)}});
  }

 private:
  TraceWriter& writer_;
  const sim::SimNetwork& network_;
};

class Run {
 public:
  Run(const Scenario& scenario, const RunOptions& options, uint64_t seed)
      : scenario_(scenario),
        options_(options),
        seed_(seed),
        queue_(kRunStart),
        clock_(queue_),
        network_random_(seed),
        network_(queue_, network_random_),
        writer_(clock_, kRunStart, options.trace),
        wire_trace_(writer_, network_),
        frames_wanted_(WantsFrames(scenario, options)) {}

  // Hosts go first: destroying one ends its streams, whose handlers report
  // into the run's stream records.
  ~Run() { hosts_.clear(); }

  bool Setup(std::string* error);
  void Execute(RunReport* report);
  const Clock& clock() const { return clock_; }

 private:
  struct HostRuntime {
    const Host* spec = nullptr;
    sim::HostId id;
    SocketAddress address;  // Where its socket is now.
    std::unique_ptr<SeededRandom> random;
    std::unique_ptr<sim::SimSocket> socket;
    // Kept across restarts (the same libp2p peer, and so the same
    // stateless-reset secret, which the node derives from it).
    std::vector<uint8_t> identity;  // Encoded (PrivateKey::Encode).
    PeerId peer_id;
    HostOptions options;
    // Enters the endpoint's CIDs (late, after delay_cid_registration); kept
    // across restarts, as the delay was.
    std::unique_ptr<sim::DelayingCidRegistrar> registrar;
    // The current life: rebuilt by a restart. The host is destroyed before
    // its tracer (its endpoint reports to it) and after its workload
    // detached.
    std::unique_ptr<HostTracer> tracer;
    std::unique_ptr<Libp2pHost> host;
    std::unique_ptr<HostWorkload> workload;
    // Earlier lives: their workloads keep the records of what they sent
    // and received; their endpoints' counts add to the host's totals.
    uint32_t restarts = 0;
    std::vector<std::unique_ptr<HostWorkload>> past_workloads;
    EndpointStats past_stats;
    std::array<uint64_t, kRouteOutcomeCount> past_lookups{};

    ~HostRuntime() { EndLife("the run ended"); }
    // Ends the current life: the workload detaches, the host and its
    // tracer go; the workload joins the past ones.
    void EndLife(const std::string& reason);
    Endpoint& endpoint() const { return host->endpoint(); }
    // Totals over the host's whole run, across restarts.
    EndpointStats Stats() const;
    uint64_t Lookups(RouteOutcome outcome) const;
  };
  struct ConnectionRuntime {
    HostRuntime* dialer = nullptr;
    HostWorkload* app = nullptr;  // The dialer's workload in the life that dialed it.
    HostRuntime* listener = nullptr;
    ConnectionHandle handle;
    // What identifies the listener's end: the DCID of the dialer's first
    // Initial, and the dialer's address as the listener sees it (its NAT's
    // outside address), both taken at the dial.
    ConnectionId original_dcid;
    SocketAddress dialer_seen_at;
    bool closed_by_timeline = false;
    ConnectionSide closed_by = ConnectionSide::kDialer;  // Which end the timeline closed.
    Timestamp closed_at;                                 // When the timeline's close was applied.
    // Stream actions of each end that wait for that end's handshake, in
    // timeline order (indexed by ConnectionSide).
    std::array<std::vector<const Event*>, kConnectionSideCount> waiting;
  };
  struct StreamRuntime {
    Action kind = Action::kOpenStream;  // The action that opened it.
    ConnectionRuntime* connection = nullptr;
    ConnectionSide side = ConnectionSide::kDialer;  // The end that opened it.
    HostWorkload* opener = nullptr;                 // That end's workload once opened.
    uint64_t tag = 0;  // Transfer streams: 1, 2, ... in timeline order.
    bool opened = false;
    uint64_t requested = 0;
    // What the protocol client reported (ping, identify, perf streams).
    std::optional<PingReport> ping;
    std::optional<IdentifyReport> identify;
    std::optional<PerfReport> perf;
  };
  // One end of a connection, as an action sees it now.
  struct End {
    HostRuntime* host = nullptr;
    HostWorkload* workload = nullptr;
    const ConnectionRecord* record = nullptr;  // Null: that end does not exist (yet).
  };

  bool SetupHost(size_t index, const Host& spec, std::string* error);
  // A new life for `host`: a Libp2pHost built as the node builds it, its
  // workload and tracer.
  bool StartHost(HostRuntime& host, std::string* error);
  void Restart(HostRuntime& host);
  void ScheduleTimeline();
  void Apply(const Event& event);
  void ApplyDial(const Event& event, const DialAction& action);
  void ApplyClose(const Event& event, const CloseAction& action);
  // Stream actions (open_stream, send, reset_stream, ping, identify, perf)
  // run once their end of the connection is established, in order.
  void ApplyStream(const Event& event);
  void RunStreamAction(const Event& event, StreamRuntime& stream, const End& end);
  // The connection and end a stream action acts on; creates the stream's
  // runtime on the action that opens it.
  StreamRuntime& StreamOf(const Event& event);
  End EndOf(const ConnectionRuntime& connection, ConnectionSide side);
  void OnEstablished(HostRuntime& host, HostWorkload& workload, ConnectionHandle handle);
  void Fail(const Event& event, const char* what, const std::string& reason);
  void Audit();
  struct StreamEnds {
    const StreamRecord* sent = nullptr;
    const StreamRecord* received = nullptr;
    std::string receiver;  // The host that received it.
    bool Match() const;    // Both there, same bytes, same hash.
  };
  StreamEnds EndsOf(const StreamRuntime& stream) const;
  // Payload bytes of the stream its receiver has so far (0 before any).
  uint64_t ReceivedBytes(const std::string& stream_name) const;
  // A delivered expectation's samples: the receiver's byte count at the
  // start and at the end of its window (nullopt until taken).
  struct DeliveredWindow {
    std::optional<uint64_t> at_from;
    std::optional<uint64_t> at_by;
  };
  void CheckStreams();
  void Evaluate(RunReport* report);
  ExpectationResult Check(const Expectation& expectation);
  // The dialer's side of the named connection, if it was dialed.
  std::optional<DialedConnection> Dialed(const std::optional<std::string>& name) const;
  ExpectationResult CheckDelivered(const DeliveredExpectation& expectation);
  ExpectationResult CheckConnection(const ConnectionExpectation& expectation);
  ExpectationResult CheckStreamIntact(const std::string& stream_name);
  ExpectationResult CheckStream(const StreamExpectation& expectation);
  ExpectationResult CheckPing(const PingExpectation& expectation);
  ExpectationResult CheckIdentify(const IdentifyExpectation& expectation);
  ExpectationResult CheckPerf(const PerfExpectation& expectation);
  // The host at the other end of `stream`'s connection from its opener.
  const HostRuntime& PeerOf(const StreamRuntime& stream) const;
  std::string Metrics();
  HostRuntime& HostNamed(const std::string& name) { return *hosts_.at(name); }

  const Scenario& scenario_;
  const RunOptions& options_;
  uint64_t seed_;
  sim::EventQueue queue_;
  sim::SimClock clock_;
  Timestamp start_ = queue_.Now();
  SeededRandom network_random_;
  sim::SimNetwork network_;
  Oracles oracles_;
  TraceWriter writer_;
  WireTrace wire_trace_;
  bool frames_wanted_;
  FrameLog frames_;
  std::map<std::string, std::unique_ptr<HostRuntime>> hosts_;
  std::map<std::string, ConnectionRuntime> connections_;
  std::map<std::string, StreamRuntime> streams_;
  std::vector<std::string> failed_actions_;
  std::map<const DeliveredExpectation*, DeliveredWindow> delivered_;
  uint8_t next_nat_host_ = 1;
  uint64_t transfer_streams_ = 0;  // Streams opened so far (a transfer's tag).
};

bool Run::Setup(std::string* error) {
  if (network_.SetDefaultConditions(ToSim(scenario_.links.default_conditions)) !=
      sim::NetworkResult::kOk) {
    *error = "links.default: the simulator refused these conditions";
    return false;
  }
  for (size_t i = 0; i < scenario_.hosts.size(); ++i) {
    if (!SetupHost(i, scenario_.hosts[i], error)) return false;
  }
  for (const LinkOverride& link : scenario_.links.overrides) {
    if (network_.SetConditions(HostNamed(link.from).id, HostNamed(link.to).id,
                               ToSim(link.conditions)) != sim::NetworkResult::kOk) {
      *error = "links.overrides " + link.from + " -> " + link.to +
               ": the simulator refused these conditions";
      return false;
    }
  }
  for (const Bottleneck& bottleneck : scenario_.links.bottlenecks) {
    std::vector<sim::HostPair> directions;
    for (const LinkDirection& d : bottleneck.directions) {
      directions.emplace_back(HostNamed(d.from).id, HostNamed(d.to).id);
    }
    const sim::NetworkResult result =
        network_.AddBottleneck(directions, ToSimBandwidth(bottleneck.bandwidth_kbps),
                               static_cast<size_t>(bottleneck.queue_bytes));
    if (result != sim::NetworkResult::kOk) {
      *error = "links.bottlenecks " + bottleneck.name + ": " + sim::ToString(result);
      return false;
    }
  }
  if (writer_.enabled()) network_.AddObserver(&wire_trace_);
  if (options_.wire != nullptr) network_.AddObserver(options_.wire);
  ScheduleTimeline();
  return true;
}

bool Run::SetupHost(size_t index, const Host& spec, std::string* error) {
  auto host = std::make_unique<HostRuntime>();
  host->spec = &spec;
  host->address = spec.address;
  // An explicit random_seed is used as is, not mixed with the run's seed:
  // hosts that share one must draw the same CIDs whatever the run's seed.
  host->random = std::make_unique<SeededRandom>(
      spec.random_seed.value_or(seed_ ^ (kHostSeedStride * (index + 1))));
  host->id = network_.AddHost(spec.name);
  sim::NetworkResult result = network_.AddAddress(host->id, spec.address);
  if (result == sim::NetworkResult::kOk && spec.nat) {
    const SocketAddress outside = SocketAddress::Ipv4(
        {kNatOutsideNet[0], kNatOutsideNet[1], kNatOutsideNet[2], next_nat_host_++},
        spec.address.port());
    result = network_.AddNat(host->id, spec.address, outside);
  }
  if (result == sim::NetworkResult::kOk) host->socket = network_.Bind(spec.address, &result);
  if (host->socket == nullptr) {
    *error = "host " + spec.name + " at " + spec.address.ToString() + ": " + sim::ToString(result);
    return false;
  }
  host->socket->SetSendBufferBytes(static_cast<size_t>(spec.socket_send_buffer_bytes));
  PrivateKey identity;
  if (PrivateKey::Generate(KeyType::kEd25519, *host->random, &identity) != KeyStatus::kOk) {
    *error = "host " + spec.name + ": could not make its identity";
    return false;
  }
  identity.Encode(&host->identity);
  host->peer_id = PeerId::FromPublicKey(identity.public_key());
  host->options.endpoint = HostEndpointConfig(scenario_.SettingsOf(spec), spec.listen);
  host->registrar = std::make_unique<sim::DelayingCidRegistrar>(clock_);
  host->options.endpoint.cid_registrar = host->registrar.get();
  if (!StartHost(*host, error)) return false;
  oracles_.AddHost(spec.name, host->endpoint().registry(),
                   host->options.endpoint.quic.local_cid_length);
  hosts_[spec.name] = std::move(host);
  return true;
}

bool Run::StartHost(HostRuntime& host, std::string* error) {
  const std::string& name = host.spec->name;
  PrivateKey identity;
  if (PrivateKey::Decode(host.identity, &identity) != KeyStatus::kOk) {
    *error = "host " + name + ": could not decode its identity";
    return false;
  }
  // As p2pquic-node builds its host: the stateless-reset secret derived
  // from the identity (the same across restarts), the default services.
  if (node::BuildNodeHost(host.options, std::move(identity), *host.socket, clock_, *host.random,
                          &host.host, error) != node::NodeHostStatus::kOk) {
    *error = "host " + name + ": " + *error;
    return false;
  }
  host.workload = std::make_unique<HostWorkload>(*host.host, clock_);
  HostRuntime* raw = &host;
  HostWorkload* workload = host.workload.get();
  host.workload->on_established = [this, raw, workload](ConnectionHandle handle) {
    OnEstablished(*raw, *workload, handle);
  };
  host.tracer = std::make_unique<HostTracer>(
      name, host.options.endpoint.quic.local_cid_length, clock_, oracles_, writer_,
      HostTraceOptions{options_.qlog_dir, options_.keylog, host.restarts,
                       frames_wanted_ ? &frames_ : nullptr});
  host.endpoint().SetTracer(host.tracer.get());
  host.host->Start();
  return true;
}

void Run::HostRuntime::EndLife(const std::string& reason) {
  if (host == nullptr) return;
  workload->Detach(reason);
  host.reset();
  tracer.reset();
  past_workloads.push_back(std::move(workload));
}

// The process dies (every connection, CID and key with it) and comes back
// on the same socket with the same identity, configuration and so the same
// reset secret.
void Run::Restart(HostRuntime& host) {
  host.past_stats.Accumulate(host.endpoint().stats());
  for (size_t i = 0; i < host.past_lookups.size(); ++i) {
    host.past_lookups[i] +=
        host.endpoint().registry().stats().lookups(static_cast<RouteOutcome>(i));
  }
  host.EndLife("host restarted");
  ++host.restarts;
  std::string error;
  if (!StartHost(host, &error)) {
    failed_actions_.push_back(At(queue_.Now() - start_) + " restart: " + error);
    return;
  }
  oracles_.OnHostRestarted(host.spec->name, host.endpoint().registry());
}

EndpointStats Run::HostRuntime::Stats() const {
  EndpointStats total = past_stats;
  if (host != nullptr) total.Accumulate(endpoint().stats());
  return total;
}

uint64_t Run::HostRuntime::Lookups(RouteOutcome outcome) const {
  const uint64_t now = host == nullptr ? 0 : endpoint().registry().stats().lookups(outcome);
  return past_lookups[static_cast<size_t>(outcome)] + now;
}

void Run::ScheduleTimeline() {
  for (const Event& event : scenario_.timeline) {
    queue_.Schedule(start_ + event.at, [this, &event] { Apply(event); });
  }
  queue_.Schedule(start_ + kAuditInterval, [this] { Audit(); });
  // Delivered expectations read the receiver's count at both ends of their
  // window. Scheduled now, a sample runs after the timeline's events of its
  // instant and before any datagram arriving then (the run schedules those
  // later): it sees what arrived strictly before, so the window is [from, by).
  for (const Expectation& expectation : scenario_.expect) {
    const auto* delivered = std::get_if<DeliveredExpectation>(&expectation.check);
    if (delivered == nullptr) continue;
    DeliveredWindow& window = delivered_[delivered];
    queue_.Schedule(start_ + delivered->from, [this, delivered, &window] {
      window.at_from = ReceivedBytes(delivered->stream);
    });
    queue_.Schedule(start_ + delivered->by, [this, delivered, &window] {
      window.at_by = ReceivedBytes(delivered->stream);
    });
  }
}

uint64_t Run::ReceivedBytes(const std::string& stream_name) const {
  auto it = streams_.find(stream_name);
  if (it == streams_.end() || it->second.connection == nullptr) return 0;  // Not opened yet.
  const StreamEnds ends = EndsOf(it->second);
  return ends.received == nullptr ? 0 : ends.received->payload_bytes;
}

void Run::Audit() {
  oracles_.CheckRegistries(queue_.Now());
  if (queue_.Now() + kAuditInterval <= start_ + scenario_.duration) {
    queue_.Schedule(queue_.Now() + kAuditInterval, [this] { Audit(); });
  }
}

void Run::Fail(const Event& event, const char* what, const std::string& reason) {
  failed_actions_.push_back(At(event.at) + " " + what + ": " + reason);
  writer_.Write("", "action_failed", {{"action", what}, {"reason", reason}});
}

void Run::Apply(const Event& event) {
  writer_.Write("", "timeline", {{"action", ToString(event.kind())}});
  std::visit(
      [&](const auto& action) {
        using T = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<T, DialAction>) {
          ApplyDial(event, action);
        } else if constexpr (std::is_same_v<T, OpenStreamAction> || std::is_same_v<T, SendAction> ||
                             std::is_same_v<T, ResetStreamAction> ||
                             std::is_same_v<T, PingAction> || std::is_same_v<T, IdentifyAction> ||
                             std::is_same_v<T, PerfAction>) {
          ApplyStream(event);
        } else if constexpr (std::is_same_v<T, RebindAction>) {
          const sim::NatRebind what = action.mode == RebindMode::kPort ? sim::NatRebind::kPort
                                      : action.mode == RebindMode::kAddress
                                          ? sim::NatRebind::kAddress
                                          : sim::NatRebind::kBoth;
          // The mapping of where the host is now: a host that migrated
          // took its NAT along (see MigrateAction).
          const sim::NetworkResult result =
              network_.RebindNat(HostNamed(action.host).address, what);
          if (result != sim::NetworkResult::kOk) Fail(event, "rebind", sim::ToString(result));
        } else if constexpr (std::is_same_v<T, MigrateAction>) {
          HostRuntime& host = HostNamed(action.host);
          if (network_.HostOf(action.address) != host.id) {
            const sim::NetworkResult added = network_.AddAddress(host.id, action.address);
            if (added != sim::NetworkResult::kOk) {
              Fail(event, "migrate", sim::ToString(added));
              return;
            }
          }
          // A host behind a NAT stays behind it: its new inside address
          // gets a mapping on the same outside IP, as a NAT gives a new
          // inside port a new mapping.
          if (host.spec->nat && network_.nat().FindByInside(action.address) == nullptr) {
            const sim::NatMapping* current = network_.nat().FindByInside(host.address);
            // The new inside port's number outside too, else the next free
            // one (a rebind may have handed that port to another mapping).
            sim::NetworkResult mapped = sim::NetworkResult::kAddressInUse;
            for (uint32_t probe = 0;
                 probe < kMaxNatPortProbes && mapped == sim::NetworkResult::kAddressInUse;
                 ++probe) {
              const uint16_t port =
                  static_cast<uint16_t>((action.address.port() + probe - 1) % 65535 + 1);
              const SocketAddress outside =
                  current != nullptr ? current->outside.WithPort(port) : action.address;
              mapped = network_.AddNat(host.id, action.address, outside);
            }
            if (mapped != sim::NetworkResult::kOk) {
              Fail(event, "migrate", std::string("NAT mapping: ") + sim::ToString(mapped));
              return;
            }
          }
          const MigrateResult result = host.host->Migrate(action.address);
          if (result == MigrateResult::kDeferred) {
            host.address = action.address;  // Where it goes once it can.
            writer_.Write(action.host, "migrate_deferred", {{"to", action.address.ToString()}});
          } else if (result != MigrateResult::kOk) {
            Fail(event, "migrate", ToString(result));
          } else {
            host.address = host.host->LocalAddress();
          }
        } else if constexpr (std::is_same_v<T, PartitionAction>) {
          std::vector<sim::HostId> inside, outside;
          for (const auto& [name, host] : hosts_) {
            const bool listed =
                std::find(action.hosts.begin(), action.hosts.end(), name) != action.hosts.end();
            (listed ? inside : outside).push_back(host->id);
          }
          sim::NetworkResult result;
          if (!network_.Partition(inside, outside, &result).valid()) {
            Fail(event, "partition", sim::ToString(result));
          }
        } else if constexpr (std::is_same_v<T, HealAction>) {
          network_.Heal();
        } else if constexpr (std::is_same_v<T, BlackholeAction>) {
          const sim::HostId from = HostNamed(action.from).id, to = HostNamed(action.to).id;
          const sim::NetworkResult result = network_.Blackhole(from, to);
          if (result != sim::NetworkResult::kOk) {
            Fail(event, "blackhole", sim::ToString(result));
            return;
          }
          queue_.Schedule(queue_.Now() + action.duration,
                          [this, from, to] { network_.EndBlackhole(from, to); });
        } else if constexpr (std::is_same_v<T, SetLinkAction>) {
          const sim::NetworkResult result = network_.SetConditions(
              HostNamed(action.from).id, HostNamed(action.to).id, ToSim(action.conditions));
          if (result != sim::NetworkResult::kOk) Fail(event, "set_link", sim::ToString(result));
        } else if constexpr (std::is_same_v<T, DelayCidRegistrationAction>) {
          HostNamed(action.host).registrar->set_delay(action.delay);
        } else if constexpr (std::is_same_v<T, CloseAction>) {
          ApplyClose(event, action);
        } else {
          static_assert(std::is_same_v<T, RestartAction>);
          Restart(HostNamed(action.host));
        }
      },
      event.action);
}

void Run::ApplyDial(const Event& event, const DialAction& action) {
  HostRuntime& from = HostNamed(action.from);
  ConnectionRuntime& connection = connections_[action.connection];
  connection.dialer = &from;
  connection.app = from.workload.get();
  connection.listener = &HostNamed(action.to);
  connection.dialer_seen_at = from.address;
  if (const sim::NatMapping* nat = network_.nat().FindByInside(from.address)) {
    connection.dialer_seen_at = nat->outside;
  }
  // The listener's /p2p/ ID in the address: the dialer authenticates it.
  std::string refused;
  connection.handle = from.host->Connect(
      Multiaddr::QuicV1(connection.listener->address, connection.listener->peer_id),
      [&refused](ConnectionHandle handle, const PeerId*, const std::string& why) {
        if (!handle.valid()) refused = why;
      });
  if (!connection.handle.valid()) {
    Fail(event, "dial", refused);
  } else {
    connection.original_dcid = connection.app->OriginalDcidOf(connection.handle);
  }
}

void Run::ApplyClose(const Event& event, const CloseAction& action) {
  ConnectionRuntime& connection = connections_.at(action.connection);
  const End end = EndOf(connection, action.side);
  if (end.record == nullptr || end.record->closed) {
    Fail(event, "close", "the connection is already gone");
    return;
  }
  connection.closed_by_timeline = true;
  connection.closed_by = action.side;
  connection.closed_at = queue_.Now();
  end.host->host->Disconnect(end.record->handle, action.error_code);
}

// The dialer's end lives in the workload of the life that dialed (gone if
// the dialer restarted since); the listener's in its current life, found by
// the connection's first DCID and the dialer's address.
Run::End Run::EndOf(const ConnectionRuntime& connection, ConnectionSide side) {
  End end;
  switch (side) {
    case ConnectionSide::kDialer:
      end.host = connection.dialer;
      end.workload = connection.dialer->workload.get();
      if (end.workload == connection.app && connection.handle.valid()) {
        end.record = end.workload->Connection(connection.handle);
      }
      break;
    case ConnectionSide::kListener:
      end.host = connection.listener;
      end.workload = connection.listener->workload.get();
      if (end.workload != nullptr && !connection.original_dcid.empty()) {
        end.record = end.workload->FindInbound(connection.original_dcid, connection.dialer_seen_at);
      }
      break;
  }
  return end;
}

Run::StreamRuntime& Run::StreamOf(const Event& event) {
  const auto open = [&](const std::string& connection, const std::string& name,
                        ConnectionSide side) -> StreamRuntime& {
    auto [it, fresh] = streams_.try_emplace(name);
    if (fresh) {
      it->second.kind = event.kind();
      it->second.connection = &connections_.at(connection);
      it->second.side = side;
      it->second.tag = ++transfer_streams_;
    }
    return it->second;
  };
  return std::visit(
      [&](const auto& action) -> StreamRuntime& {
        using T = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<T, OpenStreamAction> || std::is_same_v<T, PingAction> ||
                      std::is_same_v<T, IdentifyAction> || std::is_same_v<T, PerfAction>) {
          return open(action.connection, action.stream, action.side);
        } else if constexpr (std::is_same_v<T, SendAction> ||
                             std::is_same_v<T, ResetStreamAction>) {
          return streams_.at(action.stream);
        } else {
          // Only stream actions come here (Apply's dispatch).
          std::abort();
        }
      },
      event.action);
}

void Run::ApplyStream(const Event& event) {
  StreamRuntime& stream = StreamOf(event);
  ConnectionRuntime& connection = *stream.connection;
  const End end = EndOf(connection, stream.side);
  // The listener's end may not exist yet (its Initial is still on the way):
  // it waits, like an end still handshaking, unless the dialer's is gone.
  const bool listener_pending = end.record == nullptr && stream.side == ConnectionSide::kListener &&
                                EndOf(connection, ConnectionSide::kDialer).record != nullptr &&
                                !EndOf(connection, ConnectionSide::kDialer).record->closed;
  if ((end.record == nullptr && !listener_pending) ||
      (end.record != nullptr && end.record->closed)) {
    Fail(event, ToString(event.kind()), "the connection is gone");
    return;
  }
  auto& waiting = connection.waiting[static_cast<size_t>(stream.side)];
  if (end.record == nullptr || !end.record->established || !waiting.empty()) {
    waiting.push_back(&event);
    return;
  }
  RunStreamAction(event, stream, end);
}

void Run::RunStreamAction(const Event& event, StreamRuntime& stream, const End& end) {
  Libp2pHost& host = *end.host->host;
  const ConnectionHandle handle = end.record->handle;
  const std::string& host_name = end.host->spec->name;
  // Opens a stream of `protocol` run by `handler`; says whether it opened.
  const auto open = [&](std::string_view protocol, std::unique_ptr<StreamHandler> handler,
                        const std::string& name) {
    const OpenStreamResult result =
        host.OpenStream(handle, {std::string(protocol)}, std::move(handler));
    stream.opened = result == OpenStreamResult::kOk;
    stream.opener = end.workload;
    if (!stream.opened) Fail(event, ToString(event.kind()), ToString(result));
    writer_.Write(
        host_name, "stream",
        {{"stream", name}, {"protocol", std::string(protocol)}, {"opened", stream.opened}});
  };
  std::visit(
      [&](const auto& action) {
        using T = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<T, OpenStreamAction>) {
          stream.opener = end.workload;
          const SendStatus status = end.workload->OpenTransfer(handle, stream.tag);
          stream.opened = status == SendStatus::kQueued;
          if (!stream.opened) Fail(event, "open_stream", ToString(status));
          writer_.Write(
              host_name, "stream",
              {{"stream", action.stream}, {"tag", stream.tag}, {"opened", stream.opened}});
        } else if constexpr (std::is_same_v<T, SendAction>) {
          stream.requested += action.bytes;
          const SendStatus status = stream.opened
                                        ? end.workload->Send(stream.tag, action.bytes, action.fin)
                                        : SendStatus::kStreamError;
          if (status != SendStatus::kQueued) Fail(event, "send", ToString(status));
          writer_.Write(
              host_name, "stream",
              {{"stream", action.stream}, {"queued", stream.requested}, {"fin", action.fin}});
        } else if constexpr (std::is_same_v<T, ResetStreamAction>) {
          const SendStatus status = stream.opened
                                        ? end.workload->Reset(stream.tag, action.error_code)
                                        : SendStatus::kStreamError;
          if (status != SendStatus::kQueued) {
            Fail(event, "reset_stream", "the stream is already gone (it completed or failed)");
          }
          writer_.Write(host_name, "stream",
                        {{"stream", action.stream}, {"reset", action.error_code}});
        } else if constexpr (std::is_same_v<T, PingAction>) {
          open(protocols::kPingProtocolId,
               std::make_unique<PingClient>(
                   host.clock(), host.random(), static_cast<int>(action.count), action.interval,
                   nullptr, [&stream](const PingReport& report) { stream.ping = report; }),
               action.stream);
        } else if constexpr (std::is_same_v<T, IdentifyAction>) {
          open(protocols::kIdentifyProtocolId,
               std::make_unique<IdentifyClient>(
                   [&stream](const IdentifyReport& report) { stream.identify = report; }),
               action.stream);
        } else if constexpr (std::is_same_v<T, PerfAction>) {
          open(protocols::kPerfProtocolId,
               std::make_unique<PerfClientHandler>(
                   host.clock(), action.upload_bytes, action.download_bytes,
                   [&stream](const PerfReport& report) { stream.perf = report; }),
               action.stream);
        } else {
          std::abort();  // Only stream actions come here (ApplyStream).
        }
      },
      event.action);
}

void Run::OnEstablished(HostRuntime& host, HostWorkload& workload, ConnectionHandle handle) {
  const ConnectionRecord* record = workload.Connection(handle);
  for (auto& [name, connection] : connections_) {
    // Handles start over in each life of a host: the workload tells them
    // apart. The listener's end is this one if it is the end EndOf finds.
    ConnectionSide side;
    if (connection.dialer == &host && connection.app == &workload && connection.handle == handle) {
      side = ConnectionSide::kDialer;
    } else if (connection.listener == &host && record != nullptr && record->inbound &&
               EndOf(connection, ConnectionSide::kListener).record == record) {
      side = ConnectionSide::kListener;
    } else {
      continue;
    }
    std::vector<const Event*> waiting;
    waiting.swap(connection.waiting[static_cast<size_t>(side)]);
    for (const Event* event : waiting) ApplyStream(*event);
  }
}

void Run::Execute(RunReport* report) {
  const auto wall_start = std::chrono::steady_clock::now();
  const bool settled = queue_.RunUntil(start_ + scenario_.duration, options_.max_events);
  report->wall_time = std::chrono::steady_clock::now() - wall_start;
  if (!settled) {
    failed_actions_.push_back(At(queue_.Now() - start_) + " run: stopped after " +
                              std::to_string(options_.max_events) + " events (never settled)");
  }
  oracles_.CheckRegistries(queue_.Now());
  for (const auto& [name, host] : hosts_) {
    if (host->host == nullptr) continue;
    if (const auto target = host->endpoint().pending_migration()) {
      failed_actions_.push_back(
          At(queue_.Now() - start_) + " migrate: " + name + " never moved to " +
          target->ToString() +
          " (the move was still deferred: handshake not confirmed or no spare connection ID)");
    }
  }
  CheckStreams();
  Evaluate(report);
  report->failed_actions = failed_actions_;
  report->violations = oracles_.violations();
  for (OracleViolation& v : report->violations) v.at = Timestamp(v.at - start_);  // Run time.
  report->violation_count = oracles_.violation_count();
  report->oracle_checks = oracles_.checks();
  report->digest = network_.digest();
  report->virtual_time = queue_.Now() - start_;
  report->events = queue_.executed();
  report->datagrams_sent = network_.stats().sent;
  report->datagrams_duplicated = network_.stats().duplicated;
  report->datagrams_delivered = network_.stats().delivered();
  report->trace_lines = writer_.lines();
  if (options_.metrics) report->metrics_text = Metrics();
  bool met = true;
  for (const ExpectationResult& e : report->expectations) met = met && e.met;
  report->passed = met && report->violation_count == 0 && report->failed_actions.empty();
}

// A stream's two records: what its opener sent and what arrived (one host
// receives each tag); either may be missing.
Run::StreamEnds Run::EndsOf(const StreamRuntime& stream) const {
  StreamEnds ends;
  if (stream.opener != nullptr) {
    const auto& sent = stream.opener->sent();
    if (auto it = sent.find(stream.tag); it != sent.end()) ends.sent = &it->second;
  }
  auto look_in = [&](const std::string& name, const HostWorkload& workload) {
    if (auto it = workload.received().find(stream.tag); it != workload.received().end()) {
      ends.received = &it->second;
      ends.receiver = name;
    }
  };
  for (const auto& [name, host] : hosts_) {
    for (const auto& past : host->past_workloads) look_in(name, *past);
    if (host->workload != nullptr) look_in(name, *host->workload);
  }
  return ends;
}

bool Run::StreamEnds::Match() const { return StreamDataOracle::Same(sent, received); }

// The stream-data oracle sees every transfer stream that arrived somewhere.
void Run::CheckStreams() {
  for (const auto& [name, stream] : streams_) {
    if (stream.kind != Action::kOpenStream) continue;
    const StreamEnds ends = EndsOf(stream);
    if (ends.received == nullptr) continue;
    oracles_.OnStreamEnded(name, ends.receiver, ends.sent, *ends.received, queue_.Now());
  }
}

void Run::Evaluate(RunReport* report) {
  for (const Expectation& expectation : scenario_.expect) {
    ExpectationResult result = Check(expectation);
    writer_.Write("", "expectation",
                  {{"what", result.what}, {"met", result.met}, {"detail", result.detail}});
    report->expectations.push_back(std::move(result));
  }
}

std::optional<DialedConnection> Run::Dialed(const std::optional<std::string>& name) const {
  if (!name) return std::nullopt;
  const auto it = connections_.find(*name);
  if (it == connections_.end() || it->second.dialer == nullptr) return std::nullopt;
  return DialedConnection{it->second.dialer->spec->name, it->second.handle};
}

// "<what> in [min, max]": met when `seen` is in the range.
ExpectationResult CountInRange(const std::string& what, uint64_t seen, uint64_t min,
                               const std::optional<uint64_t>& max) {
  ExpectationResult r{
      what + " in [" + std::to_string(min) + ", " + (max ? std::to_string(*max) : "inf") + "]",
      false, std::to_string(seen)};
  r.met = seen >= min && (!max || seen <= *max);
  return r;
}

ExpectationResult Run::Check(const Expectation& expectation) {
  return std::visit(
      [&](const auto& c) -> ExpectationResult {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, ConnectionExpectation>) {
          return CheckConnection(c);
        } else if constexpr (std::is_same_v<T, StreamIntactExpectation>) {
          return CheckStreamIntact(c.stream);
        } else if constexpr (std::is_same_v<T, StreamExpectation>) {
          return CheckStream(c);
        } else if constexpr (std::is_same_v<T, PingExpectation>) {
          return CheckPing(c);
        } else if constexpr (std::is_same_v<T, IdentifyExpectation>) {
          return CheckIdentify(c);
        } else if constexpr (std::is_same_v<T, PerfExpectation>) {
          return CheckPerf(c);
        } else if constexpr (std::is_same_v<T, RouteCountExpectation>) {
          return CountInRange("route " + std::string(ToString(c.outcome)) + " on " + c.host,
                              HostNamed(c.host).Lookups(c.outcome), c.min, c.max);
        } else if constexpr (std::is_same_v<T, PathValidatedExpectation>) {
          const uint64_t seen = HostNamed(c.host).Stats().path_validations_succeeded;
          ExpectationResult r{"path validated on " + c.host + " >= " + std::to_string(c.min), false,
                              ""};
          r.detail = std::to_string(seen);
          r.met = seen >= c.min;
          return r;
        } else if constexpr (std::is_same_v<T, RegistryEmptyExpectation>) {
          const ConnectionIdRegistry& registry = HostNamed(c.host).endpoint().registry();
          const RegistryStats& s = registry.stats();
          uint64_t cids = 0;
          for (uint64_t n : s.cids_by_state) cids += n;
          ExpectationResult r{"registry empty on " + c.host, false, ""};
          r.detail = std::to_string(registry.LiveConnectionCount()) + " connections, " +
                     std::to_string(cids) + " CIDs, " + std::to_string(s.initial_dcids) +
                     " initial DCIDs, " + std::to_string(s.address_bindings) + " tuples, " +
                     std::to_string(s.reset_tokens) + " tokens";
          r.met = registry.LiveConnectionCount() == 0 && cids == 0 && s.initial_dcids == 0 &&
                  s.address_bindings == 0 && s.reset_tokens == 0;
          return r;
        } else if constexpr (std::is_same_v<T, FramesExpectation> ||
                             std::is_same_v<T, FrameOrderExpectation>) {
          const std::optional<DialedConnection> dialed = Dialed(c.connection);
          return FrameExpectationChecker(frames_, start_).Check(c, dialed ? &*dialed : nullptr);
        } else if constexpr (std::is_same_v<T, DeliveredExpectation>) {
          return CheckDelivered(c);
        } else if constexpr (std::is_same_v<T, HandshakesExpectation>) {
          const EndpointStats stats = HostNamed(c.host).Stats();
          const uint64_t seen = c.count == HandshakeCount::kStarted ? stats.handshakes_started
                                : c.count == HandshakeCount::kCompleted
                                    ? stats.handshakes_completed
                                    : stats.connections_accepted;
          return CountInRange("handshakes " + std::string(ToString(c.count)) + " on " + c.host,
                              seen, c.min, c.max);
        } else {
          static_assert(std::is_same_v<T, StatelessResetsExpectation>);
          return CountInRange("stateless resets from " + c.host,
                              HostNamed(c.host).Stats().stateless_resets_sent, c.min, c.max);
        }
      },
      expectation.check);
}

ExpectationResult Run::CheckDelivered(const DeliveredExpectation& c) {
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

ExpectationResult Run::CheckStreamIntact(const std::string& stream_name) {
  ExpectationResult r{"stream " + stream_name + " intact", false, ""};
  auto it = streams_.find(stream_name);
  if (it == streams_.end() || !it->second.opened) {
    r.detail = "never opened";
    return r;
  }
  const StreamRuntime& stream = it->second;
  const StreamEnds ends = EndsOf(stream);
  const bool fin = ends.received != nullptr && ends.received->fin;
  r.detail = std::to_string(ends.received == nullptr ? 0 : ends.received->payload_bytes) + " of " +
             std::to_string(stream.requested) + " bytes arrived" + (fin ? " with FIN" : "");
  r.met = fin && ends.Match() && ends.sent->payload_bytes == stream.requested;
  if (fin && ends.sent != nullptr && ends.received->hash != ends.sent->hash) {
    r.detail += ", hash differs";
  }
  return r;
}

ExpectationResult Run::CheckStream(const StreamExpectation& c) {
  ExpectationResult intact = CheckStreamIntact(c.stream);
  ExpectationResult r{"stream " + c.stream + " " + ToString(c.outcome), false, intact.detail};
  const auto it = streams_.find(c.stream);
  bool reset = false;
  if (it != streams_.end() && it->second.opened) {
    const StreamEnds ends = EndsOf(it->second);
    reset = (ends.sent != nullptr && ends.sent->reset) ||
            (ends.received != nullptr && ends.received->reset);
  }
  if (reset) r.detail += ", reset";
  const StreamOutcome seen = intact.met ? StreamOutcome::kIntact
                             : reset    ? StreamOutcome::kReset
                                        : StreamOutcome::kUnfinished;
  r.detail = std::string(ToString(seen)) + ": " + r.detail;
  r.met = seen == c.outcome;
  return r;
}

ExpectationResult Run::CheckPing(const PingExpectation& c) {
  ExpectationResult r{"ping " + c.stream + " >= " + std::to_string(c.replies) + " replies", false,
                      ""};
  if (c.max_rtt) r.what += ", rtt <= " + At(*c.max_rtt).substr(2);
  const StreamRuntime& stream = streams_.at(c.stream);
  if (!stream.ping) {
    r.detail = stream.opened ? "still running at the end" : "never opened";
    return r;
  }
  const PingReport& report = *stream.ping;
  Duration slowest{};
  for (Duration rtt : report.rtts) slowest = std::max(slowest, rtt);
  r.detail = std::to_string(report.completed) + " replies, slowest " + At(slowest).substr(2) +
             (report.error.empty() ? "" : ", " + report.error);
  r.met =
      static_cast<uint64_t>(report.completed) >= c.replies && (!c.max_rtt || slowest <= *c.max_rtt);
  return r;
}

ExpectationResult Run::CheckIdentify(const IdentifyExpectation& c) {
  ExpectationResult r{"identify " + c.stream, false, ""};
  const StreamRuntime& stream = streams_.at(c.stream);
  if (!stream.identify) {
    r.detail = stream.opened ? "no answer by the end" : "never opened";
    return r;
  }
  const IdentifyReport& report = *stream.identify;
  if (!report.error.empty()) {
    r.detail = report.error;
    return r;
  }
  const protocols::IdentifyMessage& message = report.message;
  const HostRuntime& peer = PeerOf(stream);
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

ExpectationResult Run::CheckPerf(const PerfExpectation& c) {
  ExpectationResult r{"perf " + c.stream, false, ""};
  const StreamRuntime& stream = streams_.at(c.stream);
  if (!stream.perf) {
    r.detail = stream.opened ? "still running at the end" : "never opened";
    return r;
  }
  const PerfReport& report = *stream.perf;
  r.detail = std::to_string(report.uploaded) + " bytes up, " + std::to_string(report.downloaded) +
             " down" + (report.error.empty() ? "" : ", " + report.error);
  r.met = report.error.empty();
  return r;
}

const Run::HostRuntime& Run::PeerOf(const StreamRuntime& stream) const {
  return stream.side == ConnectionSide::kDialer ? *stream.connection->listener
                                                : *stream.connection->dialer;
}

ExpectationResult Run::CheckConnection(const ConnectionExpectation& c) {
  const bool listener = c.side == ConnectionSide::kListener;
  std::string what =
      "connection " + c.connection + (listener ? " (listener) " : " ") + ToString(c.outcome);
  if (c.ended) what += std::string(", ended ") + ToString(*c.ended);
  if (c.by) what += ", by " + At(*c.by);
  ExpectationResult r{what, false, ""};
  auto it = connections_.find(c.connection);
  if (it == connections_.end() || it->second.dialer == nullptr) {
    r.detail = "never dialed";
    return r;
  }
  const ConnectionRuntime& connection = it->second;
  // The dialer's end lives in the workload of the life that dialed; the
  // listener's in whichever of its lives accepted it (a restart starts a
  // new workload, the old ones keep their records).
  const ConnectionRecord* record = nullptr;
  if (!listener) {
    record = connection.app == nullptr ? nullptr : connection.app->Connection(connection.handle);
  } else {
    if (connection.listener->workload != nullptr) {
      record = connection.listener->workload->FindInbound(connection.original_dcid,
                                                          connection.dialer_seen_at);
    }
    for (const auto& past : connection.listener->past_workloads) {
      if (record != nullptr) break;
      record = past->FindInbound(connection.original_dcid, connection.dialer_seen_at);
    }
  }
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
  r.met = std::string(seen) == ToString(c.outcome) &&
          (!c.error || record->close_reason.find(*c.error) != std::string::npos) &&
          (!c.ended || (record->closed && record->close_cause == *c.ended)) &&
          (!c.by || (record->closed && record->closed_at - start_ <= *c.by));
  return r;
}

std::string Run::Metrics() {
  std::string text;
  for (const auto& [name, host] : hosts_) {
    prometheus::Registry registry;
    metrics::RegistryMetricsExporter registry_exporter(registry);
    metrics::EndpointMetricsExporter endpoint_exporter(registry);
    if (host->host == nullptr) continue;
    registry_exporter.Export(host->endpoint().registry().stats());
    endpoint_exporter.Export(host->endpoint().stats(), host->endpoint().connection_count());
    text += "# host " + name + "\n" + prometheus::TextSerializer().Serialize(registry.Collect());
  }
  return text;
}

}  // namespace

const char* ToString(RunStatus status) {
  switch (status) {
    case RunStatus::kCompleted:
      return "completed";
    case RunStatus::kSetupFailed:
      return "setup failed";
    case RunStatus::kNotDeterministic:
      return "the process random source could not be seeded";
  }
  return "unknown";
}

RunStatus RunScenario(const Scenario& scenario, const RunOptions& options, RunReport* report,
                      std::string* error) {
  const uint64_t seed = options.seed.value_or(scenario.seed);
  *report = RunReport{};
  report->scenario = scenario.name;
  report->seed = seed;
  RunStatus status = RunStatus::kCompleted;
  // A thread of its own: GnuTLS seeds a generator per thread, once.
  std::thread thread([&] {
    Run run(scenario, options, seed);
    const sim::InstallResult installed = sim::DeterministicProcess::Install(seed, run.clock());
    if (installed != sim::InstallResult::kInstalled) {
      status = RunStatus::kNotDeterministic;
      *error = sim::ToString(installed);
      return;
    }
    if (!run.Setup(error)) {
      status = RunStatus::kSetupFailed;
    } else {
      run.Execute(report);
    }
    sim::DeterministicProcess::Uninstall();
  });
  thread.join();
  return status;
}

}  // namespace p2pquic::scenarios
