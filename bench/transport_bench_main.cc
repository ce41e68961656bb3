// transport_bench: issue 3 §7 in one invocation on loopback. Measures
// single-connection perf goodput (upload and download), sequential
// handshakes per second and memory per idle connection for p2pquic<->p2pquic,
// the same for the js pair (interop/js/bench.mjs), goodput for ngtcp2's own
// example pair (gtlsserver/gtlsclient), and prints the ratios and targets.
//
//   bazel/bazelw run -c opt //:transport_bench [-- --perf-mb 200 --perf-runs 3 ...]
//
// Exits non-zero if any part could not run (a missing js peer or ngtcp2
// example binary is an error, not a skip); missed targets only print.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "bench/bench_stats.h"
#include "bench/js_pair_bench.h"
#include "bench/ngtcp2_pair_bench.h"
#include "bench/p2pquic_bench.h"
#include "bench/subprocess.h"

namespace p2pquic::bench {
namespace {

constexpr double kGoodputTarget = 0.8;    // x the ngtcp2 example pair.
constexpr double kHandshakeTarget = 3.0;  // x the js pair.
constexpr double kBytesPerMegabyte = 1e6;
constexpr double kBytesPerKilobyte = 1e3;
constexpr char kNotRun[] = "not run (--only)";

struct Config {
  int perf_mb = 200;
  int perf_runs = 3;
  int handshakes = 1000;
  int handshake_warmup = 20;
  int idle_connections = 500;
  std::string workspace;
  // Which parts to run (all by default); a part left out prints as not run.
  std::vector<std::string> only;
  // Child roles (internal).
  std::string role;
  std::string target;
};

struct Results {
  GoodputResult one_thread;
  GoodputResult two_process;
  HandshakeResult handshakes_one_thread;
  HandshakeResult handshakes_two_process;
  IdleMemoryResult idle;
  JsResult js;
  Ngtcp2Result ngtcp2;
};

void Progress(const char* what) {
  std::printf("... %s\n", what);
  std::fflush(stdout);
}

bool Wanted(const Config& config, const std::string& part) {
  return config.only.empty() ||
         std::find(config.only.begin(), config.only.end(), part) != config.only.end();
}

P2pquicSettings P2pquicSettingsFor(const Config& config) {
  P2pquicSettings s;
  s.perf_bytes = static_cast<uint64_t>(config.perf_mb * kBytesPerMegabyte);
  s.perf_runs = config.perf_runs;
  s.handshakes = config.handshakes;
  s.handshake_warmup = config.handshake_warmup;
  s.idle_connections = config.idle_connections;
  s.self_path = SelfPath();
  return s;
}

void RunP2pquic(const Config& config, Results* r) {
  const P2pquicSettings s = P2pquicSettingsFor(config);
  if (!Wanted(config, "goodput")) {
    r->one_thread.error = r->two_process.error = kNotRun;
  } else {
    Progress("p2pquic goodput, in-process (both hosts on one io_context)");
    r->one_thread = MeasureGoodputInProcess(s);
    Progress("p2pquic goodput, two processes");
    r->two_process = MeasureGoodputTwoProcesses(s);
  }
  if (!Wanted(config, "handshakes")) {
    r->handshakes_one_thread.error = r->handshakes_two_process.error = kNotRun;
  } else {
    Progress("p2pquic handshakes, in-process");
    r->handshakes_one_thread = MeasureHandshakesInProcess(s);
    Progress("p2pquic handshakes, two processes");
    r->handshakes_two_process = MeasureHandshakesTwoProcesses(s);
  }
  if (!Wanted(config, "idle")) {
    r->idle.error = kNotRun;
  } else {
    Progress("p2pquic memory per idle connection");
    r->idle = MeasureIdleMemory(s);
  }
}

JsResult RunJs(const Config& config) {
  if (!Wanted(config, "js")) {
    JsResult skipped;
    skipped.error = kNotRun;
    return skipped;
  }
  Progress("js pair: interop/js/bench.mjs");
  JsSettings js;
  js.perf_bytes = static_cast<uint64_t>(config.perf_mb * kBytesPerMegabyte);
  js.perf_runs = config.perf_runs;
  js.handshakes = config.handshakes;
  js.handshake_warmup = config.handshake_warmup;
  js.idle_connections = config.idle_connections;
  js.workspace = config.workspace;
  return RunJsPair(js);
}

Ngtcp2Result RunNgtcp2(const Config& config) {
  Ngtcp2Result result;
  if (!Wanted(config, "ngtcp2")) {
    result.error = kNotRun;
    return result;
  }
  Progress("ngtcp2 example pair: gtlsserver + gtlsclient");
  return RunNgtcp2Pair(
      {static_cast<uint64_t>(config.perf_mb * kBytesPerMegabyte), config.perf_runs});
}

// --- Report --------------------------------------------------------------------------------

void GoodputRow(const char* who, const char* direction, const std::vector<double>& mbps,
                const std::string& error) {
  if (!error.empty() && mbps.empty()) {
    std::printf("  %-44s %-8s ERROR: %s\n", who, direction, error.c_str());
    return;
  }
  std::printf("  %-44s %-8s %7.1f   (%s)\n", who, direction, Median(mbps),
              JoinValues(mbps).c_str());
}

void PrintGoodput(const Config& config, const Results& r) {
  std::printf("\nGoodput, one connection, MB/s (10^6 B/s), median of %d runs (all runs)\n",
              config.perf_runs);
  GoodputRow("p2pquic in-process (1 thread)", "upload", r.one_thread.upload_mbps,
             r.one_thread.error);
  GoodputRow("", "download", r.one_thread.download_mbps, r.one_thread.error);
  GoodputRow("p2pquic, 2 processes", "upload", r.two_process.upload_mbps, r.two_process.error);
  GoodputRow("", "download", r.two_process.download_mbps, r.two_process.error);
  GoodputRow("js pair, 2 processes", "upload", r.js.upload_mbps, r.js.error);
  GoodputRow("", "download", r.js.download_mbps, r.js.error);
  GoodputRow("ngtcp2 example pair, 2 processes", "download", r.ngtcp2.download_mbps,
             r.ngtcp2.error);
  if (r.ngtcp2.error.empty()) {
    std::printf(
        "  (ngtcp2 pair: wall time of gtlsclient minus %.1f ms, the median 1-byte "
        "download: start-up, handshake, exit)\n",
        r.ngtcp2.overhead_ms);
  }
}

void HandshakeRow(const char* who, const HandshakeResult& h) {
  if (!h.error.empty()) {
    std::printf("  %-44s ERROR: %s\n", who, h.error.c_str());
    return;
  }
  std::printf("  %-44s %7.1f /s  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms", who, h.per_second,
              h.p50_ms, h.p90_ms, h.p99_ms);
  if (h.listener_completed >= 0) {
    std::printf("  (listener completed %lld)", static_cast<long long>(h.listener_completed));
  }
  std::printf("\n");
}

HandshakeResult FromJs(const JsHandshakes& js, const std::string& error) {
  HandshakeResult out;
  out.count = js.count;
  out.per_second = js.per_second;
  out.p50_ms = js.p50_ms;
  out.p90_ms = js.p90_ms;
  out.p99_ms = js.p99_ms;
  out.error = error;
  return out;
}

void PrintHandshakes(const Config& config, const Results& r) {
  std::printf(
      "\nHandshakes: %d sequential, after %d warm-up; Ed25519 identities, TLS 1.3, each end "
      "verifies the other's peer ID\n",
      config.handshakes, config.handshake_warmup);
  std::printf(" connect + close (until the listener has verified the dialer):\n");
  HandshakeRow("p2pquic in-process (1 thread)", r.handshakes_one_thread);
  HandshakeRow("js pair (bench.mjs --no-ping)", FromJs(r.js.connect_close, r.js.error));
  std::printf(" connect + 1 ping + close:\n");
  HandshakeRow("p2pquic, 2 processes", r.handshakes_two_process);
  HandshakeRow("js pair (bench.mjs)", FromJs(r.js.connect_ping_close, r.js.error));
}

void PrintMemory(const Config& config, const Results& r) {
  std::printf("\nMemory per idle connection: RSS growth / %d connections held 2 s\n",
              config.idle_connections);
  if (r.idle.error.empty()) {
    std::printf("  %-44s %7.1f KB\n", "p2pquic listener (this process)",
                r.idle.listener_bytes_per_connection / kBytesPerKilobyte);
    std::printf("  %-44s %7.1f KB\n", "p2pquic dialer (a child process)",
                r.idle.dialer_bytes_per_connection / kBytesPerKilobyte);
  } else {
    std::printf("  %-44s ERROR: %s\n", "p2pquic", r.idle.error.c_str());
  }
  if (r.js.error.empty()) {
    std::printf("  %-44s %7.1f KB\n", "js listener (spawned by bench.mjs)",
                r.js.idle_listener_bytes_per_connection / kBytesPerKilobyte);
  } else {
    std::printf("  %-44s ERROR: %s\n", "js listener", r.js.error.c_str());
  }
}

// NaN when either side is missing (its part failed or did not run).
double Ratio(double ours, double theirs) {
  return ours > 0 && theirs > 0 ? ours / theirs : std::nan("");
}

// "1.23x", or "n/a" for a missing ratio.
std::string Times(double ratio) {
  if (std::isnan(ratio)) return "n/a";
  char text[32];
  std::snprintf(text, sizeof(text), "%.2fx", ratio);
  return text;
}

void PrintTarget(const std::string& what, double ratio, double target) {
  const char* verdict = std::isnan(ratio) ? "UNKNOWN" : ratio >= target ? "MET" : "MISSED";
  std::printf("TARGET %-60s %-7s (%s)\n", what.c_str(), verdict, Times(ratio).c_str());
}

// One p2pquic layout and the js numbers it is compared with.
struct Variant {
  const char* name;
  const GoodputResult& goodput;
  const HandshakeResult& handshakes;
  const JsHandshakes& js_handshakes;
};

void PrintVariantRatios(const Variant& v, const Results& r) {
  const double up = Median(v.goodput.upload_mbps);
  const double down = Median(v.goodput.download_mbps);
  const double ngtcp2 = Median(r.ngtcp2.download_mbps);
  std::printf("  %-12s goodput / ngtcp2 pair:   download %s  upload %s\n", v.name,
              Times(Ratio(down, ngtcp2)).c_str(), Times(Ratio(up, ngtcp2)).c_str());
  std::printf("  %-12s goodput / js pair:       download %s  upload %s\n", v.name,
              Times(Ratio(down, Median(r.js.download_mbps))).c_str(),
              Times(Ratio(up, Median(r.js.upload_mbps))).c_str());
  std::printf("  %-12s handshakes/s / js pair:  %s\n", v.name,
              Times(Ratio(v.handshakes.per_second, v.js_handshakes.per_second)).c_str());
}

void PrintRatios(const Results& r) {
  const Variant variants[] = {
      {"in-process", r.one_thread, r.handshakes_one_thread, r.js.connect_close},
      {"2 processes", r.two_process, r.handshakes_two_process, r.js.connect_ping_close}};
  std::printf("\nRatios, p2pquic / other (medians)\n");
  for (const Variant& v : variants) PrintVariantRatios(v, r);
  std::printf(
      "  memory per idle connection, listener: p2pquic %.1f KB, js %.1f KB (%s)\n\n",
      r.idle.listener_bytes_per_connection / kBytesPerKilobyte,
      r.js.idle_listener_bytes_per_connection / kBytesPerKilobyte,
      Times(Ratio(r.idle.listener_bytes_per_connection, r.js.idle_listener_bytes_per_connection))
          .c_str());
  for (const Variant& v : variants) {
    const std::string suffix = std::string(" (") + v.name + ")";
    PrintTarget("goodput >= 0.8x ngtcp2 example pair, download" + suffix,
                Ratio(Median(v.goodput.download_mbps), Median(r.ngtcp2.download_mbps)),
                kGoodputTarget);
    PrintTarget("handshakes/s >= 3x js pair" + suffix,
                Ratio(v.handshakes.per_second, v.js_handshakes.per_second), kHandshakeTarget);
  }
}

bool AnyError(const Results& r) {
  for (const std::string* e :
       {&r.one_thread.error, &r.two_process.error, &r.handshakes_one_thread.error,
        &r.handshakes_two_process.error, &r.idle.error, &r.js.error, &r.ngtcp2.error}) {
    if (!e->empty()) return true;
  }
  return false;
}

void PrintErrors(const Results& r) {
  const std::pair<const char*, const std::string*> parts[] = {
      {"p2pquic goodput, in-process", &r.one_thread.error},
      {"p2pquic goodput, 2 processes", &r.two_process.error},
      {"p2pquic handshakes, in-process", &r.handshakes_one_thread.error},
      {"p2pquic handshakes, 2 processes", &r.handshakes_two_process.error},
      {"p2pquic idle memory", &r.idle.error},
      {"js pair", &r.js.error},
      {"ngtcp2 example pair", &r.ngtcp2.error}};
  for (const auto& [part, error] : parts) {
    if (!error->empty()) std::printf("ERROR %s: %s\n", part, error->c_str());
  }
}

int RunBench(const Config& config) {
  std::printf(
      "transport_bench: loopback 127.0.0.1, %u CPUs; perf %d MB x %d runs per direction, "
      "%d handshakes, %d idle connections\n",
      std::thread::hardware_concurrency(), config.perf_mb, config.perf_runs, config.handshakes,
      config.idle_connections);
  Results results;
  RunP2pquic(config, &results);
  results.js = RunJs(config);
  results.ngtcp2 = RunNgtcp2(config);
  PrintGoodput(config, results);
  PrintHandshakes(config, results);
  PrintMemory(config, results);
  PrintRatios(results);
  if (!AnyError(results)) return 0;
  std::printf("\n");
  PrintErrors(results);
  return 1;
}

}  // namespace
}  // namespace p2pquic::bench

int main(int argc, char** argv) {
  using p2pquic::bench::Config;
  Config config;
  if (const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY")) {
    config.workspace = workspace;
  }
  CLI::App app{"transport_bench: p2pquic vs the js pair vs ngtcp2's example pair on loopback"};
  app.add_option("--perf-mb", config.perf_mb, "MB (10^6 B) per perf run and direction")
      ->check(CLI::Range(1, 10000));
  app.add_option("--perf-runs", config.perf_runs, "perf runs per direction")
      ->check(CLI::Range(1, 100));
  app.add_option("--handshakes", config.handshakes, "timed sequential handshakes")
      ->check(CLI::Range(1, 100000));
  app.add_option("--handshake-warmup", config.handshake_warmup, "untimed handshakes first")
      ->check(CLI::Range(0, 10000));
  app.add_option("--idle-conns", config.idle_connections, "idle connections for the memory part")
      ->check(CLI::Range(1, 4000));
  app.add_option("--workspace", config.workspace,
                 "source tree, for interop/js/setup.sh (default: $BUILD_WORKSPACE_DIRECTORY)");
  app.add_option("--only", config.only,
                 "run only these parts: goodput handshakes idle js ngtcp2 (the rest print as "
                 "not run, and the exit status is 1)")
      ->delimiter(',')
      ->check(CLI::IsMember({"goodput", "handshakes", "idle", "js", "ngtcp2"}));
  app.add_option("--role", config.role, "internal: serve | idle-dial")->group("");
  app.add_option("--target", config.target, "internal: the idle-dial role's listener")->group("");
  CLI11_PARSE(app, argc, argv);
  if (config.role == "serve") return p2pquic::bench::RunServeRole();
  if (config.role == "idle-dial") {
    return p2pquic::bench::RunIdleDialRole(config.target, config.idle_connections,
                                           config.handshake_warmup);
  }
  return p2pquic::bench::RunBench(config);
}
