// The p2pquic-node commands. Each returns the process exit code and prints
// one line on stderr saying why when it fails.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace p2pquic::node {

// Most workers `listen --workers` runs per address: each is a thread with
// its own socket, ~1 MiB of receive slots and a host; 64 is more cores than
// the node is meant for, and well below the 256 workers the default CID
// layout can name (worker_bits 8).
inline constexpr uint32_t kMaxWorkers = 64;
// The default: one worker per core the system reports, within 1..kMaxWorkers.
uint32_t DefaultWorkerCount();

struct ListenOptions {
  std::vector<std::string> addresses;
  std::string identity_file;  // Empty: a fresh Ed25519 identity.
  std::string metrics;        // HOST:PORT for /metrics, or empty.
  // Workers per address (1..kMaxWorkers; worker_group.h). The node prints
  // "LISTEN <addr>" and "STEERING <mode> (<why>)" once per address, then
  // "WORKERS <n>".
  uint32_t workers = 1;
  // How datagrams reach their worker: "auto" (the kernel program where it
  // attaches, else user-space forwarding), "kernel" (or refuse to start),
  // "user" (forwarding only). See worker_group.h.
  std::string steering = "auto";
  // Address validation (handshake_admission.h): "always", "auto", "never";
  // and the unvalidated handshakes in flight past which "auto" retries.
  std::string retry = "auto";
  size_t retry_threshold = 64;
  // A file holding the Retry/NEW_TOKEN token secret (32 bytes, raw or as 64
  // hex digits): hosts of one deployment share it. Empty: derived from the
  // identity (every worker of this node shares it).
  std::string token_secret_file;
  // The CID layout (quic_lb_config.h): QUIC-LB config id (0..6), this
  // host's ID (the server ID's bits above the worker bits), server ID
  // length, and an optional AES-128 key file (16 bytes, raw or 32 hex
  // digits) shared with a QUIC-LB load balancer. A key makes the kernel
  // program unusable (it cannot decrypt): steering is then user-space.
  uint32_t lb_config_id = 0;
  uint64_t lb_host_id = 0;
  uint32_t lb_server_id_length = 2;
  std::string lb_key_file;
};
struct DialOptions {
  std::string address;
  std::string identity_file;
  std::chrono::milliseconds timeout{30000};
  bool json = false;
};

struct PingOptions {
  int count = 4;  // >= 1.
  std::chrono::milliseconds interval{1000};
  // 0: never. Otherwise (1 <= migrate_after < count) after that many pings
  // the client moves to a new local port on the same IP (Libp2pHost::
  // Migrate), prints "MIGRATED <old> -> <new>", and sends the remaining
  // pings on a new ping stream of the same connection (no redial). It then
  // waits for the new path's validation and prints "PATH <local> ->
  // <remote> validated (same connection, 1 handshake)"; a migration the
  // host refuses, a failed validation or a second handshake exit 1.
  int migrate_after = 0;
};

int RunListen(const ListenOptions& options);
int RunPing(const DialOptions& options, const PingOptions& ping);
int RunIdentify(const DialOptions& options);
int RunPerf(const DialOptions& options, uint64_t upload, uint64_t download);
int RunKeygen(const std::string& type, const std::string& path, bool overwrite);

}  // namespace p2pquic::node
