// The p2pquic side of the transport bench: Libp2pHosts with Ed25519
// identities over real UDP on 127.0.0.1, on the Boost.Asio runtime that
// p2pquic-node uses (node::NodeRuntime).
//
// Two layouts:
// - in-process: dialer and listener in this process, on ONE io_context, so
//   both ends share one thread (one core);
// - two processes: the listener is this binary in the "serve" role in a
//   child process, so each end has its own thread, as in the js pair and
//   the ngtcp2 example pair.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace p2pquic::bench {

struct P2pquicSettings {
  uint64_t perf_bytes = 0;   // Per perf run and direction.
  int perf_runs = 0;         // Per direction, a fresh connection each.
  int handshakes = 0;        // Timed sequential connect + close.
  int handshake_warmup = 0;  // Untimed ones first.
  int idle_connections = 0;  // Held open for the memory measurement.
  std::string self_path;     // This binary, for the child roles.
};

struct GoodputResult {
  // MB/s (10^6 bytes/s) = bytes / (stream open -> server's end of stream).
  std::vector<double> upload_mbps;
  std::vector<double> download_mbps;
  std::string error;  // Empty on success.
};

struct HandshakeResult {
  int count = 0;
  double per_second = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  // Handshakes the listener completed (in-process only; -1 when unknown):
  // shows that the listener verified every dialer's certificate too.
  int64_t listener_completed = -1;
  std::string error;
};

struct IdleMemoryResult {
  int connections = 0;
  // RSS growth / connections: the listener (this process) and the dialer
  // (the child process, which opens them).
  double listener_bytes_per_connection = 0;
  double dialer_bytes_per_connection = 0;
  std::string error;
};

GoodputResult MeasureGoodputInProcess(const P2pquicSettings& settings);
GoodputResult MeasureGoodputTwoProcesses(const P2pquicSettings& settings);
// Each handshake: connect, wait until the listener reports the connection
// ready (it has verified the dialer's certificate), close.
HandshakeResult MeasureHandshakesInProcess(const P2pquicSettings& settings);
// Each handshake: connect, one ping round trip (the listener's end cannot be
// observed from here; the echo proves it completed), close.
HandshakeResult MeasureHandshakesTwoProcesses(const P2pquicSettings& settings);
// Listener here, dialer in a child (this binary in the "idle-dial" role).
IdleMemoryResult MeasureIdleMemory(const P2pquicSettings& settings);

// Child roles (this binary started with --role). Each returns the exit code.
// serve: prints "LISTEN <multiaddr>", serves ping/identify/perf until SIGTERM.
int RunServeRole();
// idle-dial: `warmup` connect+close, "WARM", waits for "GO" on stdin, opens
// `connections`, holds them for a while, prints "OPEN <n> <dialer bytes per
// connection>", and closes them when stdin ends.
int RunIdleDialRole(const std::string& target, int connections, int warmup);

}  // namespace p2pquic::bench
