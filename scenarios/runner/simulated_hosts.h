// SimulatedHosts: the run's set-up of the simulated world and every host
// in it. Setup gives the network the scenario's link conditions, links and
// bottlenecks, and each host an address (behind a NAT if it asks), a
// socket, a seed-derived identity and its first life: a Libp2pHost built
// as p2pquic-node builds its host, with its HostWorkload and HostTracer.
// Restart ends a host's life and starts the next on the same socket with
// the same identity and options.
//
// Contract: single-threaded, on the simulator's thread. The network, the
// clock, the oracles, the writer, the options and the frame log outlive
// it. `on_established` is called from a host's workload whenever one of
// its connections completes its handshake. Clear() destroys every host
// (ending its streams, whose handlers report from their destructors): the
// owner calls it while what they report into is still alive.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "scenarios/format/scenario.h"
#include "scenarios/runner/frame_log.h"
#include "scenarios/runner/host_runtime.h"
#include "scenarios/runner/oracles/oracles.h"
#include "scenarios/runner/run_options.h"
#include "scenarios/runner/trace_writer.h"
#include "sim/sim_clock.h"
#include "sim/sim_network.h"

namespace p2pquic::scenarios {

// The secret every host of a run seals its Retry and NEW_TOKEN tokens with
// (EndpointConfig::token_secret). A scenario's hosts are one deployment: a
// token one host minted may come back to another (a client's NEW_TOKEN to a
// restarted host), as p2pquic-node's hosts share theirs. A deployment
// derives it from a key it keeps; the simulator has none, so it is 32
// bytes drawn from a SeededRandom of the run's seed (mixed with a salt of
// its own): the same for every host and every life of a run, different
// from run to run, and the same again on a replay of the seed.
TokenSecret RunTokenSecret(uint64_t seed);

class SimulatedHosts {
 public:
  using EstablishedCallback =
      std::function<void(HostRuntime& host, HostWorkload& workload, ConnectionHandle handle)>;
  using HostMap = std::map<std::string, std::unique_ptr<HostRuntime>>;

  // `frames` is null when the run reads no frames out of the qlogs.
  SimulatedHosts(const Scenario& scenario, const RunOptions& options, uint64_t seed,
                 sim::SimNetwork& network, sim::SimClock& clock, Oracles& oracles,
                 TraceWriter& writer, FrameLog* frames, EstablishedCallback on_established);
  SimulatedHosts(const SimulatedHosts&) = delete;
  SimulatedHosts& operator=(const SimulatedHosts&) = delete;

  // Builds the world the scenario describes; false (with `error`) if the
  // simulator refuses part of it or a host cannot be built.
  bool Setup(std::string* error);
  // The process dies (every connection, CID and key with it) and comes back
  // on the same socket with the same identity, configuration and so the
  // same reset secret. False (with `error`) if the new life could not
  // start: the host then stays down.
  bool Restart(HostRuntime& host, std::string* error);

  // The run's seed (RunOptions may override the scenario's).
  uint64_t seed() const { return seed_; }
  HostRuntime& Named(const std::string& name) { return *hosts_.at(name); }
  const HostRuntime& Named(const std::string& name) const { return *hosts_.at(name); }
  // Every host, by name.
  const HostMap& all() const { return hosts_; }
  // Destroys every host (see the contract above).
  void Clear() { hosts_.clear(); }

 private:
  bool SetupHost(size_t index, const Host& spec, std::string* error);
  // A new life for `host`: a Libp2pHost built as the node builds it, its
  // workload and tracer.
  bool StartHost(HostRuntime& host, std::string* error);

  const Scenario& scenario_;
  const RunOptions& options_;
  const uint64_t seed_;
  sim::SimNetwork& network_;
  sim::SimClock& clock_;
  Oracles& oracles_;
  TraceWriter& writer_;
  FrameLog* frames_;
  EstablishedCallback on_established_;
  HostMap hosts_;
  uint8_t next_nat_host_ = 1;
};

}  // namespace p2pquic::scenarios
