// HandshakeTransferRun: one whole simulation for the determinism tests: two
// production Endpoints on a lossy simulated link (40 ms RTT, 2% loss each
// way) complete a real QUIC + TLS 1.3 handshake and echo a small transfer,
// with every seed, key and time drawn from `seed` and the SimClock. The
// network digest of the run tells runs apart.
//
// With ProcessRandomness::kSeeded the run installs sim::DeterministicProcess
// (on the calling thread) before anything touches GnuTLS or OpenSSL and
// uninstalls it at the end; kSystem leaves the TLS libraries on the OS's
// randomness and clock, which is what makes two runs differ.
#pragma once

#include <cstdint>
#include <optional>

#include "sim/deterministic_process.h"

namespace p2pquic::sim {

enum class ProcessRandomness : uint8_t { kSeeded, kSystem };

// kTest: testing/ self-signed ECDSA certificates, any peer accepted.
// kLibp2p: libp2p certificates (Ed25519 host keys) and the libp2p
// verifier on both sides, the dialer insisting on the listener's peer ID.
enum class CertificateKind : uint8_t { kTest, kLibp2p };

struct RunOptions {
  uint64_t seed = 1;
  ProcessRandomness randomness = ProcessRandomness::kSeeded;
  CertificateKind certificates = CertificateKind::kTest;
};

enum class RunStatus : uint8_t {
  kOk,
  kCertificateFailed,
  kDialFailed,
  kHandshakeTimedOut,
  kStreamRefused,  // The client could not open or fill its stream.
  kTransferTimedOut,
  kEchoMismatch,
};
const char* ToString(RunStatus status);

struct RunResult {
  RunStatus status = RunStatus::kOk;
  std::optional<InstallResult> install;  // Set for kSeeded runs.
  uint64_t digest = 0;                   // SimNetwork::digest() at the end.
  uint64_t delivered = 0;                // Datagrams the network delivered.
  uint64_t certificates_digest = 0;      // FNV-1a over both certificates' DER.
  DeterminismStats determinism;          // What the seeded stream served.
};

class HandshakeTransferRun {
 public:
  // Bounded: at most kMaxEvents events and a few minutes of virtual time.
  static RunResult Run(const RunOptions& options);

  static constexpr uint64_t kMaxEvents = 2'000'000;
  static constexpr size_t kTransferBytes = 64 * 1024;
};

}  // namespace p2pquic::sim
