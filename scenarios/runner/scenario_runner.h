// RunScenario: replays one Scenario in the simulator. Every host runs the
// whole production libp2p host (node::BuildNodeHost: Libp2pHost with its
// Endpoint, registry, TLS stack, multistream-select and the ping, identify
// and perf services) bound to virtual time and a SimNetwork, driven by the
// scenario's timeline; a HostWorkload per host serves the transfer test
// protocol and keeps each connection's and stream's record; then the run
// checks its expectations and the oracles.
//
// Determinism: every random choice comes from the seed (the network's
// faults, each host's identity, keys, CIDs, ping payloads and ngtcp2 randomness from seed-derived
// streams, or from the host's own random_seed when it has one; GnuTLS and
// OpenSSL through sim::DeterministicProcess), and the run happens on a
// thread of its own so GnuTLS's per-thread generator starts fresh. The same
// scenario and seed give the same digest, in this process or another.
//
// Contract: one run at a time per process (the process-wide random source
// is borrowed for the run). Streams in the options outlive the call.
#pragma once

#include <cstdint>
#include <string>

#include "scenarios/format/scenario.h"
#include "scenarios/runner/run_options.h"
#include "scenarios/runner/run_report.h"

namespace p2pquic::scenarios {

enum class RunStatus : uint8_t {
  kCompleted,         // The report says whether it passed.
  kSetupFailed,       // A host could not be built; `error` says why.
  kNotDeterministic,  // The process random source could not be seeded.
};
const char* ToString(RunStatus status);

RunStatus RunScenario(const Scenario& scenario, const RunOptions& options, RunReport* report,
                      std::string* error);

}  // namespace p2pquic::scenarios
