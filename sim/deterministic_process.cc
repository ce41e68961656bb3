// RAND_set_rand_method is deprecated in OpenSSL 3.0 but is the one hook
// that RAND_bytes_ex and RAND_priv_bytes_ex still honour; this file alone
// uses it, so the warning is silenced here (before any OpenSSL header).
#define OPENSSL_SUPPRESS_DEPRECATED

#include "sim/deterministic_process.h"

#include <dlfcn.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <openssl/rand.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>
#include <optional>
#include <span>

#include "transport/runtime/seeded_random.h"

namespace p2pquic::sim {
namespace {

// Mixed into the seed so the TLS libraries' bytes are not the very bytes a
// SeededRandom(seed) elsewhere in the same simulation hands the transport.
// Two streams, so what OpenSSL draws does not shift with how much GnuTLS
// (through getrandom) drew before it, and a divergence in one library does
// not spread to the other.
constexpr uint64_t kEntropyStreamSalt = 0x7d5f'0c1b'9e3a'4d26ULL;  // getrandom, getentropy
constexpr uint64_t kOpenSslStreamSalt = 0x2b8e'61f4'd09c'5a73ULL;  // RAND_METHOD

// GnuTLS 3.7 seeds a thread's generator with two 32-byte ChaCha keys (nonce
// level, then random/key level) in one getrandom() call; a reseed takes 32.
constexpr size_t kGnutlsGeneratorSeedBytes = 64;

// getentropy() refuses more than this (glibc and POSIX), with EIO.
constexpr size_t kGetentropyMaxBytes = 256;
// Uninstalled getentropy() retries short reads and EINTR, but not forever.
constexpr int kGetentropyMaxAttempts = 64;

// The private GnuTLS export that replaces its CLOCK_REALTIME reader.
constexpr char kGnutlsGettimeSetter[] = "_gnutls_global_set_gettime_function";
using GnutlsGettime = void (*)(struct timespec*);
using GnutlsGettimeSetter = void (*)(GnutlsGettime);

enum class Source : uint8_t { kGetrandom, kGetentropy, kOpenSsl };

// Constant-initialised, so the interposers can read them even when called
// from another library's constructor before this file's initialisers ran.
std::atomic<bool> g_installed{false};
std::atomic<const Clock*> g_clock{nullptr};
std::mutex g_mutex;                            // Guards the streams and the stats.
std::optional<SeededRandom> g_entropy_stream;  // Set while installed.
std::optional<SeededRandom> g_openssl_stream;
DeterminismStats g_stats;

void DrawSeeded(void* buffer, size_t length, Source source) {
  std::lock_guard<std::mutex> lock(g_mutex);
  SeededRandom& stream = source == Source::kOpenSsl ? *g_openssl_stream : *g_entropy_stream;
  stream.Fill(std::span<uint8_t>(static_cast<uint8_t*>(buffer), length));
  switch (source) {
    case Source::kGetrandom:
      ++g_stats.getrandom_calls;
      g_stats.getrandom_bytes += length;
      break;
    case Source::kGetentropy:
      g_stats.getentropy_bytes += length;
      break;
    case Source::kOpenSsl:
      g_stats.openssl_bytes += length;
      break;
  }
}

timespec WallTimespec(const Clock& clock) {
  const auto since_epoch = clock.WallNow().time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  timespec out{};
  out.tv_sec = static_cast<time_t>(seconds.count());
  out.tv_nsec = static_cast<long>((since_epoch - seconds).count());
  return out;
}

// gnutls_time_func: X.509 checks, reseed-by-age decisions.
time_t GnutlsTimeFromClock(time_t* out) {
  const Clock* clock = g_clock.load(std::memory_order_acquire);
  const time_t now = clock != nullptr ? WallTimespec(*clock).tv_sec : std::time(nullptr);
  if (out != nullptr) *out = now;
  return now;
}

// GnuTLS's gettime hook: its generator's initial nonce, handshake timing.
void GnutlsGettimeFromClock(struct timespec* out) {
  const Clock* clock = g_clock.load(std::memory_order_acquire);
  if (clock != nullptr) {
    *out = WallTimespec(*clock);
  } else {
    clock_gettime(CLOCK_REALTIME, out);
  }
}

void GnutlsGettimeReal(struct timespec* out) { clock_gettime(CLOCK_REALTIME, out); }

GnutlsGettimeSetter FindGnutlsGettimeSetter() {
  return reinterpret_cast<GnutlsGettimeSetter>(dlsym(RTLD_DEFAULT, kGnutlsGettimeSetter));
}

int OpenSslSeed(const void*, int) { return 1; }  // Nothing may steer the stream.
int OpenSslBytes(unsigned char* out, int length) {
  if (length < 0) return 0;
  DrawSeeded(out, static_cast<size_t>(length), Source::kOpenSsl);
  return 1;
}
int OpenSslAdd(const void*, int, double) { return 1; }
int OpenSslStatus() { return 1; }

const RAND_METHOD kSeededMethod = {
    OpenSslSeed, OpenSslBytes, /*cleanup=*/nullptr, OpenSslAdd, OpenSslBytes, OpenSslStatus,
};

}  // namespace

const char* ToString(InstallResult result) {
  switch (result) {
    case InstallResult::kInstalled:
      return "installed";
    case InstallResult::kGnutlsSeededBeforeInstall:
      return "GnuTLS's generator on this thread was seeded before Install";
    case InstallResult::kGnutlsGettimeHookMissing:
      return "libgnutls does not export _gnutls_global_set_gettime_function";
    case InstallResult::kOpenSslMethodRefused:
      return "OpenSSL refused the RAND method";
  }
  return "unknown";
}

InstallResult DeterministicProcess::Install(uint64_t seed, const Clock& clock) {
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_entropy_stream.emplace(seed ^ kEntropyStreamSalt);
    g_openssl_stream.emplace(seed ^ kOpenSslStreamSalt);
    g_stats = DeterminismStats{};
  }
  g_clock.store(&clock, std::memory_order_release);
  g_installed.store(true, std::memory_order_release);

  InstallResult result = InstallResult::kInstalled;
  gnutls_global_set_time_function(&GnutlsTimeFromClock);
  if (GnutlsGettimeSetter set_gettime = FindGnutlsGettimeSetter()) {
    set_gettime(&GnutlsGettimeFromClock);
  } else {
    result = InstallResult::kGnutlsGettimeHookMissing;
  }
  if (RAND_set_rand_method(&kSeededMethod) != 1 && result == InstallResult::kInstalled) {
    result = InstallResult::kOpenSslMethodRefused;
  }

  // Seed this thread's GnuTLS generator now, and learn whether it was
  // fresh: only a fresh one asks for a full seed; one seeded earlier asks
  // for nothing (or 32 bytes to reseed on top of its old state).
  const uint64_t before = stats().getrandom_bytes;
  uint8_t probe;
  const int drawn = gnutls_rnd(GNUTLS_RND_NONCE, &probe, sizeof(probe));
  const uint64_t seeded = stats().getrandom_bytes - before;
  if ((drawn != 0 || seeded != kGnutlsGeneratorSeedBytes) && result == InstallResult::kInstalled) {
    result = InstallResult::kGnutlsSeededBeforeInstall;
  }
  return result;
}

void DeterministicProcess::Uninstall() {
  if (!g_installed.load(std::memory_order_acquire)) return;
  // OpenSSL and GnuTLS first, so nothing draws from the stream once it is gone.
  RAND_set_rand_method(RAND_OpenSSL());
  gnutls_global_set_time_function(&std::time);
  if (GnutlsGettimeSetter set_gettime = FindGnutlsGettimeSetter()) {
    set_gettime(&GnutlsGettimeReal);
  }
  g_installed.store(false, std::memory_order_release);
  g_clock.store(nullptr, std::memory_order_release);
  std::lock_guard<std::mutex> lock(g_mutex);
  g_entropy_stream.reset();
  g_openssl_stream.reset();
}

DeterminismStats DeterministicProcess::stats() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_stats;
}

}  // namespace p2pquic::sim

// The interposers. Defined in the executable (this library links
// statically, and its BUILD exports both symbols), they come first in the
// dynamic linker's lookup order, so libgnutls's and libcrypto's calls land
// here instead of in glibc.

extern "C" ssize_t getrandom(void* buffer, size_t length, unsigned int flags) {
  if (!p2pquic::sim::g_installed.load(std::memory_order_acquire)) {
    return syscall(SYS_getrandom, buffer, length, flags);
  }
  // Flags (GRND_NONBLOCK, GRND_RANDOM) do not matter: the stream never blocks.
  p2pquic::sim::DrawSeeded(buffer, length, p2pquic::sim::Source::kGetrandom);
  return static_cast<ssize_t>(length);
}

extern "C" int getentropy(void* buffer, size_t length) {
  if (length > p2pquic::sim::kGetentropyMaxBytes) {
    errno = EIO;
    return -1;
  }
  if (p2pquic::sim::g_installed.load(std::memory_order_acquire)) {
    p2pquic::sim::DrawSeeded(buffer, length, p2pquic::sim::Source::kGetentropy);
    return 0;
  }
  // As glibc's: retry short reads and EINTR, fail on anything else.
  uint8_t* out = static_cast<uint8_t*>(buffer);
  size_t done = 0;
  for (int attempt = 0; done < length && attempt < p2pquic::sim::kGetentropyMaxAttempts;
       ++attempt) {
    const long got = syscall(SYS_getrandom, out + done, length - done, 0);
    if (got < 0 && errno != EINTR) return -1;
    if (got > 0) done += static_cast<size_t>(got);
  }
  if (done < length) {
    errno = EIO;
    return -1;
  }
  return 0;
}
