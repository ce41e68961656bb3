#include "bench/js_pair_bench.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bench/subprocess.h"

namespace p2pquic::bench {
namespace {

using std::chrono::milliseconds;

// setup.sh takes ~40 ms when installed and ~6 s for a fresh npm ci.
constexpr auto kSetupTimeout = milliseconds(180000);
// bench.mjs's own bound, and ours a little above it.
constexpr int kBenchMjsTimeoutSeconds = 150;
constexpr auto kBenchMjsTimeout = milliseconds((kBenchMjsTimeoutSeconds + 10) * 1000);
constexpr size_t kErrorTailLines = 5;

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::string LastLines(const std::string& text, size_t count) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string out;
  for (size_t i = lines.size() > count ? lines.size() - count : 0; i < lines.size(); ++i) {
    out += "\n    " + lines[i];
  }
  return out;
}

std::string ValueAfter(const std::string& text, const std::string& key) {
  std::string value;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) == 0) value = line.substr(key.size());
  }
  return value;
}

struct JsPeer {
  std::string node;
  std::string bench_mjs;
};

// From the environment, or from setup.sh; false with `*error` set if
// neither gives a usable peer.
bool LocateJsPeer(const std::string& workspace, JsPeer* peer, std::string* error) {
  std::string node = Env("P2PQUIC_JS_NODE");
  std::string peer_mjs = Env("P2PQUIC_JS_PEER");
  if (node.empty() || peer_mjs.empty()) {
    if (workspace.empty()) {
      *error =
          "cannot find interop/js/setup.sh: run through `bazel run` (or pass --workspace), "
          "or set P2PQUIC_JS_NODE and P2PQUIC_JS_PEER";
      return false;
    }
    const std::string prefix = Env("P2PQUIC_JS_PREFIX").empty()
                                   ? Env("HOME") + "/.cache/p2pquic/js-peer"
                                   : Env("P2PQUIC_JS_PREFIX");
    const CommandResult setup = RunCommand(
        {"/bin/bash", workspace + "/interop/js/setup.sh", "--prefix", prefix}, kSetupTimeout);
    node = ValueAfter(setup.output, "NODE=");
    peer_mjs = ValueAfter(setup.output, "PEER=");
    if (setup.exit_status != 0 || node.empty() || peer_mjs.empty()) {
      *error = "interop/js/setup.sh failed (the js peer is not installed):" +
               LastLines(setup.output, kErrorTailLines);
      return false;
    }
  }
  peer->node = node;
  peer->bench_mjs = peer_mjs.substr(0, peer_mjs.rfind('/') + 1) + "bench.mjs";
  if (access(peer->node.c_str(), X_OK) != 0 || access(peer->bench_mjs.c_str(), R_OK) != 0) {
    *error = "the js peer is incomplete: need " + peer->node + " and " + peer->bench_mjs;
    return false;
  }
  return true;
}

std::vector<double> Numbers(const nlohmann::json& array) {
  std::vector<double> out;
  for (const auto& v : array) out.push_back(v.get<double>());
  return out;
}

JsHandshakes ParseHandshakes(const nlohmann::json& h) {
  JsHandshakes out;
  out.count = h["count"].get<int>();
  out.per_second = h["perSecond"].get<double>();
  out.p50_ms = h["latencyMs"]["p50"].get<double>();
  out.p90_ms = h["latencyMs"]["p90"].get<double>();
  out.p99_ms = h["latencyMs"]["p99"].get<double>();
  return out;
}

// Runs bench.mjs with `args`; its JSON line, or null with `*error` set.
nlohmann::json RunBenchMjs(const JsPeer& peer, const std::vector<std::string>& args,
                           std::string* error) {
  std::vector<std::string> argv = {peer.node, peer.bench_mjs, "--timeout",
                                   std::to_string(kBenchMjsTimeoutSeconds)};
  argv.insert(argv.end(), args.begin(), args.end());
  const CommandResult run = RunCommand(argv, kBenchMjsTimeout);
  if (run.timed_out || run.exit_status != 0) {
    *error = "bench.mjs failed (exit " + std::to_string(run.exit_status) +
             (run.timed_out ? ", timed out" : "") + "):" + LastLines(run.output, kErrorTailLines);
    return nullptr;
  }
  // Its result is the last line that is a JSON object.
  std::string json_line;
  std::istringstream in(run.output);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.front() == '{') json_line = line;
  }
  try {
    return nlohmann::json::parse(json_line);
  } catch (const std::exception& e) {
    *error = std::string("cannot parse bench.mjs output: ") + e.what() +
             LastLines(run.output, kErrorTailLines);
    return nullptr;
  }
}

// Reads what the first run measured; throws on a missing field.
void ParseMainRun(const nlohmann::json& j, JsResult* result) {
  result->implementation = j.value("impl", "") + ", node " + j.value("node", "");
  result->upload_mbps = Numbers(j.at("perf").at("uploadMBps").at("all"));
  result->download_mbps = Numbers(j.at("perf").at("downloadMBps").at("all"));
  result->connect_close = ParseHandshakes(j.at("handshakes"));
  result->idle_listener_bytes_per_connection = j.at("idle").at("bytesPerConnection").get<double>();
}

}  // namespace

JsResult RunJsPair(const JsSettings& settings) {
  JsResult result;
  JsPeer peer;
  if (!LocateJsPeer(settings.workspace, &peer, &result.error)) return result;
  const std::string handshakes = std::to_string(settings.handshakes);
  const std::string warmup = std::to_string(settings.handshake_warmup);
  // --no-ping: connect + close, the work of p2pquic's in-process loop.
  const nlohmann::json main_run = RunBenchMjs(
      peer,
      {"--handshakes", handshakes, "--warmup", warmup, "--no-ping", "--perf-bytes",
       std::to_string(settings.perf_bytes), "--perf-runs", std::to_string(settings.perf_runs),
       "--idle-conns", std::to_string(settings.idle_connections)},
      &result.error);
  if (main_run.is_null()) return result;
  // With one ping per connection: the work of p2pquic's two-process loop.
  const nlohmann::json ping_run = RunBenchMjs(
      peer, {"--handshakes", handshakes, "--warmup", warmup, "--perf-bytes", "0"}, &result.error);
  if (ping_run.is_null()) return result;
  try {
    ParseMainRun(main_run, &result);
    result.connect_ping_close = ParseHandshakes(ping_run.at("handshakes"));
  } catch (const std::exception& e) {
    result.error = std::string("unexpected bench.mjs output: ") + e.what();
  }
  return result;
}

}  // namespace p2pquic::bench
