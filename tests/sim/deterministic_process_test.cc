// DeterministicProcess makes a whole simulated QUIC + TLS run a function of
// its seed: two fresh processes with one seed deliver the same datagrams,
// byte for byte; another seed, or the same seed without Install, does not.
// Also pins what does and does not replay inside one process.
//
// Usage (Bazel passes it): deterministic_process_test PATH_TO_deterministic_run
#include "sim/deterministic_process.h"

#include <errno.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sim/event_queue.h"
#include "sim/sim_clock.h"
#include "tests/sim/handshake_transfer_run.h"

extern char** environ;

namespace p2pquic::sim {
namespace {

const char* g_helper = nullptr;  // deterministic_run, from argv.

constexpr size_t kMaxChildOutput = 64 * 1024;  // Its output is a few lines.
constexpr uint64_t kSeed = 42;
constexpr uint64_t kOtherSeed = 43;
// A fresh GnuTLS generator asks for two 32-byte keys at once; a reseed for
// one more.
constexpr uint64_t kGnutlsSeedBytes = 64;
constexpr uint64_t kGnutlsReseedBytes = 32;
// GnuTLS reseeds its GNUTLS_RND_RANDOM level once this much time passed.
constexpr auto kGnutlsRandomReseedAge = std::chrono::hours(2);

struct ChildRun {
  int exit_code = -1;
  std::map<std::string, std::string> facts;  // "KEY value" lines.
  std::string output;
};

// fork + exec of deterministic_run, its stdout captured.
ChildRun Spawn(const std::vector<std::string>& args) {
  ChildRun run;
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return run;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  std::vector<std::string> argv_strings{g_helper};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid;
  const int spawned = posix_spawn(&pid, g_helper, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    return run;
  }
  char buffer[4096];
  while (run.output.size() < kMaxChildOutput) {
    const ssize_t got = read(pipe_fds[0], buffer, sizeof(buffer));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    run.output.append(buffer, static_cast<size_t>(got));
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::istringstream lines(run.output);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t space = line.find(' ');
    if (space != std::string::npos) run.facts[line.substr(0, space)] = line.substr(space + 1);
  }
  return run;
}

ChildRun SpawnRun(uint64_t seed, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--seed", std::to_string(seed)};
  args.insert(args.end(), extra.begin(), extra.end());
  ChildRun run = Spawn(args);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  return run;
}

// GnuTLS's generator is per thread: a new thread starts with none.
RunResult RunOnFreshThread(const RunOptions& options) {
  RunResult result;
  std::thread([&] { result = HandshakeTransferRun::Run(options); }).join();
  return result;
}

RunOptions Seeded(uint64_t seed) {
  RunOptions options;
  options.seed = seed;
  return options;
}

std::string Hex(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(value));
  return text;
}

TEST(DeterministicProcessTest, OneSeedReplaysByteForByteInSeparateProcesses) {
  const ChildRun first = SpawnRun(kSeed);
  const ChildRun second = SpawnRun(kSeed);
  EXPECT_EQ(first.facts.at("INSTALL"), "installed");
  EXPECT_EQ(first.facts.at("STATUS"), "ok");
  EXPECT_EQ(first.facts.at("DIGEST"), second.facts.at("DIGEST"));
  EXPECT_EQ(first.facts.at("CERTIFICATES"), second.facts.at("CERTIFICATES"));
  EXPECT_EQ(first.facts.at("SEEDED"), second.facts.at("SEEDED"));
}

TEST(DeterministicProcessTest, ADifferentSeedGivesADifferentRun) {
  const ChildRun run = SpawnRun(kSeed);
  const ChildRun other = SpawnRun(kOtherSeed);
  EXPECT_EQ(other.facts.at("STATUS"), "ok");
  EXPECT_NE(run.facts.at("DIGEST"), other.facts.at("DIGEST"));
}

// The control: the same seeds for everything the transport draws, but the
// TLS libraries left on the OS. If this replayed, the tests above would
// prove nothing.
TEST(DeterministicProcessTest, WithoutInstallTheSameSeedDiffersBetweenProcesses) {
  const ChildRun first = SpawnRun(kSeed, {"--system-randomness"});
  const ChildRun second = SpawnRun(kSeed, {"--system-randomness"});
  EXPECT_EQ(first.facts.count("INSTALL"), 0u);
  EXPECT_EQ(first.facts.at("STATUS"), "ok");
  EXPECT_NE(first.facts.at("DIGEST"), second.facts.at("DIGEST"));
  // Same key from the seed, but OpenSSL's DRBG picked the ECDSA nonces.
  EXPECT_NE(first.facts.at("CERTIFICATES"), second.facts.at("CERTIFICATES"));
}

TEST(DeterministicProcessTest, Libp2pCertificatesAndVerifiersReplayToo) {
  const ChildRun first = SpawnRun(kSeed, {"--certificates", "libp2p"});
  const ChildRun second = SpawnRun(kSeed, {"--certificates", "libp2p"});
  const ChildRun test_certificates = SpawnRun(kSeed);
  EXPECT_EQ(first.facts.at("STATUS"), "ok");
  EXPECT_EQ(first.facts.at("DIGEST"), second.facts.at("DIGEST"));
  EXPECT_EQ(first.facts.at("CERTIFICATES"), second.facts.at("CERTIFICATES"));
  EXPECT_NE(first.facts.at("DIGEST"), test_certificates.facts.at("DIGEST"));
}

// The mechanism itself, without a simulation around it.
TEST(DeterministicProcessTest, GnutlsAndOpensslDrawsFollowTheSeed) {
  const ChildRun first = SpawnRun(kSeed, {"--probe"});
  const ChildRun second = SpawnRun(kSeed, {"--probe"});
  const ChildRun other = SpawnRun(kOtherSeed, {"--probe"});
  const ChildRun system_first = SpawnRun(kSeed, {"--probe", "--system-randomness"});
  const ChildRun system_second = SpawnRun(kSeed, {"--probe", "--system-randomness"});
  EXPECT_EQ(first.facts.at("INSTALL"), "installed");
  for (const char* library : {"GNUTLS", "OPENSSL"}) {
    SCOPED_TRACE(library);
    EXPECT_EQ(first.facts.at(library), second.facts.at(library));
    EXPECT_NE(first.facts.at(library), other.facts.at(library));
    EXPECT_NE(system_first.facts.at(library), system_second.facts.at(library));
  }
}

TEST(DeterministicProcessTest, TheSeededStreamFeedsBothLibrariesDuringARun) {
  const RunResult result = RunOnFreshThread(Seeded(kSeed));
  ASSERT_EQ(result.status, RunStatus::kOk) << ToString(result.status);
  ASSERT_TRUE(result.install.has_value());
  EXPECT_EQ(*result.install, InstallResult::kInstalled) << ToString(*result.install);
  // GnuTLS seeded its generator through the interposed getrandom().
  EXPECT_GE(result.determinism.getrandom_bytes, kGnutlsSeedBytes);
  // OpenSSL drew the certificates' ECDSA nonces through the RAND method.
  EXPECT_GT(result.determinism.openssl_bytes, 0u);
}

// In one process a run replays when it has a thread whose GnuTLS generator
// was never used: the same digest as a fresh process gives.
TEST(DeterministicProcessTest, AFreshThreadPerRunReplaysInOneProcess) {
  const RunResult first = RunOnFreshThread(Seeded(kSeed));
  const RunResult second = RunOnFreshThread(Seeded(kSeed));
  ASSERT_EQ(first.status, RunStatus::kOk);
  EXPECT_EQ(first.digest, second.digest);
  EXPECT_EQ(first.certificates_digest, second.certificates_digest);
  EXPECT_EQ(Hex(first.digest), SpawnRun(kSeed).facts.at("DIGEST"));
}

// The limitation, pinned: GnuTLS's generator never forgets (a reseed XORs
// the new key into the old stream), so a second Install on a thread that
// already ran does not replay, and Install says so.
TEST(DeterministicProcessTest, ASecondInstallOnTheSameThreadDoesNotReplay) {
  RunResult first, second;
  std::thread([&] {
    first = HandshakeTransferRun::Run(Seeded(kSeed));
    second = HandshakeTransferRun::Run(Seeded(kSeed));
  }).join();
  ASSERT_EQ(first.status, RunStatus::kOk);
  ASSERT_EQ(second.status, RunStatus::kOk);
  EXPECT_EQ(*first.install, InstallResult::kInstalled);
  EXPECT_EQ(*second.install, InstallResult::kGnutlsSeededBeforeInstall);
  EXPECT_NE(first.digest, second.digest);
  // What OpenSSL draws does replay: the certificates are the same.
  EXPECT_EQ(first.certificates_digest, second.certificates_digest);
}

// GnuTLS's generator on a fresh thread, installed with a clock whose wall
// time starts at `wall_start`.
std::array<uint8_t, 16> FirstGnutlsDraw(uint64_t seed, UnixTime wall_start) {
  std::array<uint8_t, 16> bytes{};
  std::thread([&] {
    EventQueue queue;
    SimClock clock(queue, wall_start);
    EXPECT_EQ(DeterministicProcess::Install(seed, clock), InstallResult::kInstalled);
    EXPECT_EQ(gnutls_rnd(GNUTLS_RND_NONCE, bytes.data(), bytes.size()), 0);
    DeterministicProcess::Uninstall();
  }).join();
  return bytes;
}

// GnuTLS keys its ChaCha nonce on the current second when a generator is
// first seeded: with the gettime hook that is the simulation's second,
// otherwise the machine's (and two runs a second apart would differ).
TEST(DeterministicProcessTest, GnutlsTakesItsGeneratorNonceFromTheInstalledClock) {
  const UnixTime start(SimClock::kDefaultWallStart);
  const UnixTime a_day_later = start + std::chrono::hours(24);
  EXPECT_EQ(FirstGnutlsDraw(kSeed, start), FirstGnutlsDraw(kSeed, start));
  EXPECT_NE(FirstGnutlsDraw(kSeed, start), FirstGnutlsDraw(kSeed, a_day_later));
}

// GnuTLS also reseeds by age (gnutls_time): in virtual time, from the
// seeded stream, so long simulations stay deterministic.
TEST(DeterministicProcessTest, GnutlsReseedsByVirtualTimeFromTheSeededStream) {
  std::thread([] {
    EventQueue queue;
    SimClock clock(queue);
    ASSERT_EQ(DeterministicProcess::Install(kSeed, clock), InstallResult::kInstalled);
    uint8_t bytes[16];
    ASSERT_EQ(gnutls_rnd(GNUTLS_RND_RANDOM, bytes, sizeof(bytes)), 0);
    const uint64_t seeded = DeterministicProcess::stats().getrandom_bytes;
    queue.RunUntil(queue.Now() + kGnutlsRandomReseedAge);  // Not yet older than the limit.
    ASSERT_EQ(gnutls_rnd(GNUTLS_RND_RANDOM, bytes, sizeof(bytes)), 0);
    EXPECT_EQ(DeterministicProcess::stats().getrandom_bytes, seeded);
    queue.RunUntil(queue.Now() + std::chrono::seconds(1));
    ASSERT_EQ(gnutls_rnd(GNUTLS_RND_RANDOM, bytes, sizeof(bytes)), 0);
    EXPECT_EQ(DeterministicProcess::stats().getrandom_bytes, seeded + kGnutlsReseedBytes);
    DeterministicProcess::Uninstall();
  }).join();
}

std::array<uint8_t, 16> GetrandomBytes() {
  std::array<uint8_t, 16> bytes{};
  EXPECT_EQ(getrandom(bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size()));
  return bytes;
}

std::array<uint8_t, 16> InstalledGetrandom(uint64_t seed) {
  std::array<uint8_t, 16> bytes{};
  std::thread([&] {
    EventQueue queue;
    SimClock clock(queue);
    EXPECT_EQ(DeterministicProcess::Install(seed, clock), InstallResult::kInstalled);
    bytes = GetrandomBytes();
    DeterministicProcess::Uninstall();
  }).join();
  return bytes;
}

TEST(DeterministicProcessTest, InstalledGetrandomIsTheSeededStream) {
  EXPECT_EQ(InstalledGetrandom(kSeed), InstalledGetrandom(kSeed));
  EXPECT_NE(InstalledGetrandom(kSeed), InstalledGetrandom(kOtherSeed));
}

TEST(DeterministicProcessTest, UninstalledInterposersAreTheKernels) {
  EXPECT_NE(GetrandomBytes(), GetrandomBytes());
  std::array<uint8_t, 16> nonblocking{};
  EXPECT_EQ(getrandom(nonblocking.data(), nonblocking.size(), GRND_NONBLOCK),
            static_cast<ssize_t>(nonblocking.size()));
  std::array<uint8_t, 32> a{}, b{};
  EXPECT_EQ(getentropy(a.data(), a.size()), 0);
  EXPECT_EQ(getentropy(b.data(), b.size()), 0);
  EXPECT_NE(a, b);
  std::array<uint8_t, 257> too_many{};
  errno = 0;
  EXPECT_EQ(getentropy(too_many.data(), too_many.size()), -1);
  EXPECT_EQ(errno, EIO);
  // And again after an Install/Uninstall cycle.
  const std::array<uint8_t, 16> seeded = InstalledGetrandom(kSeed);
  const std::array<uint8_t, 16> after = GetrandomBytes();
  EXPECT_NE(after, seeded);
  EXPECT_NE(after, GetrandomBytes());
}

}  // namespace
}  // namespace p2pquic::sim

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PATH_TO_deterministic_run\n", argv[0]);
    return 2;
  }
  p2pquic::sim::g_helper = argv[1];
  return RUN_ALL_TESTS();
}
