// HostRuntime: one simulated host across all its lives. What outlives a
// restart (its network identity and socket, its libp2p identity, its
// HostOptions, its randomness) and what a life owns (the Libp2pHost, the
// HostWorkload keeping the scenario's records, the HostTracer), plus what
// earlier lives left (their workloads' records, their endpoints' counts).
//
// A multi-worker host (Host::workers > 1) is a HostRuntime per worker:
// the host's own (worker 0) owns the reuseport group (the shared socket and
// every worker's steering socket) and the other workers' runtimes; each
// worker has its own life (Libp2pHost, workload, tracer), registrar and
// trace name ("server.w1"), so handles of different workers never meet
// under one key. Counts asked of the host (Stats, Lookups, RegistryEmpty)
// cover every worker.
//
// Contract: SimulatedHosts builds and restarts it; everyone else reads it.
// Within a life, the host is destroyed before its tracer (its endpoint
// reports to it) and after its workload detached. Destroying a HostRuntime
// ends its current life (its streams' handlers report from their
// destructors, so whatever they report into must still be alive).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "node/node_host.h"
#include "scenarios/format/scenario.h"
#include "scenarios/runner/host_tracer.h"
#include "scenarios/runner/host_workload.h"
#include "sim/delaying_cid_registrar.h"
#include "sim/sim_network.h"
#include "sim/sim_reuseport_group.h"
#include "transport/routing/cid_minter.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::scenarios {

struct HostRuntime {
  const Host* spec = nullptr;
  uint32_t worker = 0;
  // Who it is in traces, qlogs, the frame log and the oracles: the host's
  // name, or "<name>.w<worker>" on a multi-worker host.
  std::string trace_name;
  sim::HostId id;
  SocketAddress address;  // Where its socket is now.
  std::unique_ptr<SeededRandom> random;
  // A one-worker host's socket; null on a multi-worker host (the group
  // owns its shared socket).
  std::unique_ptr<sim::SimSocket> socket;
  // Worker 0 of a multi-worker host only: the demux and the forwarder.
  std::unique_ptr<sim::SimReuseportGroup> group;
  // The socket its endpoint runs on: `socket`, or its worker's steering
  // socket in worker 0's group.
  DatagramSocket* transport = nullptr;
  // Worker 0 of a multi-worker host only: workers 1..N-1.
  std::vector<std::unique_ptr<HostRuntime>> other_workers;
  // Worker i's CID minter (QuicLbCidMinter); null on a one-worker host.
  std::unique_ptr<CidMinter> minter;
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

  HostRuntime() = default;
  HostRuntime(const HostRuntime&) = delete;
  HostRuntime& operator=(const HostRuntime&) = delete;
  // The other workers' lives end first, then this one's, then the group
  // their endpoints ran on.
  ~HostRuntime();

  // This runtime and every other worker's, worker 0 first.
  std::vector<HostRuntime*> Workers();
  std::vector<const HostRuntime*> Workers() const;

  // Ends the current life: the workload detaches, the host and its
  // tracer go; the workload joins the past ones.
  void EndLife(const std::string& reason);
  // Ends the current life as a restart does: its endpoint's counts join
  // the past ones first, and the restart is counted. A new life follows
  // (SimulatedHosts::Restart).
  void EndLifeForRestart();
  Endpoint& endpoint() const { return host->endpoint(); }
  // Totals over the host's whole run, across restarts and workers.
  EndpointStats Stats() const;
  uint64_t Lookups(RouteOutcome outcome) const;
  // Whether every worker's current registry holds nothing (no connection, CID,
  // initial DCID, tuple or reset token); `contents` says what it holds.
  bool RegistryEmpty(std::string* contents) const;

 private:
  // RegistryEmpty of this worker alone.
  bool WorkerRegistryEmpty(std::string* contents) const;
};

}  // namespace p2pquic::scenarios
