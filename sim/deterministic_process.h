// DeterministicProcess: makes the randomness and calendar time that GnuTLS
// and OpenSSL draw *inside themselves* a function of one seed and of the
// simulator's clock, so a simulated run replays byte for byte. The
// transport's own randomness and time already come through the Random and
// Clock seams; this covers what the TLS libraries take behind their backs.
//
// SIMULATOR AND TESTS ONLY. Linking this library into a binary replaces
// the process's getrandom() and getentropy() with interposers (they fall
// back to the kernel until Install is called, but a production binary has
// no business carrying them), and Install makes every TLS key, nonce and
// signature predictable from the seed. Its Bazel visibility admits only the
// simulator and its tests; never add a production binary to it.
//
// What Install covers, and how (measured on Debian 12: libgnutls30 3.7.9,
// libssl3 3.0):
// - GnuTLS's generator (lib/nettle/rnd.c: two ChaCha streams per thread,
//   for GNUTLS_RND_NONCE and for GNUTLS_RND_RANDOM/KEY). It seeds itself
//   from getrandom() (glibc's, called through the PLT) with 64 bytes on a
//   thread's first draw and 32 bytes on each reseed, and takes its initial
//   ChaCha nonce from its private gettime hook (CLOCK_REALTIME seconds).
//   Install points getrandom() at the seeded stream, sets that gettime hook
//   (_gnutls_global_set_gettime_function, exported by libgnutls in its
//   GNUTLS_PRIVATE_3_4 version node) and gnutls_global_set_time_function to
//   the clock's WallNow, then draws one GnuTLS nonce byte so the calling
//   thread's generator is seeded right there. Every TLS client/server
//   random, ECDHE key share, legacy session id and GnuTLS signature nonce
//   follows. Reseeds are deterministic too: by volume (2 MiB / 16 MiB) and
//   by virtual time (2 h / 4 h of WallNow), both from the seeded stream.
// - OpenSSL's RAND_bytes and RAND_priv_bytes (so EC key generation, the
//   ECDSA signature nonce of X.509 self-signatures, BN blinding): Install
//   sets a RAND_METHOD that draws from a second seeded stream (so OpenSSL's
//   bytes do not shift with how much GnuTLS drew). Interposing
//   getentropy() (OpenSSL's seed source) alone would not do: by OpenSSL
//   3.0's source its DRBG nonce also mixes in the DRBG's address (ASLR), a
//   counter and the time. getentropy() is interposed anyway, so any other
//   caller in the process is covered as well.
//
// Limitations (each checked against GnuTLS 3.7.9's source and measured):
// - GnuTLS's generator is per thread and never forgets: a reseed XORs the
//   new key with the old stream ("key continuity"). A thread whose GnuTLS
//   generator was seeded before Install cannot be made deterministic;
//   Install reports kGnutlsSeededBeforeInstall (it tells by the size of
//   the seed GnuTLS asks for: 64 bytes fresh, 32 or none otherwise).
//   Consequently a second Install on the same thread does not replay the
//   first run; run each replay on a fresh thread (or in a fresh process).
// - Other threads draw from the same stream in whatever order they run:
//   determinism needs the simulation on one thread.
// - After fork() the child's generator is the parent's, reseeded with 32
//   getrandom() bytes on top of that state at its next draw: a forked
//   child replays only if its parent's GnuTLS state did (or it had none).
// - The streams are process-wide: while installed, any other caller of
//   getrandom()/getentropy() in the process is served from them too.
// - OpenSSL code that draws from an EVP_RAND context directly (not through
//   RAND_bytes/RAND_priv_bytes) bypasses the method; none of ours does.
// - RAND_set_rand_method is deprecated in OpenSSL 3.0 (still present and
//   honoured by RAND_bytes_ex/RAND_priv_bytes_ex), and the gettime hook is
//   GnuTLS-private ABI: an upgrade may drop either (then this file no
//   longer builds, or Install reports kGnutlsGettimeHookMissing).
//
// Contract: Install and Uninstall are called with no other thread inside
// GnuTLS or OpenSSL. `clock` must outlive the installation (until
// Uninstall or the next Install). The interposers never fail differently
// from the kernel's: uninstalled, they are the getrandom syscall.
#pragma once

#include <cstdint>

#include "transport/runtime/clock.h"

namespace p2pquic::sim {

enum class InstallResult : uint8_t {
  kInstalled,
  // This thread's GnuTLS generator drew before Install (or was seeded some
  // other way): its output carries earlier state, so runs will not replay.
  kGnutlsSeededBeforeInstall,
  // libgnutls does not export _gnutls_global_set_gettime_function: the
  // generator's initial nonce stays wall-clock seconds.
  kGnutlsGettimeHookMissing,
  // OpenSSL refused RAND_set_rand_method.
  kOpenSslMethodRefused,
};
const char* ToString(InstallResult result);

// What the seeded streams served since the last Install (kept after
// Uninstall; zero before any Install).
struct DeterminismStats {
  uint64_t getrandom_calls = 0;
  uint64_t getrandom_bytes = 0;
  uint64_t getentropy_bytes = 0;
  uint64_t openssl_bytes = 0;  // Through the RAND_METHOD.
};

class DeterministicProcess {
 public:
  // Seeds fresh streams from `seed` and routes GnuTLS's and OpenSSL's
  // randomness and GnuTLS's time to it and to `clock` (see above). Anything
  // but kInstalled means runs will not replay; whatever could be installed
  // is installed all the same, so Uninstall is still due.
  static InstallResult Install(uint64_t seed, const Clock& clock);

  // Back to the kernel's getrandom, wall-clock time and OpenSSL's own DRBG.
  // A no-op when nothing is installed.
  static void Uninstall();

  static DeterminismStats stats();
};

}  // namespace p2pquic::sim
