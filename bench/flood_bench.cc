// flood_bench: issue 11's flood-defence numbers against a real
// `p2pquic-node listen` subprocess, with the spoofing flood generator
// (testing/flood, a raw socket: run as root). Not a timed test: it prints
// one line per measurement, each with its ratio against a baseline measured
// in the same run.
//
//   vn:    Version Negotiation replies drawn by unsupported-version
//          1200-byte datagrams: a slow baseline under the budget, then
//          --vn-datagrams flat out from many sources (replies counted on
//          the wire by a raw UDP receive socket).
//   reset: a node restarted with the same --identity while a `p2pquic-node
//          ping` still holds its connection: time from the restart to the
//          ping's close by "stateless reset", idle and during a junk
//          short-header spray from 1 and from --spray-prefixes prefixes.
//   initial: --handshakes legitimate dials (spaced) against an idle node,
//          then during a flood replaying one captured client Initial from
//          --flood-sources distinct addresses flat out: completed share,
//          p50/p99 handshake time, the node's VmRSS/VmHWM during the flood.
//          Extra node arguments: --node-arg=... (repeatable).
//
// Every wait is bounded; every node and ping is killed by PID (Subprocess).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_host.h"
#include "bench/bench_stats.h"
#include "bench/subprocess.h"
#include "node/node_runtime.h"
#include "testing/flood/flood_generator.h"
#include "transport/host/libp2p_host.h"
#include "transport/identity/key_type.h"
#include "transport/identity/private_key.h"
#include "transport/multiaddr/multiaddr.h"

namespace p2pquic::bench {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::FloodGenerator;
using testing::FloodPayload;
using testing::FloodResult;
using testing::FloodSettings;
using testing::FloodStatus;

constexpr auto kNodeStartTimeout = milliseconds(10000);
constexpr auto kKeygenTimeout = milliseconds(10000);
constexpr auto kPingStartTimeout = milliseconds(10000);
// Longer than the 30 s idle timeout: a ping that never meets its reset
// ends by the idle timeout, and that is a result too.
constexpr auto kResetWaitLimit = milliseconds(40000);
// Replies still in flight when a spray stops.
constexpr auto kReplySettle = milliseconds(500);
// The spray runs this long before the restart, so the budgets are spent.
constexpr auto kSprayLead = milliseconds(1000);
constexpr auto kSprayLimit = kResetWaitLimit + milliseconds(5000);
// A dial not done this long after the last one started has failed (the
// handshake timeout is 10 s).
constexpr auto kDialGrace = milliseconds(15000);
constexpr auto kCaptureTimeout = milliseconds(3000);
constexpr auto kRssSampleEvery = milliseconds(100);
constexpr auto kFloodLead = milliseconds(1000);
// The VN baseline: few enough datagrams, slow enough and from enough
// prefixes to stay inside every budget (64/s, 4/s per prefix).
constexpr uint64_t kVnBaselineDatagrams = 60;
constexpr double kVnBaselineRate = 30;
constexpr size_t kJunkSize = 1200;
constexpr size_t kShortJunkSize = 60;  // Above the 29-byte reset size.
constexpr uint32_t kVnFloodPrefixes = 1000;
constexpr size_t kMaxIpPacket = 65536;

struct Config {
  std::string node;
  std::vector<std::string> node_args;
  std::vector<std::string> only;
  uint64_t vn_datagrams = 50000;
  uint32_t spray_prefixes = 4096;
  uint64_t spray_sources = 50000;
  double spray_rate = 0;  // 0: flat out.
  int handshakes = 50;
  int spacing_ms = 100;
  uint64_t flood_sources = 50000;
  double flood_rate = 0;
  std::string work = "/tmp";
};

double Ms(steady_clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// VmRSS and VmHWM of `pid` in KiB (0 when unreadable).
struct Rss {
  int64_t rss_kib = 0;
  int64_t hwm_kib = 0;
};
Rss ReadRss(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  Rss rss;
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) rss.rss_kib = std::atoll(line.c_str() + 6);
    if (line.rfind("VmHWM:", 0) == 0) rss.hwm_kib = std::atoll(line.c_str() + 6);
  }
  return rss;
}

// A `p2pquic-node listen` child on 127.0.0.1.
class Node {
 public:
  bool Start(const Config& config, uint16_t port, const std::string& identity, std::string* error) {
    std::vector<std::string> argv = {config.node, "listen",
                                     "/ip4/127.0.0.1/udp/" + std::to_string(port) + "/quic-v1"};
    if (!identity.empty()) argv.insert(argv.end(), {"--identity", identity});
    argv.insert(argv.end(), config.node_args.begin(), config.node_args.end());
    process_ = Subprocess::Spawn(argv, {}, error);
    if (process_ == nullptr) return false;
    std::string line;
    const auto deadline = steady_clock::now() + kNodeStartTimeout;
    while (steady_clock::now() < deadline) {
      if (!process_->ReadLine(&line, kNodeStartTimeout)) break;
      if (line.rfind("LISTEN ", 0) == 0) {
        address_ = line.substr(7);
        const size_t udp = address_.find("/udp/");
        port_ = static_cast<uint16_t>(std::atoi(address_.c_str() + udp + 5));
        return true;
      }
    }
    *error = "the node did not print LISTEN";
    return false;
  }
  void Kill() {
    if (process_ == nullptr) return;
    process_->Signal(SIGKILL);
    process_->Wait(milliseconds(5000));
    process_.reset();
  }
  pid_t pid() const { return process_->pid(); }
  const std::string& address() const { return address_; }
  uint16_t port() const { return port_; }

 private:
  std::unique_ptr<Subprocess> process_;
  std::string address_;
  uint16_t port_ = 0;
};

// A flood on a thread of its own, stopped (and joined) by Stop or the
// destructor.
class FloodThread {
 public:
  explicit FloodThread(const FloodSettings& settings)
      : thread_([this, settings] { result_ = FloodGenerator(settings).Run(&stop_); }) {}
  ~FloodThread() { Stop(); }
  const FloodResult& Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return result_;
  }

 private:
  std::atomic<bool> stop_{false};
  FloodResult result_;
  std::thread thread_;
};

// Counts Version Negotiation packets from 127.0.0.1:<port> on the wire: a
// raw UDP socket sees every UDP datagram delivered on this host, including
// the node's answers to spoofed sources (which no socket receives).
class VnCounter {
 public:
  explicit VnCounter(uint16_t node_port) : node_port_(node_port) {
    fd_ = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
    if (fd_ >= 0) {
      const int buffer = 64 << 20;
      setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof(buffer));
      thread_ = std::thread([this] { Loop(); });
    }
  }
  ~VnCounter() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  uint64_t count() const { return count_; }

 private:
  void Loop() {
    std::vector<uint8_t> packet(kMaxIpPacket);
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      const ssize_t n = recv(fd_, packet.data(), packet.size(), MSG_DONTWAIT);
      if (n < static_cast<ssize_t>(sizeof(iphdr) + sizeof(udphdr) + 5)) continue;
      const iphdr* ip = reinterpret_cast<const iphdr*>(packet.data());
      const size_t header = ip->ihl * 4u;
      const udphdr* udp = reinterpret_cast<const udphdr*>(packet.data() + header);
      const uint8_t* quic = packet.data() + header + sizeof(udphdr);
      if (ntohs(udp->source) != node_port_) continue;
      // Long form, version 0: Version Negotiation (RFC 8999 §6).
      if ((quic[0] & 0x80) != 0 && (quic[1] | quic[2] | quic[3] | quic[4]) == 0) ++count_;
    }
  }

  uint16_t node_port_;
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> count_{0};
  std::thread thread_;
};

FloodSettings Spray(uint16_t port, FloodPayload payload, uint64_t sources, uint32_t prefixes) {
  FloodSettings s;
  s.target = SocketAddress::Loopback4(port);
  s.payload = payload;
  s.sources = sources;
  s.prefixes = std::min<uint64_t>(prefixes, sources);
  return s;
}

bool Fail(const std::string& what) {
  std::printf("ERROR %s\n", what.c_str());
  std::fflush(stdout);
  return false;
}

// --- vn ---

bool MeasureVersionNegotiation(const Config& config) {
  Node node;
  std::string error;
  if (!node.Start(config, 0, "", &error)) return Fail(error);
  VnCounter counter(node.port());
  if (!counter.ok()) return Fail(std::string("raw UDP socket: ") + std::strerror(errno));
  std::this_thread::sleep_for(milliseconds(100));

  FloodSettings slow = Spray(node.port(), FloodPayload::kUnsupportedVersion, kVnBaselineDatagrams,
                             kVnBaselineDatagrams);
  slow.size = kJunkSize;
  slow.count = kVnBaselineDatagrams;
  slow.per_second = kVnBaselineRate;
  slow.max_duration = milliseconds(10000);
  const FloodResult baseline = FloodGenerator(slow).Run();
  if (baseline.status != FloodStatus::kOk) return Fail(baseline.error);
  std::this_thread::sleep_for(kReplySettle);
  const uint64_t baseline_replies = counter.count();
  const double baseline_ratio = static_cast<double>(baseline_replies) / baseline.sent;
  std::printf(
      "vn baseline: %llu datagrams at %.0f/s from %llu prefixes drew %llu replies "
      "(%.3f per datagram)\n",
      static_cast<unsigned long long>(baseline.sent), kVnBaselineRate,
      static_cast<unsigned long long>(kVnBaselineDatagrams),
      static_cast<unsigned long long>(baseline_replies), baseline_ratio);

  std::this_thread::sleep_for(milliseconds(1500));  // Budgets full again.
  FloodSettings fast =
      Spray(node.port(), FloodPayload::kUnsupportedVersion, config.vn_datagrams, kVnFloodPrefixes);
  fast.size = kJunkSize;
  fast.count = config.vn_datagrams;
  fast.per_second = config.spray_rate;
  fast.max_duration = milliseconds(60000);
  const FloodResult flood = FloodGenerator(fast).Run();
  if (flood.status != FloodStatus::kOk) return Fail(flood.error);
  std::this_thread::sleep_for(kReplySettle);
  const uint64_t replies = counter.count() - baseline_replies;
  const double seconds = std::chrono::duration<double>(flood.elapsed).count();
  const double ratio = static_cast<double>(replies) / flood.sent;
  std::printf(
      "vn flood: %llu datagrams in %.2f s (%.0f/s) from %llu sources over %u prefixes "
      "drew %llu replies (%.4f per datagram, %.4fx the baseline; issue 11 measured "
      "24791 for 50000 before the limit)\n",
      static_cast<unsigned long long>(flood.sent), seconds, flood.sent / seconds,
      static_cast<unsigned long long>(config.vn_datagrams), kVnFloodPrefixes,
      static_cast<unsigned long long>(replies), ratio,
      baseline_ratio > 0 ? ratio / baseline_ratio : 0.0);
  std::fflush(stdout);
  node.Kill();
  return true;
}

// --- reset ---

struct ResetRun {
  bool reset = false;  // The ping ended by a stateless reset.
  double ms = 0;       // Restart (LISTEN) to the ping's end.
  std::string last_line;
  uint64_t sprayed = 0;
  double spray_seconds = 0;
};

// `prefixes` 0: no spray.
bool TimeResetAfterRestart(const Config& config, const std::string& identity, uint32_t prefixes,
                           ResetRun* run) {
  Node node;
  std::string error;
  if (!node.Start(config, 0, identity, &error)) return Fail(error);
  Subprocess::Options options;
  options.merge_stderr = true;
  auto ping = Subprocess::Spawn({config.node, "ping", node.address(), "--count", "100000",
                                 "--interval", "0.1", "--timeout", "60"},
                                options, &error);
  if (ping == nullptr) return Fail(error);
  std::string line;
  int pings = 0;
  const auto ping_deadline = steady_clock::now() + kPingStartTimeout;
  while (pings < 3 && steady_clock::now() < ping_deadline) {
    if (!ping->ReadLine(&line, kPingStartTimeout)) break;
    if (line.rfind("PING ", 0) == 0) ++pings;
  }
  if (pings < 3) return Fail("the ping did not start: " + line);

  std::unique_ptr<FloodThread> spray;
  if (prefixes > 0) {
    FloodSettings s =
        Spray(node.port(), FloodPayload::kShortHeader, config.spray_sources, prefixes);
    s.size = kShortJunkSize;
    s.per_second = config.spray_rate;
    s.max_duration = std::chrono::duration_cast<milliseconds>(kSprayLimit);
    spray = std::make_unique<FloodThread>(s);
    std::this_thread::sleep_for(kSprayLead);
  }
  const uint16_t port = node.port();
  node.Kill();
  Node restarted;
  if (!restarted.Start(config, port, identity, &error)) return Fail("restart: " + error);
  const auto start = steady_clock::now();
  const auto deadline = start + kResetWaitLimit;
  while (steady_clock::now() < deadline) {
    if (!ping->ReadLine(&line, milliseconds(200))) {
      if (ping->output_ended()) break;
      continue;
    }
    run->last_line = line;
    if (line.find("stateless reset") != std::string::npos) {
      run->reset = true;
      break;
    }
  }
  run->ms = Ms(steady_clock::now() - start);
  if (spray) {
    const FloodResult& result = spray->Stop();
    if (result.status != FloodStatus::kOk) return Fail(result.error);
    run->sprayed = result.sent;
    run->spray_seconds = std::chrono::duration<double>(result.elapsed).count();
  }
  restarted.Kill();
  ping->Signal(SIGKILL);
  ping->Wait(milliseconds(5000));
  return true;
}

bool MeasureResets(const Config& config) {
  const std::string identity = config.work + "/flood_bench_" + std::to_string(getpid()) + ".key";
  const CommandResult keygen =
      RunCommand({config.node, "keygen", "--force", "-o", identity}, kKeygenTimeout);
  if (keygen.exit_status != 0) return Fail("keygen: " + keygen.output);
  ResetRun idle;
  if (!TimeResetAfterRestart(config, identity, 0, &idle)) return false;
  std::printf("reset idle: %s after %.0f ms (%s)\n", idle.reset ? "closed by reset" : "NO RESET",
              idle.ms, idle.last_line.c_str());
  std::fflush(stdout);
  for (uint32_t prefixes : {1u, config.spray_prefixes}) {
    ResetRun sprayed;
    if (!TimeResetAfterRestart(config, identity, prefixes, &sprayed)) return false;
    std::printf(
        "reset spray %u prefixes: %s after %.0f ms (%.2fx idle) under %llu junk short "
        "headers (%.0f/s) from %llu sources (%s)\n",
        prefixes, sprayed.reset ? "closed by reset" : "NO RESET", sprayed.ms,
        idle.ms > 0 ? sprayed.ms / idle.ms : 0.0, static_cast<unsigned long long>(sprayed.sprayed),
        sprayed.spray_seconds > 0 ? sprayed.sprayed / sprayed.spray_seconds : 0.0,
        static_cast<unsigned long long>(std::min<uint64_t>(config.spray_sources, sprayed.sprayed)),
        sprayed.last_line.c_str());
    std::fflush(stdout);
  }
  unlink(identity.c_str());
  return true;
}

// --- initial ---

// The first datagram a p2pquic client sends when it dials: its Initial,
// caught by a plain UDP socket that never answers.
bool CaptureInitial(std::vector<uint8_t>* initial, std::string* error) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    *error = "capture socket";
    return false;
  }
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(local);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) {
    close(fd);
    *error = "capture bind";
    return false;
  }
  bool ok = false;
  {
    node::NodeRuntime runtime;
    BenchHost dialer;
    if (MakeBenchHost(runtime, BenchRole::kDialer, &dialer, error)) {
      Multiaddr target;
      const std::string text =
          "/ip4/127.0.0.1/udp/" + std::to_string(ntohs(local.sin_port)) + "/quic-v1";
      if (Multiaddr::Parse(text, &target).ok()) {
        dialer.host->Connect(
            target, [](ConnectionHandle, const PeerId*, const std::string&) {}, true);
        std::vector<uint8_t> buffer(2048);
        runtime.RunUntil(
            [&] {
              const ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
              if (n <= 0) return false;
              initial->assign(buffer.begin(), buffer.begin() + n);
              return true;
            },
            kCaptureTimeout);
        ok = !initial->empty();
        if (!ok) *error = "the dialer sent nothing";
      } else {
        *error = "bad capture address " + text;
      }
    }
  }
  close(fd);
  return ok;
}

struct DialRound {
  int started = 0;
  int completed = 0;
  std::vector<double> ms;
  Rss peak;
};

// `count` dials `spacing` apart without waiting for each other; each
// connection is closed once ready. Samples the node's RSS meanwhile.
DialRound Dial(const Config& config, node::NodeRuntime& runtime, Libp2pHost& dialer,
               const Multiaddr& target, pid_t node_pid) {
  DialRound round;
  struct Pending {
    steady_clock::time_point start;
    bool done = false;
  };
  auto pending = std::make_shared<std::vector<Pending>>(config.handshakes);
  int finished = 0;
  const auto spacing = milliseconds(config.spacing_ms);
  auto next_rss = steady_clock::now();
  const auto first = steady_clock::now();
  const auto deadline = first + spacing * config.handshakes + kDialGrace;
  while (steady_clock::now() < deadline && finished < config.handshakes) {
    const auto now = steady_clock::now();
    if (round.started < config.handshakes && now >= first + spacing * round.started) {
      const int i = round.started++;
      (*pending)[i].start = steady_clock::now();
      dialer.Connect(
          target, [&, pending, i](ConnectionHandle handle, const PeerId* peer, const std::string&) {
            if ((*pending)[i].done) return;
            (*pending)[i].done = true;
            ++finished;
            if (peer != nullptr) {
              ++round.completed;
              round.ms.push_back(Ms(steady_clock::now() - (*pending)[i].start));
              dialer.Disconnect(handle);
            }
          });
    }
    if (now >= next_rss) {
      const Rss rss = ReadRss(node_pid);
      round.peak.rss_kib = std::max(round.peak.rss_kib, rss.rss_kib);
      round.peak.hwm_kib = std::max(round.peak.hwm_kib, rss.hwm_kib);
      next_rss = now + kRssSampleEvery;
    }
    runtime.RunUntil([] { return false; }, milliseconds(5));
  }
  // Callbacks must not outlive this frame: close what is left.
  dialer.DisconnectAll();
  runtime.RunUntil([&] { return dialer.connection_count() == 0; }, milliseconds(3000));
  for (Pending& p : *pending) p.done = true;
  return round;
}

void PrintRound(const char* name, const DialRound& round, const DialRound* idle) {
  const double p50 = Percentile(round.ms, 50);
  const double p99 = Percentile(round.ms, 99);
  std::printf("initial %s: %d/%d handshakes completed (%.1f%%), p50 %.1f ms p99 %.1f ms", name,
              round.completed, round.started,
              round.started > 0 ? 100.0 * round.completed / round.started : 0.0, p50, p99);
  if (idle != nullptr) {
    const double idle_p50 = Percentile(idle->ms, 50);
    const double idle_p99 = Percentile(idle->ms, 99);
    std::printf(" (%.2fx / %.2fx idle)", idle_p50 > 0 ? p50 / idle_p50 : 0.0,
                idle_p99 > 0 ? p99 / idle_p99 : 0.0);
  }
  std::printf(", node VmRSS peak %lld KiB, VmHWM %lld KiB\n",
              static_cast<long long>(round.peak.rss_kib),
              static_cast<long long>(round.peak.hwm_kib));
  std::fflush(stdout);
}

bool MeasureInitialFlood(const Config& config) {
  std::vector<uint8_t> initial;
  std::string error;
  if (!CaptureInitial(&initial, &error)) return Fail("capture: " + error);
  std::printf("initial: captured a %zu-byte client Initial\n", initial.size());
  Node node;
  if (!node.Start(config, 0, "", &error)) return Fail(error);
  Multiaddr target;
  if (!Multiaddr::Parse(node.address(), &target).ok()) return Fail("bad " + node.address());
  node::NodeRuntime runtime;
  BenchHost dialer;
  if (!MakeBenchHost(runtime, BenchRole::kDialer, &dialer, &error)) return Fail(error);
  const DialRound idle = Dial(config, runtime, *dialer.host, target, node.pid());
  PrintRound("idle", idle, nullptr);

  FloodSettings s =
      Spray(node.port(), FloodPayload::kCapturedInitial, config.flood_sources,
            static_cast<uint32_t>((config.flood_sources + testing::kHostsPerPrefix - 1) /
                                  testing::kHostsPerPrefix));
  s.initial = initial;
  s.per_second = config.flood_rate;
  s.max_duration = std::chrono::duration_cast<milliseconds>(
      kFloodLead + milliseconds(config.spacing_ms) * config.handshakes + kDialGrace +
      milliseconds(5000));
  FloodThread flood(s);
  std::this_thread::sleep_for(kFloodLead);
  const DialRound flooded = Dial(config, runtime, *dialer.host, target, node.pid());
  const FloodResult& result = flood.Stop();
  if (result.status != FloodStatus::kOk) return Fail(result.error);
  const double seconds = std::chrono::duration<double>(result.elapsed).count();
  PrintRound("flood", flooded, &idle);
  std::printf("initial load: %llu replayed Initials in %.1f s (%.0f/s) from %llu sources\n",
              static_cast<unsigned long long>(result.sent), seconds, result.sent / seconds,
              static_cast<unsigned long long>(config.flood_sources));
  std::string args;
  for (const std::string& a : config.node_args) args += " " + a;
  std::printf("initial node args:%s\n", args.empty() ? " (none)" : args.c_str());
  std::fflush(stdout);
  node.Kill();
  return true;
}

bool Wanted(const Config& config, const std::string& part) {
  return config.only.empty() ||
         std::find(config.only.begin(), config.only.end(), part) != config.only.end();
}

}  // namespace
}  // namespace p2pquic::bench

int main(int argc, char** argv) {
  using p2pquic::bench::Config;
  Config config;
  config.node = p2pquic::bench::SelfDir() + "/flood_bench.runfiles/p2pquic/node/p2pquic-node";
  CLI::App app{
      "flood_bench: Version Negotiation and stateless-reset budgets, and an Initial "
      "replay flood, against a real p2pquic-node (needs root: raw sockets)"};
  app.add_option("--node", config.node, "p2pquic-node binary");
  app.add_option("--node-arg", config.node_args,
                 "extra argument for `p2pquic-node listen` in the initial measurement "
                 "(repeatable), e.g. --node-arg=--retry --node-arg=auto");
  app.add_option("--only", config.only, "vn, reset, initial (default: all)")->delimiter(',');
  app.add_option("--vn-datagrams", config.vn_datagrams)->check(CLI::Range(1, 10000000));
  app.add_option("--spray-prefixes", config.spray_prefixes)
      ->check(CLI::Range(1u, p2pquic::testing::kMaxSprayPrefixes));
  app.add_option("--spray-sources", config.spray_sources)->check(CLI::Range(1, 10000000));
  app.add_option("--spray-rate", config.spray_rate, "datagrams/s, 0: flat out")
      ->check(CLI::Range(0.0, 1e8));
  app.add_option("--handshakes", config.handshakes)->check(CLI::Range(1, 10000));
  app.add_option("--spacing-ms", config.spacing_ms)->check(CLI::Range(1, 10000));
  app.add_option("--flood-sources", config.flood_sources)->check(CLI::Range(1, 10000000));
  app.add_option("--flood-rate", config.flood_rate, "datagrams/s, 0: flat out")
      ->check(CLI::Range(0.0, 1e8));
  app.add_option("--work", config.work, "directory for the identity key file");
  CLI11_PARSE(app, argc, argv);
  if (access(config.node.c_str(), X_OK) != 0) {
    std::printf("ERROR p2pquic-node not found at %s (pass --node)\n", config.node.c_str());
    return 1;
  }
  if (geteuid() != 0) {
    std::printf("ERROR flood_bench needs root (raw sockets to spoof sources on loopback)\n");
    return 1;
  }
  bool ok = true;
  if (p2pquic::bench::Wanted(config, "vn")) ok &= p2pquic::bench::MeasureVersionNegotiation(config);
  if (p2pquic::bench::Wanted(config, "reset")) ok &= p2pquic::bench::MeasureResets(config);
  if (p2pquic::bench::Wanted(config, "initial")) ok &= p2pquic::bench::MeasureInitialFlood(config);
  return ok ? 0 : 1;
}
