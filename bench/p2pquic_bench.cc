#include "bench/p2pquic_bench.h"

#include <poll.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "bench/bench_host.h"
#include "bench/bench_stats.h"
#include "bench/subprocess.h"
#include "node/node_runtime.h"
#include "transport/host/libp2p_host.h"
#include "transport/host/perf_client_handler.h"
#include "transport/host/ping_client.h"
#include "transport/host/protocol_services.h"
#include "transport/identity/key_type.h"

namespace p2pquic::bench {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

const char kPerfProtocol[] = "/perf/1.0.0";
const char kPingProtocol[] = "/ipfs/ping/1.0.0";
// Well above a loopback handshake (~1 ms) and below the 10 s QUIC
// handshake timeout, so a stuck dial is reported as ours, not ngtcp2's.
constexpr auto kConnectTimeout = milliseconds(5000);
constexpr auto kPerfTimeout = milliseconds(120000);
// Closing takes 3 PTOs (RFC 9000 §10.2), tens of ms on loopback.
constexpr auto kCloseGrace = milliseconds(3000);
constexpr auto kChildStartTimeout = milliseconds(10000);
constexpr auto kIdleOpenTimeout = milliseconds(120000);
// Idle connections are held this long before RSS is read, so post-handshake
// traffic (NEW_CONNECTION_ID, HANDSHAKE_DONE, ACKs) has settled; bench.mjs
// holds its idle connections for 2 s too.
constexpr auto kIdleSettle = milliseconds(2000);
// The idle-dial child waits this long at most for the parent's next word.
constexpr auto kIdleHold = milliseconds(120000);
constexpr double kBytesPerMegabyte = 1e6;

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

// How a timed handshake is known to be complete on both ends.
struct HandshakeProbe {
  // In-process: the listener's count of ready connections (it verified the
  // dialer's certificate). Null: a ping round trip instead.
  const uint64_t* listener_ready = nullptr;
};

// Dials `target` (its /p2p/<id> is verified against the certificate) and
// runs until the dialer's handshake is complete. The callback's state is
// shared, so a late callback after a timeout touches nothing stale.
bool Connect(node::NodeRuntime& runtime, Libp2pHost& dialer, const Multiaddr& target,
             ConnectionHandle* handle, std::string* error) {
  struct State {
    bool done = false;
    bool ok = false;
    ConnectionHandle handle;
    std::string why;
  };
  auto state = std::make_shared<State>();
  dialer.Connect(target, [state](ConnectionHandle h, const PeerId* peer, const std::string& why) {
    *state = {true, peer != nullptr, h, why};
  });
  if (!runtime.RunUntil([&] { return state->done; }, kConnectTimeout)) {
    *error = "connect timed out";
    return false;
  }
  if (!state->ok) *error = "connect failed: " + state->why;
  *handle = state->handle;
  return state->ok;
}

void DrainConnections(node::NodeRuntime& runtime, Libp2pHost& host) {
  runtime.RunUntil([&] { return host.connection_count() == 0; }, kCloseGrace);
}

// One perf run on a fresh connection; MB/s over stream open -> server's end.
bool PerfRun(node::NodeRuntime& runtime, Libp2pHost& dialer, const Multiaddr& target,
             uint64_t upload, uint64_t download, double* mbps, std::string* error) {
  ConnectionHandle connection;
  if (!Connect(runtime, dialer, target, &connection, error)) return false;
  auto report = std::make_shared<std::optional<PerfReport>>();
  const OpenStreamResult opened = dialer.OpenStream(
      connection, {kPerfProtocol},
      std::make_unique<PerfClientHandler>(runtime.clock(), upload, download,
                                          [report](const PerfReport& r) { *report = r; }));
  if (opened != OpenStreamResult::kOk) {
    *error = std::string("perf stream: ") + ToString(opened);
  } else if (!runtime.RunUntil([&] { return report->has_value(); }, kPerfTimeout)) {
    *error = "perf timed out";
  } else if (!(*report)->error.empty()) {
    *error = "perf: " + (*report)->error;
  } else if ((*report)->uploaded != upload || (*report)->downloaded != download) {
    *error = "perf: wrong byte counts";
  }
  dialer.Disconnect(connection);
  DrainConnections(runtime, dialer);
  if (!error->empty()) return false;
  const double seconds = Seconds((*report)->total_time);
  *mbps = seconds > 0 ? static_cast<double>(upload + download) / kBytesPerMegabyte / seconds : 0;
  return true;
}

GoodputResult RunGoodput(node::NodeRuntime& runtime, Libp2pHost& dialer, const Multiaddr& target,
                         const P2pquicSettings& settings) {
  GoodputResult result;
  for (int run = 0; run < settings.perf_runs && result.error.empty(); ++run) {
    double mbps = 0;
    if (PerfRun(runtime, dialer, target, settings.perf_bytes, 0, &mbps, &result.error)) {
      result.upload_mbps.push_back(mbps);
    }
  }
  for (int run = 0; run < settings.perf_runs && result.error.empty(); ++run) {
    double mbps = 0;
    if (PerfRun(runtime, dialer, target, 0, settings.perf_bytes, &mbps, &result.error)) {
      result.download_mbps.push_back(mbps);
    }
  }
  return result;
}

// Runs until `*counter` reaches `want`.
bool AwaitCount(node::NodeRuntime& runtime, const uint64_t& counter, uint64_t want,
                std::string* error) {
  if (runtime.RunUntil([&] { return counter >= want; }, kConnectTimeout)) return true;
  *error = "the listener did not complete the handshake";
  return false;
}

// One /ipfs/ping/1.0.0 round trip. Its echo proves the listener completed
// the handshake: ngtcp2 holds a server's 1-RTT packets until then.
bool PingOnce(node::NodeRuntime& runtime, Libp2pHost& dialer, ConnectionHandle connection,
              std::string* error) {
  auto report = std::make_shared<std::optional<PingReport>>();
  const OpenStreamResult opened = dialer.OpenStream(
      connection, {kPingProtocol},
      std::make_unique<PingClient>(runtime.clock(), runtime.random(), 1, Duration::zero(), nullptr,
                                   [report](const PingReport& r) { *report = r; }));
  if (opened != OpenStreamResult::kOk) {
    *error = std::string("ping stream: ") + ToString(opened);
  } else if (!runtime.RunUntil([&] { return report->has_value(); }, kConnectTimeout)) {
    *error = "ping timed out";
  } else if (!(*report)->error.empty()) {
    *error = "ping: " + (*report)->error;
  }
  return error->empty();
}

// One handshake + close. The dialer's connect callback alone does not mean
// the handshake is done: the listener has not seen the dialer's certificate
// yet (and ngtcp2 may still be pacing the dialer's last flight), so a probe
// waits for the listener. The close is sent at once and not waited for, as
// bench.mjs's conn.close() does not wait for QUIC's closing period either.
bool OneHandshake(node::NodeRuntime& runtime, Libp2pHost& dialer, const Multiaddr& target,
                  const HandshakeProbe& probe, std::string* error) {
  const uint64_t want = probe.listener_ready == nullptr ? 0 : *probe.listener_ready + 1;
  ConnectionHandle connection;
  if (!Connect(runtime, dialer, target, &connection, error)) return false;
  const bool ok = probe.listener_ready != nullptr
                      ? AwaitCount(runtime, *probe.listener_ready, want, error)
                      : PingOnce(runtime, dialer, connection, error);
  dialer.Disconnect(connection);
  return ok;
}

// Sequential handshakes; per second = count / wall time of the timed loop.
HandshakeResult RunHandshakes(node::NodeRuntime& runtime, Libp2pHost& dialer,
                              const Multiaddr& target, const HandshakeProbe& probe,
                              const P2pquicSettings& settings) {
  HandshakeResult result;
  for (int i = 0; i < settings.handshake_warmup; ++i) {
    if (!OneHandshake(runtime, dialer, target, probe, &result.error)) return result;
  }
  std::vector<double> latencies_ms;
  const auto start = steady_clock::now();
  for (int i = 0; i < settings.handshakes; ++i) {
    const auto began = steady_clock::now();
    if (!OneHandshake(runtime, dialer, target, probe, &result.error)) return result;
    latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(steady_clock::now() - began).count());
  }
  const double seconds = std::chrono::duration<double>(steady_clock::now() - start).count();
  DrainConnections(runtime, dialer);
  result.count = settings.handshakes;
  result.per_second = seconds > 0 ? result.count / seconds : 0;
  result.p50_ms = Percentile(latencies_ms, 50);
  result.p90_ms = Percentile(latencies_ms, 90);
  result.p99_ms = Percentile(latencies_ms, 99);
  return result;
}

// This binary in the "serve" role: the listener of the two-process layout.
struct ChildListener {
  std::unique_ptr<Subprocess> process;
  Multiaddr address;

  bool Start(const std::string& self, std::string* error) {
    process = Subprocess::Spawn({self, "--role=serve"}, {}, error);
    if (process == nullptr) return false;
    std::string line;
    if (!process->ReadLine(&line, kChildStartTimeout) || line.rfind("LISTEN ", 0) != 0) {
      *error = "the listener child did not start (got '" + line + "')";
      return false;
    }
    if (!Multiaddr::Parse(line.substr(7), &address).ok()) {
      *error = "bad LISTEN line: " + line;
      return false;
    }
    return true;
  }

  void Stop() {
    process->Signal(SIGTERM);
    process->Wait(kCloseGrace);
  }
};

}  // namespace

GoodputResult MeasureGoodputInProcess(const P2pquicSettings& settings) {
  node::NodeRuntime runtime;
  BenchHost listener, dialer;
  GoodputResult result;
  if (!MakeBenchHost(runtime, BenchRole::kListener, &listener, &result.error) ||
      !MakeBenchHost(runtime, BenchRole::kDialer, &dialer, &result.error)) {
    return result;
  }
  return RunGoodput(runtime, *dialer.host, listener.host->ListenAddress(), settings);
}

HandshakeResult MeasureHandshakesInProcess(const P2pquicSettings& settings) {
  node::NodeRuntime runtime;
  BenchHost listener, dialer;
  HandshakeResult result;
  if (!MakeBenchHost(runtime, BenchRole::kListener, &listener, &result.error) ||
      !MakeBenchHost(runtime, BenchRole::kDialer, &dialer, &result.error)) {
    return result;
  }
  uint64_t listener_ready = 0;
  listener.host->on_connection_ready = [&](ConnectionHandle, const std::string&) {
    ++listener_ready;
  };
  const HandshakeProbe probe{&listener_ready};
  result = RunHandshakes(runtime, *dialer.host, listener.host->ListenAddress(), probe, settings);
  DrainConnections(runtime, *listener.host);
  result.listener_completed =
      static_cast<int64_t>(listener.host->endpoint().stats().handshakes_completed);
  return result;
}

GoodputResult MeasureGoodputTwoProcesses(const P2pquicSettings& settings) {
  GoodputResult result;
  ChildListener child;
  if (!child.Start(settings.self_path, &result.error)) return result;
  node::NodeRuntime runtime;
  BenchHost dialer;
  if (!MakeBenchHost(runtime, BenchRole::kDialer, &dialer, &result.error)) return result;
  result = RunGoodput(runtime, *dialer.host, child.address, settings);
  child.Stop();
  return result;
}

HandshakeResult MeasureHandshakesTwoProcesses(const P2pquicSettings& settings) {
  HandshakeResult result;
  ChildListener child;
  if (!child.Start(settings.self_path, &result.error)) return result;
  node::NodeRuntime runtime;
  BenchHost dialer;
  if (!MakeBenchHost(runtime, BenchRole::kDialer, &dialer, &result.error)) return result;
  result = RunHandshakes(runtime, *dialer.host, child.address, HandshakeProbe{}, settings);
  child.Stop();
  return result;
}

// --- Memory per idle connection -----------------------------------------------------

namespace {

// Runs `runtime` until the child prints a line; false if it ends or
// `timeout` passes first.
bool AwaitChildLine(node::NodeRuntime& runtime, Subprocess& child, std::string* line,
                    milliseconds timeout) {
  bool got = false;
  runtime.RunUntil([&] { return (got = got || child.TryReadLine(line)) || child.output_ended(); },
                   timeout);
  return got;
}

Subprocess::Options StdinPipe() {
  Subprocess::Options options;
  options.pipe_stdin = true;
  return options;
}

// Whether stdin has ended (the parent closed it); never waits.
bool StdinEnded() {
  pollfd pfd{STDIN_FILENO, POLLIN, 0};
  if (poll(&pfd, 1, 0) <= 0) return false;
  char byte;
  return read(STDIN_FILENO, &byte, 1) <= 0;
}

}  // namespace

IdleMemoryResult MeasureIdleMemory(const P2pquicSettings& settings) {
  IdleMemoryResult result;
  node::NodeRuntime runtime;
  BenchHost listener;
  if (!MakeBenchHost(runtime, BenchRole::kListener, &listener, &result.error)) return result;
  const std::string target = listener.host->ListenAddress().ToString();
  std::unique_ptr<Subprocess> child =
      Subprocess::Spawn({settings.self_path, "--role=idle-dial", "--target=" + target,
                         "--idle-conns=" + std::to_string(settings.idle_connections),
                         "--handshake-warmup=" + std::to_string(settings.handshake_warmup)},
                        StdinPipe(), &result.error);
  if (child == nullptr) return result;
  std::string line;
  if (!AwaitChildLine(runtime, *child, &line, kChildStartTimeout) || line != "WARM") {
    result.error = "idle dialer: no WARM (got '" + line + "')";
    return result;
  }
  DrainConnections(runtime, *listener.host);  // The warm-up connections are gone here too.
  const int64_t before = ResidentBytes();
  const uint64_t completed_before = listener.host->endpoint().stats().handshakes_completed;
  child->WriteLine("GO");
  if (!AwaitChildLine(runtime, *child, &line, kIdleOpenTimeout) || line.rfind("OPEN ", 0) != 0) {
    result.error = "idle dialer: " + (line.empty() ? std::string("no OPEN line") : line);
    return result;
  }
  const int64_t after = ResidentBytes();
  std::istringstream fields(line.substr(5));
  fields >> result.connections >> result.dialer_bytes_per_connection;
  const uint64_t completed =
      listener.host->endpoint().stats().handshakes_completed - completed_before;
  if (completed != static_cast<uint64_t>(settings.idle_connections)) {
    result.error = "the listener completed " + std::to_string(completed) +
                   " handshakes, expected " + std::to_string(settings.idle_connections);
  } else if (listener.host->connection_count() != static_cast<size_t>(settings.idle_connections)) {
    result.error = "the listener holds " + std::to_string(listener.host->connection_count()) +
                   " connections, expected " + std::to_string(settings.idle_connections);
  }
  result.listener_bytes_per_connection =
      static_cast<double>(after - before) / std::max(1, result.connections);
  child->CloseStdin();
  DrainConnections(runtime, *listener.host);
  child->Wait(kCloseGrace);
  return result;
}

// --- Child roles --------------------------------------------------------------------------

int RunServeRole() {
  prctl(PR_SET_PDEATHSIG, SIGTERM);  // Never outlive the bench.
  node::NodeRuntime runtime;
  BenchHost listener;
  std::string error;
  if (!MakeBenchHost(runtime, BenchRole::kListener, &listener, &error)) {
    std::fprintf(stderr, "serve: %s\n", error.c_str());
    return 1;
  }
  std::printf("LISTEN %s\n", listener.host->ListenAddress().ToString().c_str());
  std::fflush(stdout);
  runtime.RunUntilSignal();
  listener.host->DisconnectAll();
  DrainConnections(runtime, *listener.host);
  return 0;
}

namespace {

int IdleDialFail(const std::string& error) {
  std::printf("ERROR %s\n", error.c_str());
  std::fflush(stdout);
  return 1;
}

}  // namespace

int RunIdleDialRole(const std::string& target_text, int connections, int warmup) {
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  node::NodeRuntime runtime;
  BenchHost dialer;
  std::string error;
  Multiaddr target;
  if (!Multiaddr::Parse(target_text, &target).ok()) {
    return IdleDialFail("bad target " + target_text);
  }
  if (!MakeBenchHost(runtime, BenchRole::kDialer, &dialer, &error)) return IdleDialFail(error);
  for (int i = 0; i < warmup; ++i) {
    if (!OneHandshake(runtime, *dialer.host, target, HandshakeProbe{}, &error)) {
      return IdleDialFail(error);
    }
  }
  DrainConnections(runtime, *dialer.host);
  std::printf("WARM\n");
  std::fflush(stdout);
  std::string word;
  if (!std::getline(std::cin, word) || word != "GO") return IdleDialFail("no GO");
  const int64_t before = ResidentBytes();
  for (int i = 0; i < connections; ++i) {
    ConnectionHandle handle;
    if (!Connect(runtime, *dialer.host, target, &handle, &error)) return IdleDialFail(error);
  }
  runtime.RunUntil([] { return false; }, kIdleSettle);
  const double per_connection = static_cast<double>(ResidentBytes() - before) / connections;
  std::printf("OPEN %d %.0f\n", connections, per_connection);
  std::fflush(stdout);
  runtime.RunUntil(StdinEnded, kIdleHold);
  dialer.host->DisconnectAll();
  DrainConnections(runtime, *dialer.host);
  return 0;
}

}  // namespace p2pquic::bench
