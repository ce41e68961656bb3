#include "scenarios/scenario_runner.h"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <chrono>
#include <map>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "metrics/endpoint_metrics_exporter.h"
#include "metrics/registry_metrics_exporter.h"
#include "scenarios/host_tracer.h"
#include "scenarios/oracles.h"
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
// Oracles audit every registry this often (and at every removal).
constexpr Duration kAuditInterval = std::chrono::milliseconds(100);

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

std::string At(Duration at) {
  std::ostringstream out;
  out.precision(3);
  out << std::fixed << "t=" << Seconds(at) << "s";
  return out.str();
}

sim::LinkConditions ToSim(const LinkConditions& c) {
  sim::LinkConditions out;
  out.delay = c.delay;
  out.jitter = c.jitter;
  out.loss = c.loss;
  out.loss_burst = static_cast<double>(c.loss_burst);
  out.duplicate = c.duplicate;
  out.corrupt = c.corrupt;
  out.bandwidth_bps = c.bandwidth_kbps * 1000;
  out.queue_bytes = static_cast<size_t>(c.queue_bytes);
  out.mtu = static_cast<size_t>(c.mtu);
  return out;
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
        wire_trace_(writer_, network_) {}

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
    std::unique_ptr<TransferApp> app;
    std::unique_ptr<HostTracer> tracer;
    TlsCredentials credentials;
    std::unique_ptr<Endpoint> endpoint;
  };
  struct ConnectionRuntime {
    HostRuntime* dialer = nullptr;
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
  void ScheduleTimeline();
  void Apply(const Event& event);
  void ApplyStream(const Event& event);
  void OnEstablished(HostRuntime& host, ConnectionHandle handle);
  void Fail(const Event& event, const char* what, const std::string& reason);
  void Audit();
  struct StreamEnds {
    const StreamRecord* sent = nullptr;
    const StreamRecord* received = nullptr;
    std::string receiver;  // The host that received it.
    bool Match() const;    // Both there, same bytes, same hash.
  };
  StreamEnds EndsOf(const StreamRuntime& stream) const;
  void CheckStreams();
  void Evaluate(RunReport* report);
  ExpectationResult Check(const Expectation& expectation);
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
  std::map<std::string, std::unique_ptr<HostRuntime>> hosts_;
  std::map<std::string, ConnectionRuntime> connections_;
  std::map<std::string, StreamRuntime> streams_;
  std::vector<std::string> failed_actions_;
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
  PrivateKey identity;
  if (PrivateKey::Generate(KeyType::kEd25519, *host->random, &identity) != KeyStatus::kOk ||
      Libp2pCertificate::Create(identity, *host->random, clock_.WallNow(), {},
                                &host->credentials) != CertificateStatus::kOk) {
    *error = "host " + spec.name + ": could not make its identity and certificate";
    return false;
  }
  EndpointConfig config;
  config.quic.idle_timeout = scenario_.settings.idle_timeout;
  config.quic.handshake_timeout = scenario_.settings.handshake_timeout;
  config.quic.keep_alive = scenario_.settings.keep_alive;
  config.quic.active_connection_id_limit = scenario_.settings.active_connection_id_limit;
  config.quic.local_cid_length = static_cast<size_t>(scenario_.settings.cid_length);
  config.registry.retired_cid_grace = scenario_.settings.retired_cid_grace;
  config.accept_inbound = spec.listen;
  host->app = std::make_unique<TransferApp>(clock_);
  host->endpoint = std::make_unique<Endpoint>(config, *host->socket, clock_, *host->random,
                                              host->credentials, *host->app);
  host->app->Attach(host->endpoint.get());
  HostRuntime* raw = host.get();
  host->app->on_established = [this, raw](ConnectionHandle handle) { OnEstablished(*raw, handle); };
  host->tracer =
      std::make_unique<HostTracer>(spec.name, config.quic.local_cid_length, clock_, oracles_,
                                   writer_, HostTraceOptions{options_.qlog_dir, options_.keylog});
  host->endpoint->SetTracer(host->tracer.get());
  host->endpoint->Start();
  oracles_.AddHost(spec.name, host->endpoint->registry(), config.quic.local_cid_length);
  hosts_[spec.name] = std::move(host);
  return true;
}

void Run::ScheduleTimeline() {
  for (const Event& event : scenario_.timeline) {
    queue_.Schedule(start_ + event.at, [this, &event] { Apply(event); });
  }
  queue_.Schedule(start_ + kAuditInterval, [this] { Audit(); });
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
          const sim::NetworkResult result =
              network_.RebindNat(HostNamed(action.host).spec->address, what);
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
          const MigrateResult result = host.endpoint->Migrate(action.address);
          if (result != MigrateResult::kOk) {
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
          HostNamed(action.host).endpoint->SetCidRegistrationDelay(action.delay);
        } else if constexpr (std::is_same_v<T, CloseAction>) {
          ConnectionRuntime& connection = connections_.at(action.connection);
          Endpoint& endpoint = *connection.dialer->endpoint;
          if (endpoint.Find(connection.handle) == nullptr) {
            Fail(event, "close", "the connection is already gone");
            return;
          }
          connection.closed_by_timeline = true;
          connection.closed_at = queue_.Now();
          endpoint.Close(connection.handle, action.error_code);
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
  const ConnectionRecord* record = connection->dialer->app->Connection(connection->handle);
  if (record == nullptr || record->closed) {
    Fail(event, ToString(event.kind()), "the connection is gone");
    return;
  }
  if (!record->established || !connection->waiting.empty()) {
    connection->waiting.push_back(&event);
    return;
  }
  TransferApp& app = *connection->dialer->app;
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

void Run::OnEstablished(HostRuntime& host, ConnectionHandle handle) {
  for (auto& [name, connection] : connections_) {
    if (connection.dialer != &host || connection.handle != handle) continue;
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
  const auto& sent = stream.connection->dialer->app->sent();
  if (auto it = sent.find(stream.tag); it != sent.end()) ends.sent = &it->second;
  for (const auto& [name, host] : hosts_) {
    if (auto it = host->app->received().find(stream.tag); it != host->app->received().end()) {
      ends.received = &it->second;
      ends.receiver = name;
    }
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
          const uint64_t seen = HostNamed(c.host).endpoint->registry().stats().lookups(c.outcome);
          ExpectationResult r{"route " + std::string(ToString(c.outcome)) + " on " + c.host +
                                  " in [" + std::to_string(c.min) + ", " +
                                  (c.max ? std::to_string(*c.max) : "inf") + "]",
                              false, ""};
          r.detail = std::to_string(seen);
          r.met = seen >= c.min && (!c.max || seen <= *c.max);
          return r;
        } else if constexpr (std::is_same_v<T, PathValidatedExpectation>) {
          const uint64_t seen = HostNamed(c.host).endpoint->stats().path_validations_succeeded;
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
        } else {
          static_assert(std::is_same_v<T, StatelessResetsExpectation>);
          const uint64_t seen = HostNamed(c.host).endpoint->stats().stateless_resets_sent;
          ExpectationResult r{"stateless resets from " + c.host + " >= " + std::to_string(c.min),
                              false, ""};
          r.detail = std::to_string(seen);
          r.met = seen >= c.min;
          return r;
        }
      },
      expectation.check);
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
  const ConnectionRecord* record = listener
                                       ? connection.listener->app->FindInbound(
                                             connection.original_dcid, connection.dialer_seen_at)
                                       : connection.dialer->app->Connection(connection.handle);
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
