#include "scenarios/scenario_runner.h"

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
#include "scenarios/frame_expectation_checker.h"
#include "scenarios/frame_log.h"
#include "scenarios/host_endpoint_config.h"
#include "scenarios/host_tracer.h"
#include "scenarios/oracles.h"
#include "scenarios/sim_link_conditions.h"
#include "scenarios/trace_writer.h"
#include "scenarios/transfer_app.h"
#include "sim/deterministic_process.h"
#include "sim/event_queue.h"
#include "sim/sim_clock.h"
#include "sim/sim_network.h"
#include "transport/identity/private_key.h"
#include "transport/quic/endpoint.h"
#include "transport/seeded_random.h"
#include "transport/tls/libp2p_certificate.h"

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
    PrivateKey identity;    // Kept across restarts (the same libp2p peer).
    EndpointConfig config;  // Its stateless-reset secret too: fixed for the host's life.
    Duration cid_registration_delay = Duration::zero();
    // The current life: rebuilt by a restart.
    std::unique_ptr<TransferApp> app;
    std::unique_ptr<HostTracer> tracer;
    TlsCredentials credentials;
    std::unique_ptr<Endpoint> endpoint;
    // Earlier lives: their apps keep the records of what they sent and
    // received; their endpoints' counts add to the host's totals.
    uint32_t restarts = 0;
    std::vector<std::unique_ptr<TransferApp>> past_apps;
    EndpointStats past_stats;
    std::array<uint64_t, kRouteOutcomeCount> past_lookups{};

    // Totals over the host's whole run, across restarts.
    EndpointStats Stats() const;
    uint64_t Lookups(RouteOutcome outcome) const;
  };
  struct ConnectionRuntime {
    HostRuntime* dialer = nullptr;
    TransferApp* app = nullptr;  // The dialer's app in the life that dialed it.
    HostRuntime* listener = nullptr;
    ConnectionHandle handle;
    // What identifies the listener's end: the DCID of the dialer's first
    // Initial, and the dialer's address as the listener sees it (its NAT's
    // outside address), both taken at the dial.
    ConnectionId original_dcid;
    SocketAddress dialer_seen_at;
    bool closed_by_timeline = false;
    Timestamp closed_at;  // When the timeline's close was applied.
    // Stream actions that wait for the handshake, in timeline order.
    std::vector<const Event*> waiting;
  };
  struct StreamRuntime {
    ConnectionRuntime* connection = nullptr;
    uint64_t tag = 0;
    int64_t id = -1;  // -1 until opened.
    uint64_t requested = 0;
  };

  bool SetupHost(size_t index, const Host& spec, std::string* error);
  // A new life for `host`: certificate, app, tracer and endpoint.
  bool StartEndpoint(HostRuntime& host, std::string* error);
  void Restart(HostRuntime& host);
  void ScheduleTimeline();
  void Apply(const Event& event);
  void ApplyStream(const Event& event);
  void OnEstablished(HostRuntime& host, TransferApp& app, ConnectionHandle handle);
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
  if (PrivateKey::Generate(KeyType::kEd25519, *host->random, &host->identity) != KeyStatus::kOk) {
    *error = "host " + spec.name + ": could not make its identity";
    return false;
  }
  EndpointConfig& config = host->config;
  config = HostEndpointConfig(scenario_.SettingsOf(spec), spec.listen);
  // One static key for the host's life (RFC 9000 §10.3.2), as p2pquic-node
  // derives one from its identity: a restarted host's resets are recognised.
  config.stateless_reset_secret.emplace();
  host->random->Fill(*config.stateless_reset_secret);
  if (!StartEndpoint(*host, error)) return false;
  oracles_.AddHost(spec.name, host->endpoint->registry(), config.quic.local_cid_length);
  hosts_[spec.name] = std::move(host);
  return true;
}

bool Run::StartEndpoint(HostRuntime& host, std::string* error) {
  const std::string& name = host.spec->name;
  if (Libp2pCertificate::Create(host.identity, *host.random, clock_.WallNow(), {},
                                &host.credentials) != CertificateStatus::kOk) {
    *error = "host " + name + ": could not make its certificate";
    return false;
  }
  host.app = std::make_unique<TransferApp>(clock_);
  host.endpoint = std::make_unique<Endpoint>(host.config, *host.socket, clock_, *host.random,
                                             host.credentials, *host.app);
  host.app->Attach(host.endpoint.get());
  HostRuntime* raw = &host;
  TransferApp* app = host.app.get();
  host.app->on_established = [this, raw, app](ConnectionHandle handle) {
    OnEstablished(*raw, *app, handle);
  };
  host.tracer = std::make_unique<HostTracer>(
      name, host.config.quic.local_cid_length, clock_, oracles_, writer_,
      HostTraceOptions{options_.qlog_dir, options_.keylog, host.restarts,
                       frames_wanted_ ? &frames_ : nullptr});
  host.endpoint->SetTracer(host.tracer.get());
  host.endpoint->SetCidRegistrationDelay(host.cid_registration_delay);
  host.endpoint->Start();
  return true;
}

// The process dies (every connection, CID and key with it) and comes back
// on the same socket with the same configuration and reset secret.
void Run::Restart(HostRuntime& host) {
  host.past_stats.Accumulate(host.endpoint->stats());
  for (size_t i = 0; i < host.past_lookups.size(); ++i) {
    host.past_lookups[i] += host.endpoint->registry().stats().lookups(static_cast<RouteOutcome>(i));
  }
  host.app->Detach("host restarted");
  host.endpoint.reset();
  host.tracer.reset();
  host.past_apps.push_back(std::move(host.app));
  ++host.restarts;
  std::string error;
  if (!StartEndpoint(host, &error)) {
    failed_actions_.push_back(At(queue_.Now() - start_) + " restart: " + error);
    return;
  }
  oracles_.OnHostRestarted(host.spec->name, host.endpoint->registry());
}

EndpointStats Run::HostRuntime::Stats() const {
  EndpointStats total = past_stats;
  if (endpoint != nullptr) total.Accumulate(endpoint->stats());
  return total;
}

uint64_t Run::HostRuntime::Lookups(RouteOutcome outcome) const {
  const uint64_t now = endpoint == nullptr ? 0 : endpoint->registry().stats().lookups(outcome);
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
          HostRuntime& from = HostNamed(action.from);
          ConnectionRuntime& connection = connections_[action.connection];
          connection.dialer = &from;
          connection.app = from.app.get();
          connection.listener = &HostNamed(action.to);
          connection.dialer_seen_at = from.address;
          if (const sim::NatMapping* nat = network_.nat().FindByInside(from.address)) {
            connection.dialer_seen_at = nat->outside;
          }
          const DialResult result =
              from.endpoint->Dial(connection.listener->address, &connection.handle);
          if (result != DialResult::kOk) {
            Fail(event, "dial", ToString(result));
          } else if (const QuicConnection* quic = from.endpoint->Find(connection.handle)) {
            connection.original_dcid = quic->original_dcid();
          }
        } else if constexpr (std::is_same_v<T, OpenStreamAction> || std::is_same_v<T, SendAction>) {
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
          const MigrateResult result = host.endpoint->Migrate(action.address);
          if (result == MigrateResult::kDeferred) {
            host.address = action.address;  // Where it goes once it can.
            writer_.Write(action.host, "migrate_deferred", {{"to", action.address.ToString()}});
          } else if (result != MigrateResult::kOk) {
            Fail(event, "migrate", ToString(result));
          } else {
            host.address = host.endpoint->local_address();
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
          HostRuntime& host = HostNamed(action.host);
          host.cid_registration_delay = action.delay;  // Kept across restarts.
          host.endpoint->SetCidRegistrationDelay(action.delay);
        } else if constexpr (std::is_same_v<T, CloseAction>) {
          ConnectionRuntime& connection = connections_.at(action.connection);
          Endpoint& endpoint = *connection.dialer->endpoint;
          if (connection.app != connection.dialer->app.get() ||
              endpoint.Find(connection.handle) == nullptr) {
            Fail(event, "close", "the connection is already gone");
            return;
          }
          connection.closed_by_timeline = true;
          connection.closed_at = queue_.Now();
          endpoint.Close(connection.handle, action.error_code);
        } else if constexpr (std::is_same_v<T, RestartAction>) {
          Restart(HostNamed(action.host));
        }
      },
      event.action);
}

// Stream actions run once their connection is established, in order.
void Run::ApplyStream(const Event& event) {
  ConnectionRuntime* connection = nullptr;
  if (const auto* open = std::get_if<OpenStreamAction>(&event.action)) {
    connection = &connections_.at(open->connection);
    auto [it, fresh] = streams_.try_emplace(open->stream);
    if (fresh) {
      it->second.connection = connection;
      it->second.tag = streams_.size();  // 1, 2, ... in timeline order.
    }
  } else {
    connection = streams_.at(std::get<SendAction>(event.action).stream).connection;
  }
  const ConnectionRecord* record = connection->app->Connection(connection->handle);
  if (record == nullptr || record->closed) {
    Fail(event, ToString(event.kind()), "the connection is gone");
    return;
  }
  if (!record->established || !connection->waiting.empty()) {
    connection->waiting.push_back(&event);
    return;
  }
  TransferApp& app = *connection->app;
  if (const auto* open = std::get_if<OpenStreamAction>(&event.action)) {
    StreamRuntime& stream = streams_.at(open->stream);
    const SendStatus status = app.OpenStream(connection->handle, stream.tag, &stream.id);
    if (status != SendStatus::kQueued) Fail(event, "open_stream", ToString(status));
    writer_.Write(
        connection->dialer->spec->name, "stream",
        {{"stream", open->stream}, {"tag", stream.tag}, {"opened", status == SendStatus::kQueued}});
    return;
  }
  const SendAction& send = std::get<SendAction>(event.action);
  StreamRuntime& stream = streams_.at(send.stream);
  stream.requested += send.bytes;
  const SendStatus status = stream.id < 0
                                ? SendStatus::kStreamError
                                : app.Send(connection->handle, stream.id, send.bytes, send.fin);
  if (status != SendStatus::kQueued) Fail(event, "send", ToString(status));
  writer_.Write(connection->dialer->spec->name, "stream",
                {{"stream", send.stream}, {"queued", stream.requested}, {"fin", send.fin}});
}

void Run::OnEstablished(HostRuntime& host, TransferApp& app, ConnectionHandle handle) {
  for (auto& [name, connection] : connections_) {
    // Handles start over in each life of a host: the app tells them apart.
    if (connection.dialer != &host || connection.app != &app || connection.handle != handle) {
      continue;
    }
    std::vector<const Event*> waiting;
    waiting.swap(connection.waiting);
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
    if (const auto target = host->endpoint->pending_migration()) {
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
  const auto& sent = stream.connection->app->sent();
  if (auto it = sent.find(stream.tag); it != sent.end()) ends.sent = &it->second;
  auto look_in = [&](const std::string& name, const TransferApp& app) {
    if (auto it = app.received().find(stream.tag); it != app.received().end()) {
      ends.received = &it->second;
      ends.receiver = name;
    }
  };
  for (const auto& [name, host] : hosts_) {
    for (const auto& past : host->past_apps) look_in(name, *past);
    look_in(name, *host->app);
  }
  return ends;
}

bool Run::StreamEnds::Match() const {
  return sent != nullptr && received != nullptr && received->payload_bytes == sent->payload_bytes &&
         received->hash == sent->hash;
}

// The stream-data oracle: every stream a receiver finished is exactly what
// its sender sent.
void Run::CheckStreams() {
  for (const auto& [name, stream] : streams_) {
    if (stream.connection == nullptr) continue;
    const StreamEnds ends = EndsOf(stream);
    if (ends.received == nullptr || !ends.received->fin || ends.Match()) continue;
    oracles_.Report("stream-data", ends.receiver, queue_.Now(),
                    "stream " + name + " finished with " +
                        std::to_string(ends.received->payload_bytes) +
                        " bytes that differ from what was sent");
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
          ExpectationResult r{"stream " + c.stream + " intact", false, ""};
          auto it = streams_.find(c.stream);
          if (it == streams_.end() || it->second.connection == nullptr) {
            r.detail = "never opened";
            return r;
          }
          const StreamRuntime& stream = it->second;
          const StreamEnds ends = EndsOf(stream);
          const bool fin = ends.received != nullptr && ends.received->fin;
          r.detail = std::to_string(ends.received == nullptr ? 0 : ends.received->payload_bytes) +
                     " of " + std::to_string(stream.requested) + " bytes arrived" +
                     (fin ? " with FIN" : "");
          r.met = fin && ends.Match() && ends.sent->payload_bytes == stream.requested;
          if (fin && ends.sent != nullptr && ends.received->hash != ends.sent->hash) {
            r.detail += ", hash differs";
          }
          return r;
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
          const ConnectionIdRegistry& registry = HostNamed(c.host).endpoint->registry();
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
  // The dialer's end lives in the app of the life that dialed; the
  // listener's in whichever of its lives accepted it (a restart starts a
  // new app, the old ones keep their records).
  const ConnectionRecord* record = nullptr;
  if (!listener) {
    record = connection.app == nullptr ? nullptr : connection.app->Connection(connection.handle);
  } else {
    record =
        connection.listener->app->FindInbound(connection.original_dcid, connection.dialer_seen_at);
    for (const auto& past : connection.listener->past_apps) {
      if (record != nullptr) break;
      record = past->FindInbound(connection.original_dcid, connection.dialer_seen_at);
    }
  }
  if (record == nullptr) {
    r.detail =
        listener ? "the listener has no end of it (no Initial of it arrived)" : "never dialed";
    return r;
  }
  // The dialer's end is "closed" if the timeline's close found it alive; the
  // listener's, if it ended at or after that close.
  const bool by_timeline =
      connection.closed_by_timeline && (!listener || record->closed_at >= connection.closed_at);
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
    registry_exporter.Export(host->endpoint->registry().stats());
    endpoint_exporter.Export(host->endpoint->stats(), host->endpoint->connection_count());
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
