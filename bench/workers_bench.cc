// workers_bench: issue 11 section 4, the multi-worker node measured against
// real `p2pquic-node listen` subprocesses. Not a timed test: it prints one
// line per measurement, each with its ratio against a baseline measured in
// the same run, and with --json one JSON line with every number.
//
// Nodes (one subprocess each, killed by PID, every wait bounded):
//   w1:        --workers 1 (steering "none"): the baseline.
//   w2-kernel: --workers 2 --steering kernel (the reuseport program; the
//              bench fails loudly if it cannot attach).
//   w2-user:   --workers 2 --steering user (user-space forwarding).
//
// Measurements:
//   handshakes close / ping: for --duration seconds, --generator-threads
//     threads each keep --in-flight dials going: connect, then close at
//     once (close) or after one /ipfs/ping/1.0.0 round trip (ping).
//     Handshakes/s, w2-kernel against w1; the node's CPU seconds
//     (utime+stime from /proc/PID/stat) per handshake and their ratio; the
//     generator's CPU and the machine's idle share, and a verdict on who
//     was the bottleneck.
//   goodput download / upload: --connections connections (spread over the
//     generator threads), each moving --goodput-mb MB over /perf/1.0.0 at
//     once, from the node (download) or to it (upload: the direction where
//     the node receives the bulk, so the one steering acts on).
//     Aggregate MB/s and the node's CPU seconds per GB, w2-kernel against
//     w1.
//   steering: w2-kernel against w2-user on the same goodput and handshake
//     loads: datagrams/s through the node (received + sent, from its
//     metrics), the node's CPU microseconds per datagram, and how many
//     datagrams a worker forwarded to another (p2pquic_steering_datagrams_
//     total{path="forwarded_out"}).
//
// Why the generator is in-process, on threads: each thread has its own
// Asio runtime and Libp2pHost (its own UDP socket, so its own 4-tuple), the
// same layout as the node's workers, and keeps several dials in flight, so
// the load is not bound by one round trip at a time. On the 2-core machine
// the generator competes with the node for the same cores; the verdict
// line says so when it did.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
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
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_host.h"
#include "bench/bench_stats.h"
#include "bench/subprocess.h"
#include "node/node_runtime.h"
#include "transport/host/libp2p_host.h"
#include "transport/host/perf_client_handler.h"
#include "transport/host/ping_client.h"
#include "transport/identity/key_type.h"
#include "transport/identity/private_key.h"
#include "transport/multiaddr/multiaddr.h"

namespace p2pquic::bench {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// The protocol IDs (transport/protocols is not visible to bench/).
const char kPerfProtocol[] = "/perf/1.0.0";
const char kPingProtocol[] = "/ipfs/ping/1.0.0";
constexpr auto kNodeStartTimeout = milliseconds(10000);
constexpr auto kNodeStopTimeout = milliseconds(5000);
// Workers export their metrics once a second (node_worker.cc): a scrape
// this long after the load stopped sees all of it.
constexpr auto kMetricsSettle = milliseconds(1200);
constexpr auto kHttpTimeout = milliseconds(3000);
constexpr size_t kMaxMetricsBytes = 8 << 20;
// Dials still in flight when the duration ends get this long to finish
// (the QUIC handshake timeout is 10 s; loopback handshakes take ~2 ms).
constexpr auto kDrainLimit = milliseconds(3000);
// Closing takes 3 PTOs (RFC 9000 §10.2), tens of ms on loopback.
constexpr auto kCloseGrace = milliseconds(3000);
constexpr auto kConnectLimit = milliseconds(10000);
constexpr auto kPerfLimit = milliseconds(120000);
// One loop step of a generator thread at most, so deadlines are seen.
constexpr auto kStep = milliseconds(20);
constexpr auto kGoPoll = milliseconds(1);
constexpr double kBytesPerMegabyte = 1e6;
constexpr double kBytesPerGigabyte = 1e9;
// Shares of a core above which a process counts as saturating it.
constexpr double kSaturated = 0.9;

double Seconds(steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }
double Ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

// --- CPU accounting ---

// utime + stime of `pid` (all its threads) in seconds; -1 when unreadable.
double ProcessCpuSeconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The command name (field 2) may hold spaces: fields count from its ')'.
  const size_t paren = text.rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream fields(text.substr(paren + 2));
  std::string field;
  // After ')': state is field 3; utime and stime are fields 14 and 15.
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double SelfCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto s = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return s(usage.ru_utime) + s(usage.ru_stime);
}

// The machine's CPU time (all cores) and its idle part, in clock ticks.
struct MachineCpu {
  double total = 0;
  double idle = 0;
};
MachineCpu ReadMachineCpu() {
  std::ifstream stat("/proc/stat");
  std::string cpu;
  MachineCpu m;
  stat >> cpu;  // "cpu": the sum over cores.
  for (int i = 0; i < 10; ++i) {
    double v = 0;
    if (!(stat >> v)) break;
    m.total += v;
    if (i == 3 || i == 4) m.idle += v;  // idle, iowait.
  }
  return m;
}

// --- metrics over HTTP ---

// A free TCP port on 127.0.0.1 for the node's --metrics (0 on failure).
// Racy by nature (another process may take it); the node then fails to
// start and says so.
uint16_t FreeTcpPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

// GET http://127.0.0.1:<port>/metrics (HTTP/1.0: the server closes at the
// end). The body, or nullopt with `*error`.
std::optional<std::string> ScrapeMetrics(uint16_t port, std::string* error) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    *error = std::string("metrics socket: ") + std::strerror(errno);
    return std::nullopt;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  const timeval timeout{std::chrono::duration_cast<std::chrono::seconds>(kHttpTimeout).count(), 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    *error = "metrics connect to port " + std::to_string(port) + ": " + std::strerror(errno);
    close(fd);
    return std::nullopt;
  }
  const std::string request = "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    *error = "metrics request not sent";
    close(fd);
    return std::nullopt;
  }
  const auto deadline = steady_clock::now() + kHttpTimeout;
  char buffer[65536];
  while (steady_clock::now() < deadline && response.size() < kMaxMetricsBytes) {
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    response.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  const size_t body = response.find("\r\n\r\n");
  if (response.rfind("HTTP/1.", 0) != 0 || response.find(" 200 ") == std::string::npos ||
      body == std::string::npos) {
    *error = "metrics: no 200 response (" + response.substr(0, 40) + ")";
    return std::nullopt;
  }
  return response.substr(body + 4);
}

// Sums the samples of `name` whose labels contain every `key="value"` of
// `labels`, per worker label (key "" for series without one).
std::map<std::string, double> SumByWorker(const std::string& text, const std::string& name,
                                          const std::vector<std::string>& labels) {
  std::map<std::string, double> sums;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#' || line.rfind(name, 0) != 0) continue;
    const char next = line.size() > name.size() ? line[name.size()] : '\0';
    if (next != '{' && next != ' ') continue;
    std::string label_text;
    size_t value_at = name.size() + 1;
    if (next == '{') {
      const size_t close_brace = line.find('}', name.size());
      if (close_brace == std::string::npos) continue;
      label_text = line.substr(name.size(), close_brace - name.size() + 1);
      value_at = close_brace + 2;
    }
    if (!std::all_of(labels.begin(), labels.end(), [&](const std::string& l) {
          return label_text.find(l) != std::string::npos;
        })) {
      continue;
    }
    std::string worker;
    if (const size_t w = label_text.find("worker=\""); w != std::string::npos) {
      worker = label_text.substr(w + 8, label_text.find('"', w + 8) - (w + 8));
    }
    if (value_at < line.size()) sums[worker] += std::atof(line.c_str() + value_at);
  }
  return sums;
}

double Sum(const std::map<std::string, double>& by_worker) {
  double total = 0;
  for (const auto& [worker, value] : by_worker) total += value;
  return total;
}

// The node counters this bench reads, summed over workers.
struct NodeCounters {
  std::map<std::string, double> handshakes_by_worker;
  double handshakes = 0;
  double datagrams_received = 0;
  double datagrams_sent = 0;
  double forwarded_out = 0;
  double forward_drops = 0;
  double retries = 0;
};

NodeCounters ParseCounters(const std::string& text) {
  NodeCounters c;
  c.handshakes_by_worker = SumByWorker(text, "p2pquic_endpoint_handshakes_completed_total", {});
  c.handshakes = Sum(c.handshakes_by_worker);
  c.datagrams_received =
      Sum(SumByWorker(text, "p2pquic_endpoint_datagrams_total", {"direction=\"received\""}));
  c.datagrams_sent =
      Sum(SumByWorker(text, "p2pquic_endpoint_datagrams_total", {"direction=\"sent\""}));
  c.forwarded_out =
      Sum(SumByWorker(text, "p2pquic_steering_datagrams_total", {"path=\"forwarded_out\""}));
  c.forward_drops = Sum(SumByWorker(text, "p2pquic_steering_forward_queue_drops_total", {}));
  c.retries = Sum(SumByWorker(text, "p2pquic_endpoint_retries_sent_total", {}));
  return c;
}

NodeCounters Minus(const NodeCounters& after, const NodeCounters& before) {
  NodeCounters d = after;
  for (auto& [worker, value] : d.handshakes_by_worker) {
    const auto it = before.handshakes_by_worker.find(worker);
    if (it != before.handshakes_by_worker.end()) value -= it->second;
  }
  d.handshakes -= before.handshakes;
  d.datagrams_received -= before.datagrams_received;
  d.datagrams_sent -= before.datagrams_sent;
  d.forwarded_out -= before.forwarded_out;
  d.forward_drops -= before.forward_drops;
  d.retries -= before.retries;
  return d;
}

// --- the node ---

struct Config {
  std::string node;
  std::vector<std::string> node_args;
  std::vector<std::string> only;
  double duration_s = 4;
  int generator_threads = 2;
  int in_flight = 4;  // Per generator thread.
  int connections = 8;
  uint64_t goodput_mb = 64;  // Per connection.
  bool json = false;
  // Rounds of all three nodes, interleaved so a neighbour's load on the
  // shared machine hits every setup alike; the summary takes medians.
  int rounds = 2;
};

struct NodeSetup {
  std::string name;  // "w1", "w2-kernel", "w2-user".
  uint32_t workers = 1;
  std::string steering;  // Empty: the node's default.
};

// A `p2pquic-node listen` child on 127.0.0.1 with /metrics.
class NodeProcess {
 public:
  bool Start(const Config& config, const NodeSetup& setup, std::string* error) {
    metrics_port_ = FreeTcpPort();
    if (metrics_port_ == 0) {
      *error = "no free TCP port for --metrics";
      return false;
    }
    std::vector<std::string> argv = {config.node,
                                     "listen",
                                     "/ip4/127.0.0.1/udp/0/quic-v1",
                                     "--workers",
                                     std::to_string(setup.workers),
                                     "--metrics",
                                     "127.0.0.1:" + std::to_string(metrics_port_)};
    if (!setup.steering.empty()) argv.insert(argv.end(), {"--steering", setup.steering});
    argv.insert(argv.end(), config.node_args.begin(), config.node_args.end());
    Subprocess::Options options;
    options.merge_stderr = true;  // A refusal's reason comes on stderr.
    process_ = Subprocess::Spawn(argv, options, error);
    if (process_ == nullptr) return false;
    std::string line, seen;
    const auto deadline = steady_clock::now() + kNodeStartTimeout;
    while (steady_clock::now() < deadline) {
      if (!process_->ReadLine(&line, kNodeStartTimeout)) break;
      seen += line + "; ";
      if (line.rfind("LISTEN ", 0) == 0 && !Multiaddr::Parse(line.substr(7), &address_).ok()) {
        *error = "bad LISTEN line: " + line;
        return false;
      }
      if (line.rfind("STEERING ", 0) == 0) steering_ = line.substr(9);
      if (line.rfind("METRICS ", 0) == 0) return true;
    }
    *error = "the node did not start (" + setup.name + "): " + seen;
    return false;
  }
  // SIGTERM (its workers close their connections), then SIGKILL.
  void Stop() {
    if (process_ == nullptr) return;
    process_->Signal(SIGTERM);
    if (!process_->Wait(kNodeStopTimeout)) {
      process_->Signal(SIGKILL);
      process_->Wait(kNodeStopTimeout);
    }
    process_.reset();
  }
  ~NodeProcess() { Stop(); }

  pid_t pid() const { return process_->pid(); }
  const Multiaddr& address() const { return address_; }
  const std::string& steering() const { return steering_; }
  uint16_t metrics_port() const { return metrics_port_; }

 private:
  std::unique_ptr<Subprocess> process_;
  Multiaddr address_;
  std::string steering_;
  uint16_t metrics_port_ = 0;
};

// Everything read at the start and end of a measurement.
struct Snapshot {
  steady_clock::time_point at;
  double node_cpu = 0;
  double self_cpu = 0;
  MachineCpu machine;
  NodeCounters counters;
};

bool TakeSnapshot(const NodeProcess& node, Snapshot* out, std::string* error) {
  const std::optional<std::string> metrics = ScrapeMetrics(node.metrics_port(), error);
  if (!metrics) return false;
  out->counters = ParseCounters(*metrics);
  out->at = steady_clock::now();
  out->node_cpu = ProcessCpuSeconds(node.pid());
  out->self_cpu = SelfCpuSeconds();
  out->machine = ReadMachineCpu();
  if (out->node_cpu < 0) {
    *error = "cannot read /proc/" + std::to_string(node.pid()) + "/stat";
    return false;
  }
  return true;
}

// The difference of two snapshots. Wall time is the load's (`load_seconds`),
// CPU is from snapshot to snapshot (it includes closing and the settle
// wait, where an idle node spends next to nothing).
struct Usage {
  double load_seconds = 0;
  // From snapshot to snapshot: the load and its closing.
  double node_cpu = 0;
  double generator_cpu = 0;
  // Over the load window alone, in cores (CPU seconds per wall second).
  double node_cores = 0;
  double generator_cores = 0;
  double machine_busy_cores = 0;  // Every process's, the lead's builds too.
  double machine_cores = 0;
  NodeCounters counters;
};

// CPU read at the start and at the end of the load itself.
struct CpuSample {
  steady_clock::time_point at;
  double node_cpu = 0;
  double self_cpu = 0;
  MachineCpu machine;
};
CpuSample SampleCpu(pid_t node) {
  return {steady_clock::now(), ProcessCpuSeconds(node), SelfCpuSeconds(), ReadMachineCpu()};
}

Usage Between(const Snapshot& before, const Snapshot& after, const CpuSample& load_start,
              const CpuSample& load_end, double load_seconds) {
  Usage u;
  u.load_seconds = load_seconds;
  u.node_cpu = after.node_cpu - before.node_cpu;
  u.generator_cpu = after.self_cpu - before.self_cpu;
  const double window = Seconds(load_end.at - load_start.at);
  u.node_cores = Ratio(load_end.node_cpu - load_start.node_cpu, window);
  u.generator_cores = Ratio(load_end.self_cpu - load_start.self_cpu, window);
  const double total = load_end.machine.total - load_start.machine.total;
  const double idle = load_end.machine.idle - load_start.machine.idle;
  u.machine_cores = static_cast<double>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  u.machine_busy_cores = total > 0 ? (total - idle) / total * u.machine_cores : 0;
  u.counters = Minus(after.counters, before.counters);
  return u;
}

double LoadAverage() {
  double one = 0;
  std::ifstream("/proc/loadavg") >> one;
  return one;
}

// --- the generator ---

enum class HandshakeKind : uint8_t { kClose, kPing };
const char* ToString(HandshakeKind kind) {
  return kind == HandshakeKind::kClose ? "close" : "ping";
}

struct HandshakeTally {
  uint64_t completed = 0;  // Before the deadline.
  uint64_t late = 0;       // Completed while draining.
  uint64_t failed = 0;
  std::vector<double> ms;
  std::string last_failure;
  std::string error;  // The thread could not run at all.
};

// One generator thread: keeps `in_flight` dials going until `deadline`.
// A dial counts when the client's handshake is done (close) or its ping
// echo is back (ping: proves the node completed the handshake, as ngtcp2
// holds a server's 1-RTT data until then). Connections are closed from the
// loop, never from inside a host callback.
void HandshakeThread(const Multiaddr& target, HandshakeKind kind, int in_flight,
                     steady_clock::time_point deadline, HandshakeTally* tally) {
  node::NodeRuntime runtime;
  BenchHost dialer;
  if (!MakeBenchHost(runtime, BenchRole::kDialer, &dialer, &tally->error)) return;
  struct Ready {
    ConnectionHandle handle;
    steady_clock::time_point began;
  };
  struct Shared {
    bool live = true;  // Callbacks after the measurement touch nothing.
    int in_flight = 0;
    std::vector<Ready> ready;
    std::vector<ConnectionHandle> to_close;
  };
  auto shared = std::make_shared<Shared>();
  auto finish = [shared, tally, deadline](ConnectionHandle handle, steady_clock::time_point began,
                                          const std::string& failure) {
    if (!shared->live) return;
    --shared->in_flight;
    shared->to_close.push_back(handle);
    if (!failure.empty()) {
      ++tally->failed;
      tally->last_failure = failure;
      return;
    }
    const auto now = steady_clock::now();
    if (now > deadline) {
      ++tally->late;
      return;
    }
    ++tally->completed;
    tally->ms.push_back(std::chrono::duration<double, std::milli>(now - began).count());
  };
  auto dial = [&] {
    ++shared->in_flight;
    const auto began = steady_clock::now();
    dialer.host->Connect(target, [shared, tally, began](ConnectionHandle handle, const PeerId* peer,
                                                        const std::string& why) {
      if (!shared->live) return;
      if (peer == nullptr) {
        --shared->in_flight;
        ++tally->failed;
        tally->last_failure = why;
        return;
      }
      shared->ready.push_back({handle, began});
    });
  };
  auto serve = [&] {
    std::vector<Ready> ready;
    ready.swap(shared->ready);
    for (const Ready& r : ready) {
      if (kind == HandshakeKind::kClose) {
        finish(r.handle, r.began, "");
        continue;
      }
      const ConnectionHandle handle = r.handle;
      const auto began = r.began;
      const OpenStreamResult opened = dialer.host->OpenStream(
          handle, {kPingProtocol},
          std::make_unique<PingClient>(
              runtime.clock(), runtime.random(), 1, Duration::zero(), nullptr,
              [finish, handle, began](const PingReport& report) {
                finish(handle, began, report.error.empty() ? "" : "ping: " + report.error);
              }));
      if (opened != OpenStreamResult::kOk) {
        finish(handle, began, std::string("ping stream: ") + ToString(opened));
      }
    }
    std::vector<ConnectionHandle> to_close;
    to_close.swap(shared->to_close);
    for (ConnectionHandle handle : to_close) dialer.host->Disconnect(handle);
  };
  auto pending_work = [&] {
    return !shared->ready.empty() || !shared->to_close.empty() || shared->in_flight < in_flight ||
           steady_clock::now() >= deadline;
  };
  while (steady_clock::now() < deadline) {
    while (shared->in_flight < in_flight) dial();
    runtime.RunUntil(pending_work, kStep);
    serve();
  }
  const auto drain_until = steady_clock::now() + kDrainLimit;
  while (shared->in_flight > 0 && steady_clock::now() < drain_until) {
    runtime.RunUntil([&] { return !shared->ready.empty() || shared->in_flight == 0; }, kStep);
    serve();
  }
  serve();
  shared->live = false;
  dialer.host->DisconnectAll();
  runtime.RunUntil([&] { return dialer.host->connection_count() == 0; }, kCloseGrace);
}

struct HandshakeRun {
  uint64_t completed = 0;
  uint64_t late = 0;
  uint64_t failed = 0;
  double per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  Usage usage;
  std::string last_failure;
  std::string error;
};

HandshakeRun RunHandshakes(const Config& config, const NodeProcess& node, HandshakeKind kind) {
  HandshakeRun run;
  Snapshot before, after;
  if (!TakeSnapshot(node, &before, &run.error)) return run;
  std::vector<HandshakeTally> tallies(config.generator_threads);
  const CpuSample load_start = SampleCpu(node.pid());
  const auto deadline = load_start.at + std::chrono::duration_cast<steady_clock::duration>(
                                            std::chrono::duration<double>(config.duration_s));
  CpuSample load_end;
  {
    std::vector<std::thread> threads;
    for (HandshakeTally& tally : tallies) {
      threads.emplace_back(HandshakeThread, std::cref(node.address()), kind, config.in_flight,
                           deadline, &tally);
    }
    std::this_thread::sleep_until(deadline);
    load_end = SampleCpu(node.pid());
    for (std::thread& t : threads) t.join();
  }
  std::this_thread::sleep_for(kMetricsSettle);
  if (!TakeSnapshot(node, &after, &run.error)) return run;
  std::vector<double> ms;
  for (const HandshakeTally& t : tallies) {
    if (!t.error.empty()) run.error = t.error;
    run.completed += t.completed;
    run.late += t.late;
    run.failed += t.failed;
    if (!t.last_failure.empty()) run.last_failure = t.last_failure;
    ms.insert(ms.end(), t.ms.begin(), t.ms.end());
  }
  run.per_second = run.completed / config.duration_s;
  run.p50_ms = Percentile(ms, 50);
  run.p99_ms = Percentile(ms, 99);
  run.usage = Between(before, after, load_start, load_end, config.duration_s);
  if (run.error.empty() && run.completed == 0) {
    run.error = "no handshake completed (" + run.last_failure + ")";
  }
  return run;
}

// One generator thread of the goodput run: opens its connections, reports
// them ready, waits for `go`, then downloads `bytes` on each at once.
enum class PerfDirection : uint8_t { kDownload, kUpload };
const char* ToString(PerfDirection d) {
  return d == PerfDirection::kDownload ? "download" : "upload";
}

struct GoodputTally {
  int connections = 0;
  uint64_t bytes = 0;                // Moved in full, all connections.
  steady_clock::time_point started;  // The first stream opened.
  steady_clock::time_point last_done;
  std::string error;
};

void GoodputThread(const Multiaddr& target, PerfDirection direction, int connections,
                   uint64_t bytes, std::atomic<int>* connected, const std::atomic<bool>* go,
                   const std::atomic<bool>* abort, GoodputTally* tally) {
  node::NodeRuntime runtime;
  BenchHost dialer;
  auto fail = [&](std::string error) {
    tally->error = std::move(error);
    connected->fetch_add(1);  // Counted so the main thread does not wait for it.
  };
  if (!MakeBenchHost(runtime, BenchRole::kDialer, &dialer, &tally->error))
    return fail(tally->error);
  struct Shared {
    bool live = true;
    int connected = 0;
    int done = 0;
    std::vector<ConnectionHandle> handles;
    std::string error;
  };
  auto shared = std::make_shared<Shared>();
  for (int i = 0; i < connections; ++i) {
    dialer.host->Connect(
        target, [shared](ConnectionHandle handle, const PeerId* peer, const std::string& why) {
          if (!shared->live) return;
          if (peer == nullptr) {
            shared->error = "connect: " + why;
            return;
          }
          ++shared->connected;
          shared->handles.push_back(handle);
        });
  }
  if (!runtime.RunUntil([&] { return shared->connected == connections || !shared->error.empty(); },
                        kConnectLimit) ||
      !shared->error.empty()) {
    shared->live = false;
    return fail(shared->error.empty() ? "connect timed out" : shared->error);
  }
  connected->fetch_add(1);
  // Polled, not RunUntil: that may sleep 100 ms in the io_context before
  // it looks at `go` again, which would skew the start.
  const auto go_limit = steady_clock::now() + kConnectLimit;
  while (!go->load() && !abort->load() && steady_clock::now() < go_limit) {
    runtime.io().restart();
    runtime.io().poll();
    std::this_thread::sleep_for(kGoPoll);
  }
  if (!go->load()) {
    shared->live = false;
    tally->error = "never told to start";
    return;
  }
  tally->started = steady_clock::now();
  const uint64_t upload = direction == PerfDirection::kUpload ? bytes : 0;
  const uint64_t download = direction == PerfDirection::kDownload ? bytes : 0;
  for (ConnectionHandle handle : shared->handles) {
    const OpenStreamResult opened = dialer.host->OpenStream(
        handle, {kPerfProtocol},
        std::make_unique<PerfClientHandler>(
            runtime.clock(), upload, download,
            [shared, tally, bytes, upload, download](const PerfReport& report) {
              if (!shared->live) return;
              ++shared->done;
              if (!report.error.empty() || report.downloaded != download ||
                  report.uploaded != upload) {
                shared->error = "perf: " + (report.error.empty() ? "short transfer" : report.error);
                return;
              }
              tally->bytes += bytes;
              tally->last_done = steady_clock::now();
            }));
    if (opened != OpenStreamResult::kOk) {
      shared->error = std::string("perf stream: ") + ToString(opened);
      break;
    }
  }
  runtime.RunUntil([&] { return shared->done == connections || !shared->error.empty(); },
                   kPerfLimit);
  if (shared->done < connections && shared->error.empty()) shared->error = "perf timed out";
  tally->connections = connections;
  tally->error = shared->error;
  shared->live = false;
  dialer.host->DisconnectAll();
  runtime.RunUntil([&] { return dialer.host->connection_count() == 0; }, kCloseGrace);
}

struct GoodputRun {
  uint64_t bytes = 0;
  double seconds = 0;
  double mbps = 0;
  Usage usage;
  std::string error;
};

GoodputRun RunGoodput(const Config& config, const NodeProcess& node, PerfDirection direction) {
  GoodputRun run;
  const int threads_wanted = std::min(config.generator_threads, config.connections);
  std::vector<GoodputTally> tallies(threads_wanted);
  std::atomic<int> connected{0};
  std::atomic<bool> go{false}, abort{false};
  const uint64_t bytes = config.goodput_mb * static_cast<uint64_t>(kBytesPerMegabyte);
  Snapshot before, after;
  CpuSample load_start, load_end;
  {
    std::vector<std::thread> threads;
    for (int i = 0; i < threads_wanted; ++i) {
      // Connections round-robin over the threads.
      const int share =
          config.connections / threads_wanted + (i < config.connections % threads_wanted);
      threads.emplace_back(GoodputThread, std::cref(node.address()), direction, share, bytes,
                           &connected, &go, &abort, &tallies[i]);
    }
    const auto wait_until = steady_clock::now() + kConnectLimit;
    while (connected.load() < threads_wanted && steady_clock::now() < wait_until) {
      std::this_thread::sleep_for(milliseconds(5));
    }
    // Handshake traffic is out of the counters: the workers export once a
    // second, so wait for that before the first scrape.
    std::this_thread::sleep_for(kMetricsSettle);
    if (!TakeSnapshot(node, &before, &run.error)) {
      abort = true;
    } else {
      load_start = SampleCpu(node.pid());
      go = true;
    }
    for (std::thread& t : threads) t.join();
    load_end = SampleCpu(node.pid());  // The threads end a few ms after their last byte.
  }
  if (!run.error.empty()) return run;
  steady_clock::time_point first = steady_clock::time_point::max(), last = load_start.at;
  for (const GoodputTally& t : tallies) {
    if (!t.error.empty()) run.error = t.error;
    run.bytes += t.bytes;
    first = std::min(first, t.started);
    last = std::max(last, t.last_done);
  }
  if (!run.error.empty()) return run;
  run.seconds = Seconds(last - first);
  run.mbps = Ratio(run.bytes / kBytesPerMegabyte, run.seconds);
  std::this_thread::sleep_for(kMetricsSettle);
  if (!TakeSnapshot(node, &after, &run.error)) return run;
  run.usage = Between(before, after, load_start, load_end, run.seconds);
  return run;
}

// --- reporting ---

// Who bounded the run: the cores (everything busy), the generator (its
// threads each near a full core), or neither (the in-flight limit or
// latency).
std::string Verdict(const Usage& u, int generator_threads, uint32_t workers) {
  const double generator_cores = u.generator_cores;
  const double node_cores = u.node_cores;
  char text[256];
  if (u.machine_busy_cores >= kSaturated * u.machine_cores) {
    // What neither the generator nor the node used went to other processes
    // (on a shared machine: other builds).
    std::snprintf(text, sizeof(text),
                  "cores saturated (%.2f of %.0f busy): generator %.2f, node %.2f (%u workers), "
                  "other processes %.2f",
                  u.machine_busy_cores, u.machine_cores, generator_cores, node_cores, workers,
                  std::max(0.0, u.machine_busy_cores - generator_cores - node_cores));
  } else if (generator_cores >= kSaturated * generator_threads) {
    std::snprintf(text, sizeof(text), "generator-bound (%.2f cores for %d threads)",
                  generator_cores, generator_threads);
  } else {
    std::snprintf(text, sizeof(text),
                  "neither saturated (machine %.2f of %.0f cores busy): bound by the in-flight "
                  "limit or latency",
                  u.machine_busy_cores, u.machine_cores);
  }
  return text;
}

std::string WorkerSplit(const NodeCounters& c) {
  std::string split;
  for (const auto& [worker, value] : c.handshakes_by_worker) {
    if (!split.empty()) split += "/";
    split += std::to_string(static_cast<long long>(value));
  }
  return split.empty() ? "-" : split;
}

nlohmann::json UsageJson(const Usage& u) {
  return {{"load_seconds", u.load_seconds},
          {"node_cpu_seconds", u.node_cpu},
          {"generator_cpu_seconds", u.generator_cpu},
          {"node_cores", u.node_cores},
          {"generator_cores", u.generator_cores},
          {"machine_busy_cores", u.machine_busy_cores},
          {"node_handshakes", u.counters.handshakes},
          {"node_datagrams_received", u.counters.datagrams_received},
          {"node_datagrams_sent", u.counters.datagrams_sent},
          {"forwarded", u.counters.forwarded_out},
          {"forward_queue_drops", u.counters.forward_drops},
          {"retries", u.counters.retries}};
}

// Every ratio of a round by name, in first-seen order, for the medians
// over rounds.
struct Ratios {
  std::vector<std::string> order;
  std::map<std::string, std::vector<double>> values;
  std::map<std::string, std::string> units;  // "x" (a ratio) or "%" (a share).
  void Add(const std::string& name, double value, const std::string& unit = "x") {
    if (values.find(name) == values.end()) order.push_back(name);
    values[name].push_back(unit == "%" ? 100 * value : value);
    units[name] = unit;
  }
};

// "a, b, c" with two decimals.
std::string JoinTwoDecimals(const std::vector<double>& values) {
  std::string text;
  char one[32];
  for (double v : values) {
    std::snprintf(one, sizeof(one), "%s%.2f", text.empty() ? "" : ", ", v);
    text += one;
  }
  return text;
}

bool Fail(const std::string& what) {
  std::printf("ERROR %s\n", what.c_str());
  std::fflush(stdout);
  return false;
}

bool Wanted(const Config& config, const std::string& part) {
  return config.only.empty() ||
         std::find(config.only.begin(), config.only.end(), part) != config.only.end();
}

struct SetupResults {
  NodeSetup setup;
  std::string steering;                            // As the node printed it.
  std::map<std::string, HandshakeRun> handshakes;  // By kind.
  std::map<std::string, GoodputRun> goodput;       // By direction.
};

bool MeasureSetup(const Config& config, SetupResults* results) {
  NodeProcess node;
  std::string error;
  if (!node.Start(config, results->setup, &error)) return Fail(error);
  results->steering = node.steering();
  std::printf("node %s: pid %d, STEERING %s\n", results->setup.name.c_str(), node.pid(),
              node.steering().c_str());
  std::fflush(stdout);
  bool ok = true;
  for (HandshakeKind kind : {HandshakeKind::kClose, HandshakeKind::kPing}) {
    if (!Wanted(config, std::string("handshake-") + ToString(kind))) continue;
    HandshakeRun run = RunHandshakes(config, node, kind);
    if (!run.error.empty()) {
      ok = Fail(results->setup.name + " handshakes " + ToString(kind) + ": " + run.error);
      continue;
    }
    std::printf(
        "  %s handshakes %s: %.0f/s (p50 %.1f ms, p99 %.1f ms, %llu failed), node %.2f s "
        "CPU, %llu completed by the node (per worker %s)\n",
        results->setup.name.c_str(), ToString(kind), run.per_second, run.p50_ms, run.p99_ms,
        static_cast<unsigned long long>(run.failed), run.usage.node_cpu,
        static_cast<unsigned long long>(run.usage.counters.handshakes),
        WorkerSplit(run.usage.counters).c_str());
    std::fflush(stdout);
    results->handshakes[ToString(kind)] = std::move(run);
  }
  for (PerfDirection direction : {PerfDirection::kDownload, PerfDirection::kUpload}) {
    const std::string name = std::string("goodput-") + ToString(direction);
    if (!Wanted(config, name)) continue;
    GoodputRun run = RunGoodput(config, node, direction);
    if (!run.error.empty()) {
      ok = Fail(results->setup.name + " " + name + ": " + run.error);
      continue;
    }
    std::printf(
        "  %s %s: %.0f MB in %.2f s = %.0f MB/s, node %.2f s CPU, %.0f datagrams in, %.0f out, "
        "%.0f forwarded\n",
        results->setup.name.c_str(), name.c_str(), run.bytes / kBytesPerMegabyte, run.seconds,
        run.mbps, run.usage.node_cpu, run.usage.counters.datagrams_received,
        run.usage.counters.datagrams_sent, run.usage.counters.forwarded_out);
    std::fflush(stdout);
    results->goodput[ToString(direction)] = std::move(run);
  }
  node.Stop();
  return ok;
}

void PrintHandshakeComparison(const Config& config, const std::string& kind,
                              const SetupResults& one, const SetupResults& two,
                              nlohmann::json* json, Ratios* ratios) {
  const auto a = one.handshakes.find(kind), b = two.handshakes.find(kind);
  if (a == one.handshakes.end() || b == two.handshakes.end()) return;
  const HandshakeRun& w1 = a->second;
  const HandshakeRun& w2 = b->second;
  const double cpu1 = Ratio(w1.usage.node_cpu, w1.usage.counters.handshakes);
  const double cpu2 = Ratio(w2.usage.node_cpu, w2.usage.counters.handshakes);
  std::printf("handshakes/s (connect+%s): %s %.0f vs %s %.0f = %.2fx (target >= 1.7x)\n",
              kind.c_str(), two.setup.name.c_str(), w2.per_second, one.setup.name.c_str(),
              w1.per_second, Ratio(w2.per_second, w1.per_second));
  std::printf(
      "node CPU per handshake (connect+%s): %s %.3f ms vs %s %.3f ms = %.2fx (target <= "
      "1.15x)\n",
      kind.c_str(), two.setup.name.c_str(), cpu2 * 1e3, one.setup.name.c_str(), cpu1 * 1e3,
      Ratio(cpu2, cpu1));
  for (const SetupResults* s : {&one, &two}) {
    const HandshakeRun& r = s->handshakes.at(kind);
    std::printf("  %s: generator %.2f CPU s (%.2f cores, %d threads), node %.2f cores; %s\n",
                s->setup.name.c_str(), r.usage.generator_cpu, r.usage.generator_cores,
                config.generator_threads, r.usage.node_cores,
                Verdict(r.usage, config.generator_threads, s->setup.workers).c_str());
  }
  (*json)["handshakes_" + kind] = {{one.setup.name,
                                    {{"per_second", w1.per_second},
                                     {"p50_ms", w1.p50_ms},
                                     {"p99_ms", w1.p99_ms},
                                     {"failed", w1.failed},
                                     {"node_cpu_ms_per_handshake", cpu1 * 1e3},
                                     {"usage", UsageJson(w1.usage)}}},
                                   {two.setup.name,
                                    {{"per_second", w2.per_second},
                                     {"p50_ms", w2.p50_ms},
                                     {"p99_ms", w2.p99_ms},
                                     {"failed", w2.failed},
                                     {"node_cpu_ms_per_handshake", cpu2 * 1e3},
                                     {"usage", UsageJson(w2.usage)}}},
                                   {"ratio_per_second", Ratio(w2.per_second, w1.per_second)},
                                   {"ratio_cpu_per_handshake", Ratio(cpu2, cpu1)}};
  ratios->Add("handshakes/s connect+" + kind + ", 2 workers / 1 (target >= 1.7x)",
              Ratio(w2.per_second, w1.per_second));
  ratios->Add("node CPU per handshake connect+" + kind + ", 2 workers / 1 (target <= 1.15x)",
              Ratio(cpu2, cpu1));
}

void PrintGoodputComparison(const Config& config, const std::string& direction,
                            const SetupResults& one, const SetupResults& two, nlohmann::json* json,
                            Ratios* ratios) {
  const auto a = one.goodput.find(direction), b = two.goodput.find(direction);
  if (a == one.goodput.end() || b == two.goodput.end()) return;
  const GoodputRun& w1 = a->second;
  const GoodputRun& w2 = b->second;
  const double gb1 = w1.bytes / kBytesPerGigabyte, gb2 = w2.bytes / kBytesPerGigabyte;
  const double cpu1 = Ratio(w1.usage.node_cpu, gb1), cpu2 = Ratio(w2.usage.node_cpu, gb2);
  std::printf(
      "goodput (%d connections x %llu MB %s): %s %.0f MB/s vs %s %.0f MB/s = %.2fx "
      "(target >= 1.7x)\n",
      config.connections, static_cast<unsigned long long>(config.goodput_mb), direction.c_str(),
      two.setup.name.c_str(), w2.mbps, one.setup.name.c_str(), w1.mbps, Ratio(w2.mbps, w1.mbps));
  std::printf("node CPU per GB (%s): %s %.2f s vs %s %.2f s = %.2fx (target <= 1.15x)\n",
              direction.c_str(), two.setup.name.c_str(), cpu2, one.setup.name.c_str(), cpu1,
              Ratio(cpu2, cpu1));
  const int threads = std::min(config.generator_threads, config.connections);
  for (const SetupResults* s : {&one, &two}) {
    const Usage& u = s->goodput.at(direction).usage;
    std::printf("  %s: generator %.2f CPU s (%.2f cores, %d threads), node %.2f cores; %s\n",
                s->setup.name.c_str(), u.generator_cpu, u.generator_cores, threads, u.node_cores,
                Verdict(u, threads, s->setup.workers).c_str());
  }
  (*json)["goodput_" + direction] = {
      {one.setup.name,
       {{"mbps", w1.mbps}, {"node_cpu_s_per_gb", cpu1}, {"usage", UsageJson(w1.usage)}}},
      {two.setup.name,
       {{"mbps", w2.mbps}, {"node_cpu_s_per_gb", cpu2}, {"usage", UsageJson(w2.usage)}}},
      {"ratio_mbps", Ratio(w2.mbps, w1.mbps)},
      {"ratio_cpu_per_gb", Ratio(cpu2, cpu1)}};
  ratios->Add("goodput " + direction + ", 2 workers / 1 (target >= 1.7x)", Ratio(w2.mbps, w1.mbps));
  ratios->Add("node CPU per GB " + direction + ", 2 workers / 1 (target <= 1.15x)",
              Ratio(cpu2, cpu1));
}

// Datagrams/s through the node (received + sent) and CPU per datagram,
// kernel steering against user-space forwarding, on one load.
void PrintSteeringLine(const std::string& load, const Usage& kernel, const Usage& user,
                       nlohmann::json* json, Ratios* ratios) {
  auto datagrams = [](const Usage& u) {
    return u.counters.datagrams_received + u.counters.datagrams_sent;
  };
  const double rate_k = Ratio(datagrams(kernel), kernel.load_seconds);
  const double rate_u = Ratio(datagrams(user), user.load_seconds);
  const double us_k = Ratio(kernel.node_cpu * 1e6, datagrams(kernel));
  const double us_u = Ratio(user.node_cpu * 1e6, datagrams(user));
  std::printf(
      "steering (%s): kernel %.0f datagrams/s vs user %.0f datagrams/s = %.2fx; node CPU "
      "%.2f vs %.2f us/datagram = %.2fx; forwarded kernel %.0f of %.0f received, user "
      "%.0f of %.0f (%.1f%%), queue drops %.0f / %.0f\n",
      load.c_str(), rate_k, rate_u, Ratio(rate_k, rate_u), us_k, us_u, Ratio(us_k, us_u),
      kernel.counters.forwarded_out, kernel.counters.datagrams_received,
      user.counters.forwarded_out, user.counters.datagrams_received,
      100 * Ratio(user.counters.forwarded_out, user.counters.datagrams_received),
      kernel.counters.forward_drops, user.counters.forward_drops);
  (*json)["steering_" + load] = {{"kernel_datagrams_per_second", rate_k},
                                 {"user_datagrams_per_second", rate_u},
                                 {"ratio_datagrams_per_second", rate_k / std::max(rate_u, 1e-9)},
                                 {"kernel_node_us_per_datagram", us_k},
                                 {"user_node_us_per_datagram", us_u},
                                 {"kernel_forwarded", kernel.counters.forwarded_out},
                                 {"user_forwarded", user.counters.forwarded_out},
                                 {"kernel_received", kernel.counters.datagrams_received},
                                 {"user_received", user.counters.datagrams_received}};
  ratios->Add("steering " + load + ": datagrams/s kernel / user", Ratio(rate_k, rate_u));
  ratios->Add("steering " + load + ": node CPU per datagram kernel / user", Ratio(us_k, us_u));
  ratios->Add("steering " + load + ": received datagrams forwarded, user",
              Ratio(user.counters.forwarded_out, user.counters.datagrams_received), "%");
}

// One round: the three nodes, one after the other, then the comparisons.
bool RunRound(const Config& config, nlohmann::json* json, Ratios* ratios) {
  std::vector<SetupResults> setups(3);
  setups[0].setup = {"w1", 1, ""};
  setups[1].setup = {"w2-kernel", 2, "kernel"};
  setups[2].setup = {"w2-user", 2, "user"};
  bool ok = true;
  for (SetupResults& s : setups) ok &= MeasureSetup(config, &s);
  const SetupResults &w1 = setups[0], &kernel = setups[1], &user = setups[2];
  std::printf("--- 2 workers (kernel steering) against 1 ---\n");
  for (const char* kind : {"close", "ping"}) {
    PrintHandshakeComparison(config, kind, w1, kernel, json, ratios);
  }
  for (const char* direction : {"download", "upload"}) {
    PrintGoodputComparison(config, direction, w1, kernel, json, ratios);
  }
  std::printf("--- steering: kernel program against user-space forwarding (2 workers) ---\n");
  for (const char* kind : {"close", "ping"}) {
    const auto k = kernel.handshakes.find(kind), u = user.handshakes.find(kind);
    if (k == kernel.handshakes.end() || u == user.handshakes.end()) continue;
    PrintSteeringLine(std::string("handshakes_") + kind, k->second.usage, u->second.usage, json,
                      ratios);
    std::printf("  handshakes/s (connect+%s): kernel %.0f vs user %.0f = %.2fx\n", kind,
                k->second.per_second, u->second.per_second,
                Ratio(k->second.per_second, u->second.per_second));
  }
  for (const char* direction : {"download", "upload"}) {
    const auto k = kernel.goodput.find(direction), u = user.goodput.find(direction);
    if (k == kernel.goodput.end() || u == user.goodput.end()) continue;
    PrintSteeringLine(std::string("goodput_") + direction, k->second.usage, u->second.usage, json,
                      ratios);
    std::printf("  goodput %s: kernel %.0f MB/s vs user %.0f MB/s = %.2fx\n", direction,
                k->second.mbps, u->second.mbps, Ratio(k->second.mbps, u->second.mbps));
  }
  std::fflush(stdout);
  return ok;
}

}  // namespace
}  // namespace p2pquic::bench

int main(int argc, char** argv) {
  using namespace p2pquic::bench;
  Config config;
  config.node = SelfDir() + "/workers_bench.runfiles/p2pquic/node/p2pquic-node";
  CLI::App app{
      "workers_bench: p2pquic-node listen --workers 2 against --workers 1 (handshakes/s, "
      "goodput, node CPU per handshake and per GB) and the kernel reuseport program against "
      "user-space forwarding, in one run"};
  app.add_option("--node", config.node, "p2pquic-node binary");
  app.add_option("--node-arg", config.node_args,
                 "extra argument for every `p2pquic-node listen` (repeatable), e.g. "
                 "--node-arg=--retry --node-arg=never");
  app.add_option("--only", config.only,
                 "handshake-close, handshake-ping, goodput-download, goodput-upload (default: "
                 "all); steering lines come from whichever ran")
      ->delimiter(',')
      ->check(CLI::IsMember(
          {"handshake-close", "handshake-ping", "goodput-download", "goodput-upload"}));
  app.add_option("--duration", config.duration_s, "seconds of each handshake measurement")
      ->check(CLI::Range(0.5, 600.0));
  app.add_option("--generator-threads", config.generator_threads,
                 "load generator threads (each its own runtime, host and UDP socket)")
      ->check(CLI::Range(1, 64));
  app.add_option("--in-flight", config.in_flight, "dials in flight per generator thread")
      ->check(CLI::Range(1, 1000));
  app.add_option("--connections", config.connections, "goodput connections")
      ->check(CLI::Range(1, 1000));
  app.add_option("--goodput-mb", config.goodput_mb,
                 "MB (10^6 bytes) per goodput connection and direction")
      ->check(CLI::Range(uint64_t{1}, uint64_t{100000}));
  app.add_option("--rounds", config.rounds,
                 "rounds of every measurement (the summary prints the median ratio)")
      ->check(CLI::Range(1, 100));
  app.add_flag("--json", config.json, "also print one JSON line with every number");
  CLI11_PARSE(app, argc, argv);
  if (access(config.node.c_str(), X_OK) != 0) {
    std::printf("ERROR p2pquic-node not found at %s (pass --node)\n", config.node.c_str());
    return 1;
  }
  std::printf(
      "workers_bench: %d generator threads x %d in flight, %.1f s per handshake run, %d "
      "connections x %llu MB; load average %.2f at start\n",
      config.generator_threads, config.in_flight, config.duration_s, config.connections,
      static_cast<unsigned long long>(config.goodput_mb), LoadAverage());
  std::fflush(stdout);
  bool ok = true;
  Ratios ratios;
  nlohmann::json json;
  json["rounds"] = nlohmann::json::array();
  for (int round = 1; round <= config.rounds; ++round) {
    std::printf("=== round %d of %d (load average %.2f) ===\n", round, config.rounds,
                LoadAverage());
    ok &= RunRound(config, &json["rounds"].emplace_back(), &ratios);
  }
  std::printf("=== median over %d round(s) ===\n", config.rounds);
  for (const std::string& name : ratios.order) {
    const std::vector<double>& values = ratios.values[name];
    std::printf("%s: %.2f%s (rounds: %s)\n", name.c_str(), Median(values),
                ratios.units[name].c_str(), JoinTwoDecimals(values).c_str());
    json["medians"][name] = Median(values);
  }
  std::printf("load average %.2f at the end\n", LoadAverage());
  if (config.json) {
    json["load_average_end"] = LoadAverage();
    json["generator_threads"] = config.generator_threads;
    json["in_flight"] = config.in_flight;
    json["ok"] = ok;
    std::printf("%s\n", json.dump().c_str());
  }
  return ok ? 0 : 1;
}
