// p2pquic-node: a libp2p node over QUIC (ping, identify, perf) with a
// Prometheus /metrics endpoint.
#include <CLI/CLI.hpp>

#include "node/node_commands.h"

namespace {

using p2pquic::node::DialOptions;

constexpr int kMaxPings = 100000;

void AddDialOptions(CLI::App* command, DialOptions* options) {
  command->add_option("address", options->address, "/ip4|ip6/<addr>/udp/<port>/quic-v1/p2p/<id>")
      ->required();
  command->add_option("--identity", options->identity_file,
                      "libp2p private key file (default: a fresh Ed25519 identity)");
  command->add_option_function<double>(
      "--timeout",
      [options](double seconds) {
        options->timeout = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
      },
      "give up after this many seconds (default 30)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"p2pquic-node: a libp2p node over QUIC (ping, identify, perf)"};
  app.require_subcommand(1);

  p2pquic::node::ListenOptions listen;
  CLI::App* listen_cmd =
      app.add_subcommand("listen", "serve ping, identify and perf until SIGINT/SIGTERM");
  listen_cmd->add_option("addresses", listen.addresses, "multiaddrs to listen on")->required();
  listen_cmd->add_option("--identity", listen.identity_file, "libp2p private key file");
  listen_cmd->add_option("--metrics", listen.metrics, "serve Prometheus metrics on HOST:PORT");
  listen.workers = p2pquic::node::DefaultWorkerCount();
  listen_cmd
      ->add_option("--workers", listen.workers,
                   "worker threads per address, each with its own SO_REUSEPORT socket and "
                   "connections (default: one per core, " +
                       std::to_string(listen.workers) + " here)")
      ->check(CLI::Range(1u, p2pquic::node::kMaxWorkers));
  listen_cmd
      ->add_option("--steering", listen.steering,
                   "how datagrams reach the worker owning their connection: auto (the kernel's "
                   "reuseport program where it attaches, else user-space forwarding), kernel "
                   "(refuse to start without it), user (forwarding only)")
      ->check(CLI::IsMember({"auto", "kernel", "user"}));
  listen_cmd
      ->add_option("--retry", listen.retry,
                   "address validation with Retry: always, auto (only while unvalidated "
                   "handshakes exceed --retry-threshold or a source or memory limit is reached), "
                   "never (default auto)")
      ->check(CLI::IsMember({"always", "auto", "never"}));
  listen_cmd
      ->add_option("--retry-threshold", listen.retry_threshold,
                   "unvalidated handshakes in flight past which --retry auto sends Retry "
                   "(default 64)")
      ->check(CLI::Range(size_t{1}, size_t{1} << 20));
  listen_cmd->add_option("--token-secret", listen.token_secret_file,
                         "file with the 32-byte Retry/NEW_TOKEN secret (raw or 64 hex digits) "
                         "shared by every host of a deployment (default: derived from the "
                         "identity)");
  listen_cmd
      ->add_option("--lb-config-id", listen.lb_config_id,
                   "QUIC-LB config rotation id of the CIDs this node issues (0..6, default 0)")
      ->check(CLI::Range(0u, 6u));
  listen_cmd->add_option("--lb-host-id", listen.lb_host_id,
                         "this host's ID in the CIDs' server ID, above the worker bits (default "
                         "0; a multi-host deployment behind a QUIC-LB load balancer gives each "
                         "host its own)");
  listen_cmd
      ->add_option("--lb-server-id-length", listen.lb_server_id_length,
                   "bytes of server ID in each CID (1..15, default 2: host ID byte + worker byte)")
      ->check(CLI::Range(1u, 15u));
  listen_cmd->add_option("--lb-key", listen.lb_key_file,
                         "file with a 16-byte AES-128 key (raw or 32 hex digits) the CIDs' server "
                         "ID is encrypted with (QUIC-LB); steering is then user-space");

  DialOptions ping_options;
  p2pquic::node::PingOptions ping;
  double interval_seconds = 1.0;
  CLI::App* ping_cmd = app.add_subcommand("ping", "ping a peer (/ipfs/ping/1.0.0)");
  AddDialOptions(ping_cmd, &ping_options);
  ping_cmd->add_option("--count", ping.count, "pings to send (default 4)")
      ->check(CLI::Range(1, kMaxPings));
  ping_cmd->add_option("--interval", interval_seconds, "seconds between pings (default 1)")
      ->check(CLI::Range(0.0, 3600.0));
  ping_cmd
      ->add_option("--migrate-after", ping.migrate_after,
                   "after this many pings (1 <= N < --count), move to a new local UDP port on "
                   "the same IP (connection migration with path validation), print MIGRATED "
                   "<old> -> <new>, and send the remaining pings on the same connection")
      ->check(CLI::Range(1, kMaxPings));
  // Only known once --count is parsed too; the pings after the move are
  // what shows the connection survived it, so there must be some.
  ping_cmd->final_callback([&ping] {
    if (ping.migrate_after >= ping.count) {
      throw CLI::ValidationError("--migrate-after", "must be less than --count (" +
                                                        std::to_string(ping.count) +
                                                        "): pings must follow the migration");
    }
  });

  DialOptions identify_options;
  CLI::App* identify_cmd = app.add_subcommand("identify", "ask a peer who it is (/ipfs/id/1.0.0)");
  AddDialOptions(identify_cmd, &identify_options);

  DialOptions perf_options;
  uint64_t upload = 0, download = 0;
  CLI::App* perf_cmd = app.add_subcommand("perf", "measure goodput (/perf/1.0.0)");
  AddDialOptions(perf_cmd, &perf_options);
  perf_cmd->add_option("--upload", upload, "bytes to upload")->required();
  perf_cmd->add_option("--download", download, "bytes to download")->required();
  perf_cmd->add_flag("--json", perf_options.json, "print one JSON line");

  std::string key_type = "ed25519", key_path;
  bool overwrite = false;
  CLI::App* keygen_cmd = app.add_subcommand("keygen", "write a new identity key file (mode 0600)");
  keygen_cmd->add_option("--type", key_type, "ed25519 | secp256k1 | ecdsa | rsa");
  keygen_cmd->add_option("-o,--output", key_path, "key file to write")->required();
  keygen_cmd->add_flag("--force", overwrite, "replace an existing file");

  CLI11_PARSE(app, argc, argv);
  if (*listen_cmd) return p2pquic::node::RunListen(listen);
  if (*ping_cmd) {
    ping.interval = std::chrono::milliseconds(static_cast<int64_t>(interval_seconds * 1000));
    return p2pquic::node::RunPing(ping_options, ping);
  }
  if (*identify_cmd) return p2pquic::node::RunIdentify(identify_options);
  if (*perf_cmd) return p2pquic::node::RunPerf(perf_options, upload, download);
  return p2pquic::node::RunKeygen(key_type, key_path, overwrite);
}
