// The js pair of the transport bench: interop/js/bench.mjs (js-libp2p +
// @chainsafe/libp2p-quic on both ends, two processes) run with the Node the
// project's set-up installs, its one JSON line parsed.
//
// The peer is found through P2PQUIC_JS_NODE and P2PQUIC_JS_PEER (as the
// interop test gets it from bazel/bazelw), or else by running
// interop/js/setup.sh --prefix ${P2PQUIC_JS_PREFIX:-~/.cache/p2pquic/js-peer}
// from the workspace (`bazel run` says where it is), which installs it if
// needed and prints PEER= and NODE=.
//
// bench.mjs runs twice: perf, handshakes without ping and idle memory; then
// handshakes with one ping each.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace p2pquic::bench {

struct JsSettings {
  uint64_t perf_bytes = 0;
  int perf_runs = 0;
  int handshakes = 0;
  int handshake_warmup = 0;
  int idle_connections = 0;
  std::string workspace;  // The source tree, for interop/js/setup.sh.
};

struct JsHandshakes {
  int count = 0;
  double per_second = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
};

struct JsResult {
  std::string implementation;  // As bench.mjs names it.
  std::vector<double> upload_mbps;
  std::vector<double> download_mbps;
  JsHandshakes connect_close;       // bench.mjs --no-ping: dial + close.
  JsHandshakes connect_ping_close;  // bench.mjs default: dial + 1 ping + close.
  double idle_listener_bytes_per_connection = 0;
  std::string error;  // Empty on success.
};

JsResult RunJsPair(const JsSettings& settings);

}  // namespace p2pquic::bench
