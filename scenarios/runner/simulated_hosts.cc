#include "scenarios/runner/simulated_hosts.h"

#include <utility>
#include <vector>

#include "scenarios/runner/host_endpoint_config.h"
#include "scenarios/runner/sim_link_conditions.h"
#include "transport/identity/private_key.h"
#include "transport/routing/quic_lb_cid_minter.h"
#include "transport/routing/worker_steering.h"

namespace p2pquic::scenarios {
namespace {

// Hosts' seeds are the run's seed mixed with their index, so adding a host
// does not change the others' randomness.
constexpr uint64_t kHostSeedStride = 0x9e3779b97f4a7c15ULL;
// NAT outside addresses come from the shared address space (RFC 6598),
// which no scenario host may use.
constexpr uint8_t kNatOutsideNet[] = {100, 64, 0};
// A multi-worker host's workers past the first get the host's seed mixed
// with their index: distinct draws, and the first worker draws as a
// one-worker host would.
constexpr uint64_t kWorkerSeedStride = 0xbf58476d1ce4e5b9ULL;

// The name a multi-worker host's worker goes by in traces, qlogs, the frame
// log and the oracles ('.' is not allowed in host names: no clash).
std::string WorkerName(const std::string& host, uint32_t worker) {
  return host + ".w" + std::to_string(worker);
}

// The run's token secret comes from a SeededRandom of the run's seed mixed
// with this (a stride of its own, so it draws nothing any host draws).
constexpr uint64_t kTokenSecretSalt = 0x746f6b656e736563ULL;  // "tokensec"

}  // namespace

TokenSecret RunTokenSecret(uint64_t seed) {
  SeededRandom random(seed ^ kTokenSecretSalt);
  TokenSecret secret;
  random.Fill(secret);
  return secret;
}

SimulatedHosts::SimulatedHosts(const Scenario& scenario, const RunOptions& options, uint64_t seed,
                               sim::SimNetwork& network, sim::SimClock& clock, Oracles& oracles,
                               TraceWriter& writer, FrameLog* frames,
                               EstablishedCallback on_established)
    : scenario_(scenario),
      options_(options),
      seed_(seed),
      network_(network),
      clock_(clock),
      oracles_(oracles),
      writer_(writer),
      frames_(frames),
      on_established_(std::move(on_established)) {}

bool SimulatedHosts::Setup(std::string* error) {
  if (network_.SetDefaultConditions(ToSim(scenario_.links.default_conditions)) !=
      sim::NetworkResult::kOk) {
    *error = "links.default: the simulator refused these conditions";
    return false;
  }
  for (size_t i = 0; i < scenario_.hosts.size(); ++i) {
    if (!SetupHost(i, scenario_.hosts[i], error)) return false;
  }
  for (const LinkOverride& link : scenario_.links.overrides) {
    if (network_.SetConditions(Named(link.from).id, Named(link.to).id, ToSim(link.conditions)) !=
        sim::NetworkResult::kOk) {
      *error = "links.overrides " + link.from + " -> " + link.to +
               ": the simulator refused these conditions";
      return false;
    }
  }
  for (const Bottleneck& bottleneck : scenario_.links.bottlenecks) {
    std::vector<sim::HostPair> directions;
    for (const LinkDirection& d : bottleneck.directions) {
      directions.emplace_back(Named(d.from).id, Named(d.to).id);
    }
    const sim::NetworkResult result =
        network_.AddBottleneck(directions, ToSimBandwidth(bottleneck.bandwidth_kbps),
                               static_cast<size_t>(bottleneck.queue_bytes));
    if (result != sim::NetworkResult::kOk) {
      *error = "links.bottlenecks " + bottleneck.name + ": " + sim::ToString(result);
      return false;
    }
  }
  return true;
}

bool SimulatedHosts::SetupHost(size_t index, const Host& spec, std::string* error) {
  auto host = std::make_unique<HostRuntime>();
  host->spec = &spec;
  host->address = spec.address;
  const bool multi_worker = spec.workers > 1;
  host->trace_name = multi_worker ? WorkerName(spec.name, 0) : spec.name;
  // An explicit random_seed is used as is, not mixed with the run's seed:
  // hosts that share one must draw the same CIDs whatever the run's seed.
  const uint64_t host_seed = spec.random_seed.value_or(seed_ ^ (kHostSeedStride * (index + 1)));
  host->random = std::make_unique<SeededRandom>(host_seed);
  host->id = network_.AddHost(spec.name);
  sim::NetworkResult result = network_.AddAddress(host->id, spec.address);
  if (result == sim::NetworkResult::kOk && spec.nat) {
    const SocketAddress outside = SocketAddress::Ipv4(
        {kNatOutsideNet[0], kNatOutsideNet[1], kNatOutsideNet[2], next_nat_host_++},
        spec.address.port());
    result = network_.AddNat(host->id, spec.address, outside);
  }
  std::unique_ptr<sim::SimSocket> socket;
  if (result == sim::NetworkResult::kOk) socket = network_.Bind(spec.address, &result);
  if (socket == nullptr) {
    *error = "host " + spec.name + " at " + spec.address.ToString() + ": " + sim::ToString(result);
    return false;
  }
  socket->SetSendBufferBytes(static_cast<size_t>(spec.socket_send_buffer_bytes));
  PrivateKey identity;
  if (PrivateKey::Generate(KeyType::kEd25519, *host->random, &identity) != KeyStatus::kOk) {
    *error = "host " + spec.name + ": could not make its identity";
    return false;
  }
  identity.Encode(&host->identity);
  host->peer_id = PeerId::FromPublicKey(identity.public_key());
  if (multi_worker) {
    const sim::SimSteeringMode mode = spec.steering == SteeringMode::kForward
                                          ? sim::SimSteeringMode::kForward
                                          : sim::SimSteeringMode::kKernel;
    host->group = std::make_unique<sim::SimReuseportGroup>(
        clock_.queue(), std::move(socket),
        WorkerSteeringConfig{QuicLbConfig{}, static_cast<uint32_t>(spec.workers), nullptr}, mode,
        spec.forward_delay);
    for (uint32_t w = 1; w < spec.workers; ++w) {
      auto other = std::make_unique<HostRuntime>();
      other->spec = &spec;
      other->worker = w;
      other->trace_name = WorkerName(spec.name, w);
      other->id = host->id;
      other->address = spec.address;
      // Its own stream of draws (CIDs, ngtcp2), fixed by the host's seed.
      other->random = std::make_unique<SeededRandom>(host_seed ^ (kWorkerSeedStride * w));
      other->identity = host->identity;
      other->peer_id = host->peer_id;
      host->other_workers.push_back(std::move(other));
    }
  } else {
    host->socket = std::move(socket);
  }
  for (HostRuntime* worker : host->Workers()) {
    worker->options.endpoint = HostEndpointConfig(scenario_.SettingsOf(spec), spec.listen);
    // One deployment: every host (every worker) seals and opens Retry and
    // NEW_TOKEN tokens with the run's secret, across restarts
    // (RunTokenSecret).
    worker->options.endpoint.token_secret = RunTokenSecret(seed_);
    worker->registrar = std::make_unique<sim::DelayingCidRegistrar>(clock_);
    worker->options.endpoint.cid_registrar = worker->registrar.get();
    if (multi_worker) {
      worker->minter = std::make_unique<QuicLbCidMinter>(QuicLbConfig{}, worker->worker);
      worker->options.endpoint.cid_minter = worker->minter.get();
      worker->options.endpoint.quic.local_cid_length = worker->minter->length();
      worker->transport = &host->group->worker(worker->worker);
    } else {
      worker->transport = worker->socket.get();
    }
    if (!StartHost(*worker, error)) return false;
    oracles_.AddHost(worker->trace_name, worker->endpoint().registry(),
                     worker->options.endpoint.quic.local_cid_length);
  }
  hosts_[spec.name] = std::move(host);
  return true;
}

bool SimulatedHosts::StartHost(HostRuntime& host, std::string* error) {
  const std::string& name = host.trace_name;
  PrivateKey identity;
  if (PrivateKey::Decode(host.identity, &identity) != KeyStatus::kOk) {
    *error = "host " + name + ": could not decode its identity";
    return false;
  }
  // As p2pquic-node builds its host: the stateless-reset secret derived
  // from the identity (the same across restarts), the default services.
  if (node::BuildNodeHost(host.options, std::move(identity), *host.transport, clock_, *host.random,
                          &host.host, error) != node::NodeHostStatus::kOk) {
    *error = "host " + name + ": " + *error;
    return false;
  }
  host.workload = std::make_unique<HostWorkload>(*host.host, clock_);
  HostRuntime* raw = &host;
  HostWorkload* workload = host.workload.get();
  host.workload->on_established = [this, raw, workload](ConnectionHandle handle) {
    on_established_(*raw, *workload, handle);
  };
  host.tracer = std::make_unique<HostTracer>(
      name, host.options.endpoint.quic.local_cid_length, clock_, oracles_, writer_,
      HostTraceOptions{options_.qlog_dir, options_.keylog, host.restarts, frames_,
                       [workload](ConnectionHandle connection, const ConnectionId& scid) {
                         workload->OnRetry(connection, scid);
                       }});
  host.endpoint().SetTracer(host.tracer.get());
  host.host->Start();
  return true;
}

bool SimulatedHosts::Restart(HostRuntime& host, std::string* error) {
  // The whole process restarts: every worker.
  for (HostRuntime* worker : host.Workers()) worker->EndLifeForRestart();
  for (HostRuntime* worker : host.Workers()) {
    if (!StartHost(*worker, error)) return false;
    oracles_.OnHostRestarted(worker->trace_name, worker->endpoint().registry());
  }
  return true;
}

}  // namespace p2pquic::scenarios
