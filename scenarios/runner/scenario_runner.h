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
#include <optional>
#include <ostream>
#include <string>

#include "scenarios/format/scenario.h"
#include "scenarios/runner/run_report.h"
#include "sim/network_observer.h"

namespace p2pquic::scenarios {

// Virtual time at which every run starts (a pcap's time zero).
inline constexpr Timestamp kRunStart = Timestamp(std::chrono::seconds(1));

// When a run reads the CID-relevant frames out of every connection's qlog
// (FrameLog; the cid-sequence oracle and the frame expectations use them).
// Reading them makes ngtcp2 format a qlog for every packet.
enum class FrameRecording : uint8_t {
  kWhenWanted,  // When a trace is written or an expectation counts or orders frames.
  kAlways,      // Every run, so the cid-sequence oracle checks every NEW_CONNECTION_ID.
};

struct RunOptions {
  // Bound on discrete events: a run that never settles stops and fails.
  static constexpr uint64_t kDefaultMaxEvents = 50'000'000;

  std::optional<uint64_t> seed;          // Overrides the file's seed.
  std::ostream* trace = nullptr;         // JSON lines (trace_writer.h).
  std::string qlog_dir;                  // One .sqlog per connection.
  std::ostream* keylog = nullptr;        // NSS key log for the pcap.
  sim::NetworkObserver* wire = nullptr;  // E.g. a sim::PcapWriter.
  bool metrics = false;                  // Fill RunReport::metrics_text.
  FrameRecording frames = FrameRecording::kWhenWanted;
  uint64_t max_events = kDefaultMaxEvents;
};

enum class RunStatus : uint8_t {
  kCompleted,         // The report says whether it passed.
  kSetupFailed,       // A host could not be built; `error` says why.
  kNotDeterministic,  // The process random source could not be seeded.
};
const char* ToString(RunStatus status);

RunStatus RunScenario(const Scenario& scenario, const RunOptions& options, RunReport* report,
                      std::string* error);

}  // namespace p2pquic::scenarios
