// deterministic_run: one HandshakeTransferRun in a fresh process, for the
// determinism tests (a fresh process is the only place where GnuTLS's
// per-thread generator is guaranteed untouched). Prints one "KEY value"
// line per fact; exit 0 when the run succeeded, 1 when it did not, 2 on a
// usage error.
//
//   deterministic_run --seed N [--system-randomness] [--certificates test|libp2p]
//     INSTALL <InstallResult>        (seeded runs only)
//     STATUS <RunStatus>
//     DIGEST <16 hex digits>         network digest
//     CERTIFICATES <16 hex digits>   digest of both certificates
//     DELIVERED <datagrams>
//     SEEDED getrandom=<bytes> getentropy=<bytes> openssl=<bytes>
//   deterministic_run --seed N --probe [--system-randomness]
//     INSTALL <InstallResult>        (seeded runs only)
//     GNUTLS <hex>    gnutls_rnd: 16 bytes at NONCE level, then 16 at KEY level
//     OPENSSL <hex>   RAND_priv_bytes: 16 bytes
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <openssl/rand.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "sim/deterministic_process.h"
#include "sim/event_queue.h"
#include "sim/sim_clock.h"
#include "tests/sim/handshake_transfer_run.h"

namespace p2pquic::sim {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRunFailed = 1;
constexpr int kExitUsage = 2;
constexpr size_t kProbeBytes = 16;

struct Arguments {
  RunOptions run;
  bool probe = false;
};

int Usage(const char* why) {
  std::fprintf(stderr,
               "deterministic_run: %s\nusage: deterministic_run --seed N [--system-randomness] "
               "[--certificates test|libp2p] [--probe]\n",
               why);
  return kExitUsage;
}

bool ParseSeed(const char* text, uint64_t* out) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0') return false;
  *out = value;
  return true;
}

void PrintHex(const char* key, const uint8_t* bytes, size_t size) {
  std::printf("%s ", key);
  for (size_t i = 0; i < size; ++i) std::printf("%02x", bytes[i]);
  std::printf("\n");
}

// The TLS libraries' own draws, straight after Install (or without it).
int Probe(const Arguments& args) {
  EventQueue queue;
  SimClock clock(queue);
  const bool seeded = args.run.randomness == ProcessRandomness::kSeeded;
  if (seeded) {
    std::printf("INSTALL %s\n", ToString(DeterministicProcess::Install(args.run.seed, clock)));
  }
  uint8_t gnutls[2 * kProbeBytes];
  uint8_t openssl[kProbeBytes];
  const bool drawn = gnutls_rnd(GNUTLS_RND_NONCE, gnutls, kProbeBytes) == 0 &&
                     gnutls_rnd(GNUTLS_RND_KEY, gnutls + kProbeBytes, kProbeBytes) == 0 &&
                     RAND_priv_bytes(openssl, sizeof(openssl)) == 1;
  if (seeded) DeterministicProcess::Uninstall();
  if (!drawn) {
    std::printf("STATUS a library refused to draw\n");
    return kExitRunFailed;
  }
  PrintHex("GNUTLS", gnutls, sizeof(gnutls));
  PrintHex("OPENSSL", openssl, sizeof(openssl));
  return kExitOk;
}

int Main(int argc, char** argv) {
  Arguments args;
  bool have_seed = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--seed" && i + 1 < argc) {
      if (!ParseSeed(argv[++i], &args.run.seed)) return Usage("--seed takes a decimal uint64");
      have_seed = true;
    } else if (arg == "--system-randomness") {
      args.run.randomness = ProcessRandomness::kSystem;
    } else if (arg == "--certificates" && i + 1 < argc) {
      const std::string_view kind = argv[++i];
      if (kind == "test") {
        args.run.certificates = CertificateKind::kTest;
      } else if (kind == "libp2p") {
        args.run.certificates = CertificateKind::kLibp2p;
      } else {
        return Usage("--certificates is test or libp2p");
      }
    } else if (arg == "--probe") {
      args.probe = true;
    } else {
      return Usage("unknown argument");
    }
  }
  if (!have_seed) return Usage("--seed is required");
  if (args.probe) return Probe(args);

  const RunResult result = HandshakeTransferRun::Run(args.run);
  if (result.install.has_value()) std::printf("INSTALL %s\n", ToString(*result.install));
  std::printf("STATUS %s\n", ToString(result.status));
  std::printf("DIGEST %016" PRIx64 "\n", result.digest);
  std::printf("CERTIFICATES %016" PRIx64 "\n", result.certificates_digest);
  std::printf("DELIVERED %" PRIu64 "\n", result.delivered);
  std::printf("SEEDED getrandom=%" PRIu64 " getentropy=%" PRIu64 " openssl=%" PRIu64 "\n",
              result.determinism.getrandom_bytes, result.determinism.getentropy_bytes,
              result.determinism.openssl_bytes);
  return result.status == RunStatus::kOk ? kExitOk : kExitRunFailed;
}

}  // namespace
}  // namespace p2pquic::sim

int main(int argc, char** argv) { return p2pquic::sim::Main(argc, argv); }
