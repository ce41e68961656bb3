#include "scenarios/runner/simulated_hosts.h"

#include <utility>
#include <vector>

#include "scenarios/runner/host_endpoint_config.h"
#include "scenarios/runner/sim_link_conditions.h"
#include "transport/identity/private_key.h"

namespace p2pquic::scenarios {
namespace {

// Hosts' seeds are the run's seed mixed with their index, so adding a host
// does not change the others' randomness.
constexpr uint64_t kHostSeedStride = 0x9e3779b97f4a7c15ULL;
// NAT outside addresses come from the shared address space (RFC 6598),
// which no scenario host may use.
constexpr uint8_t kNatOutsideNet[] = {100, 64, 0};
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
  // One deployment: every host seals and opens Retry and NEW_TOKEN tokens
  // with the run's secret, across restarts (RunTokenSecret).
  host->options.endpoint.token_secret = RunTokenSecret(seed_);
  host->registrar = std::make_unique<sim::DelayingCidRegistrar>(clock_);
  host->options.endpoint.cid_registrar = host->registrar.get();
  if (!StartHost(*host, error)) return false;
  oracles_.AddHost(spec.name, host->endpoint().registry(),
                   host->options.endpoint.quic.local_cid_length);
  hosts_[spec.name] = std::move(host);
  return true;
}

bool SimulatedHosts::StartHost(HostRuntime& host, std::string* error) {
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
  host.EndLifeForRestart();
  if (!StartHost(host, error)) return false;
  oracles_.OnHostRestarted(host.spec->name, host.endpoint().registry());
  return true;
}

}  // namespace p2pquic::scenarios
