#include "node/node_commands.h"

#include <prometheus/exposer.h>
#include <prometheus/registry.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <thread>

#include "metrics/endpoint_metrics_exporter.h"
#include "metrics/registry_metrics_exporter.h"
#include "node/node_host.h"
#include "node/node_runtime.h"
#include "node/worker_group.h"
#include "transport/base/hex.h"
#include "transport/host/identify_client.h"
#include "transport/host/libp2p_host.h"
#include "transport/host/perf_client_handler.h"
#include "transport/host/ping_client.h"
#include "transport/identity/key_type.h"
#include "transport/quic/endpoint/address_validator.h"
#include "transport/quic/endpoint/handshake_admission.h"
#include "transport/routing/quic_lb_config.h"
#include "transport/runtime/openssl/key_file.h"
#include "transport/runtime/openssl/rsa_key_generator.h"

namespace p2pquic::node {
namespace {

constexpr auto kShutdownGrace = std::chrono::milliseconds(2000);
// How long `ping --migrate-after` waits for the peer's spare CID.
constexpr auto kMigrationWait = std::chrono::milliseconds(2000);

int Fail(const std::string& reason) {
  std::fprintf(stderr, "p2pquic-node: %s\n", reason.c_str());
  return 1;
}

bool LoadIdentity(const std::string& path, Random& random, PrivateKey* key, std::string* error) {
  if (path.empty()) {
    if (PrivateKey::Generate(KeyType::kEd25519, random, key) == KeyStatus::kOk) return true;
    *error = "cannot generate an identity";
    return false;
  }
  const KeyFileResult result = KeyFile::Read(path, key);
  if (!result.ok()) *error = "identity " + path + ": " + result.Describe();
  return result.ok();
}

bool ParseAddress(const std::string& text, Multiaddr* out, std::string* error) {
  const MultiaddrError parsed = Multiaddr::Parse(text, out);
  if (parsed.ok()) return true;
  *error = "bad multiaddr '" + text + "': " + parsed.ToString();
  return false;
}

// Binds an ephemeral socket of the remote's family and makes a host on it.
struct Dialer {
  NodeRuntime runtime;
  std::unique_ptr<AsioUdpSocket> socket;
  std::unique_ptr<Libp2pHost> host;
  ConnectionHandle connection;
  std::string error;
  std::string peer_text;      // The authenticated peer's ID.
  std::string closed_reason;  // Why the connection ended, if not by Close.
  bool closing = false;       // Close has begun.
  bool connected = false;
  bool failed = false;

  bool Connect(const DialOptions& options) {
    Multiaddr target;
    if (!ParseAddress(options.address, &target, &error)) return false;
    PrivateKey identity;
    if (!LoadIdentity(options.identity_file, runtime.random(), &identity, &error)) return false;
    const SocketAddress any = target.socket_address().family() == AddressFamily::kIpv6
                                  ? SocketAddress::Ipv6({}, 0)
                                  : SocketAddress::Ipv4({0, 0, 0, 0}, 0);
    socket = runtime.Bind(any, &error);
    if (!socket) return false;
    HostOptions host_options;
    host_options.endpoint.accept_inbound = false;
    if (BuildNodeHost(host_options, std::move(identity), *socket, runtime.clock(), runtime.random(),
                      &host, &error) != NodeHostStatus::kOk) {
      return false;
    }
    host->on_connection_closed = [this](ConnectionHandle handle, const ConnectionEnd& end) {
      if (handle == connection && !closing) closed_reason = end.reason;
    };
    host->Start();
    host->Connect(target,
                  [this](ConnectionHandle handle, const PeerId* peer, const std::string& why) {
                    connection = handle;
                    connected = peer != nullptr;
                    if (connected) peer_text = peer->ToString();
                    failed = peer == nullptr;
                    if (failed) error = "connect failed: " + why;
                  });
    runtime.RunUntil([&] { return connected || failed; }, options.timeout);
    if (!connected && !failed) error = "connect timed out";
    return connected;
  }

  // `error`, and why the connection ended if it did (a stream that closed
  // because its connection did says no more).
  std::string Explain(std::string error) const {
    if (!error.empty() && !closed_reason.empty())
      error += " (connection closed: " + closed_reason + ")";
    return error;
  }

  // Runs until `done` or the timeout; then closes gracefully.
  bool Run(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const bool finished = runtime.RunUntil(done, timeout);
    Close();
    return finished;
  }

  // Closes every connection gracefully, waiting at most kShutdownGrace.
  void Close() {
    closing = true;
    host->DisconnectAll();
    runtime.RunUntil([&] { return host->connection_count() == 0; }, kShutdownGrace);
  }
};

using SteadyTime = std::chrono::steady_clock::time_point;

std::chrono::milliseconds Remaining(SteadyTime deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

// What one ping stream reported. Shared with the stream's callbacks, which
// can run as late as the host's destruction.
struct PingProgress {
  std::optional<PingReport> report;
  Timestamp last_sent{};  // When the latest echoed ping was written.
};

// Sends `count` pings on a new /ipfs/ping/1.0.0 stream of the dialer's
// connection, printing "PING <n> <rtt> ms" with n counted from `first` + 1,
// and leaves the connection open. Sets `*error` unless every ping came back
// before `deadline`.
std::shared_ptr<PingProgress> PingOnNewStream(Dialer& dialer, int first, int count,
                                              std::chrono::milliseconds interval,
                                              SteadyTime deadline, std::string* error) {
  auto progress = std::make_shared<PingProgress>();
  AsioClock& clock = dialer.runtime.clock();
  auto on_rtt = [progress, first, &clock](int index, Duration rtt) {
    progress->last_sent = clock.Now() - rtt;
    std::printf("PING %d %.3f ms\n", first + index + 1, Seconds(rtt) * 1000);
    std::fflush(stdout);
  };
  auto on_done = [progress](const PingReport& report) { progress->report = report; };
  const OpenStreamResult opened =
      dialer.host->OpenStream(dialer.connection, {"/ipfs/ping/1.0.0"},
                              std::make_unique<PingClient>(clock, dialer.runtime.random(), count,
                                                           interval, on_rtt, on_done));
  if (opened != OpenStreamResult::kOk) {
    *error = std::string("ping: ") + ToString(opened);
  } else if (!dialer.runtime.RunUntil([&] { return progress->report.has_value(); },
                                      Remaining(deadline))) {
    *error = "ping timed out";
  } else if (!progress->report->error.empty()) {
    *error = "ping: " + progress->report->error;
  }
  return progress;
}

// Runs the I/O loop until `at` (or `deadline`, if sooner).
void RunUntilTime(Dialer& dialer, Timestamp at, SteadyTime deadline) {
  AsioClock& clock = dialer.runtime.clock();
  if (at <= clock.Now()) return;
  auto due = std::make_shared<bool>(false);
  const TimerId timer = clock.ScheduleAt(at, [due] { *due = true; });
  dialer.runtime.RunUntil([&] { return *due; }, Remaining(deadline));
  clock.Cancel(timer);
}

// Moves the dialer to a new port on the same IP and prints the move; then
// "" or why not.
std::string Migrate(Dialer& dialer, SocketAddress* moved_to) {
  const SocketAddress from = dialer.host->LocalAddress();
  MigrateResult result = dialer.host->Migrate(from.WithPort(0));
  if (result == MigrateResult::kDeferred) {
    // Not confirmed yet, or no spare CID of the server's yet: both come
    // within a round trip or so.
    Endpoint& endpoint = dialer.host->endpoint();
    dialer.runtime.RunUntil([&] { return !endpoint.pending_migration(); }, kMigrationWait);
    if (endpoint.pending_migration()) {
      endpoint.CancelPendingMigration();
      return std::string("migrate: ") + ToString(result) + " (gave up waiting)";
    }
    if (dialer.host->LocalAddress() == from) return "migrate: the deferred move was abandoned";
    result = MigrateResult::kOk;
  }
  if (result != MigrateResult::kOk) return std::string("migrate: ") + ToString(result);
  *moved_to = dialer.host->LocalAddress();
  std::printf("MIGRATED %s -> %s\n", from.ToString().c_str(), moved_to->ToString().c_str());
  std::fflush(stdout);
  return "";
}

// After the pings on the new path: waits (until `deadline`) for the
// dialer's validation of the new path, checks the connection is the one it
// dialed (one handshake, still live, now on `moved_to`) and prints it; then
// "" or why not.
std::string ConfirmMigration(Dialer& dialer, const SocketAddress& moved_to, SteadyTime deadline) {
  const EndpointStats& stats = dialer.host->endpoint().stats();
  dialer.runtime.RunUntil(
      [&] { return stats.path_validations_succeeded + stats.path_validations_failed > 0; },
      Remaining(deadline));
  if (stats.path_validations_failed > 0) return "migrate: the new path failed validation";
  if (stats.path_validations_succeeded == 0) return "migrate: the new path was never validated";
  if (stats.handshakes_started != 1 || dialer.host->connection_count() != 1) {
    return "migrate: not the dialed connection any more (" +
           std::to_string(stats.handshakes_started) + " handshakes, " +
           std::to_string(dialer.host->connection_count()) + " connections)";
  }
  const QuicConnection* quic = dialer.host->endpoint().Find(dialer.connection);
  if (quic == nullptr) return "migrate: the connection is gone";
  const NetworkPath path = quic->path();
  if (path.local != moved_to) {
    return "migrate: the connection is still on " + path.local.ToString() + ", not " +
           moved_to.ToString();
  }
  std::printf("PATH %s -> %s validated (same connection, 1 handshake)\n",
              path.local.ToString().c_str(), path.remote.ToString().c_str());
  std::fflush(stdout);
  return "";
}

bool ParseSteering(const std::string& text, SteeringRequest* out, std::string* error) {
  for (SteeringRequest request :
       {SteeringRequest::kAuto, SteeringRequest::kKernel, SteeringRequest::kUserSpace}) {
    if (text == ToString(request)) {
      *out = request;
      return true;
    }
  }
  *error = "--steering must be auto, kernel or user";
  return false;
}

bool ParseRetry(const std::string& text, RetryPolicy* out, std::string* error) {
  for (RetryPolicy policy : {RetryPolicy::kAlways, RetryPolicy::kAuto, RetryPolicy::kNever}) {
    if (text == ToString(policy)) {
      *out = policy;
      return true;
    }
  }
  *error = "--retry must be always, auto or never";
  return false;
}

// Reads a secret of exactly out.size() bytes from `path`: the raw bytes, or
// twice as many hex digits (a trailing newline allowed). Only a regular
// file is opened (a FIFO would block the node before it starts).
bool ReadSecretFile(const std::string& path, std::span<uint8_t> out, std::string* error) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    *error = path + ": " + std::strerror(errno);
    return false;
  }
  if (!S_ISREG(info.st_mode)) {
    *error = path + ": not a regular file";
    return false;
  }
  std::ifstream file(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (bytes.size() == out.size()) {
    std::copy(bytes.begin(), bytes.end(), out.begin());
    return true;
  }
  while (!bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r')) bytes.pop_back();
  std::vector<uint8_t> decoded;
  if (bytes.size() == 2 * out.size() && HexDecode(bytes, &decoded) == HexDecodeResult::kOk) {
    std::copy(decoded.begin(), decoded.end(), out.begin());
    return true;
  }
  *error = path + ": must hold " + std::to_string(out.size()) + " bytes, raw or as " +
           std::to_string(2 * out.size()) + " hex digits";
  return false;
}

std::string AddressText(const std::vector<uint8_t>& bytes) {
  Multiaddr address;
  return Multiaddr::FromBytes(bytes, &address).ok() ? address.ToString() : "<unparsable>";
}

}  // namespace

uint32_t DefaultWorkerCount() {
  return std::clamp<uint32_t>(std::thread::hardware_concurrency(), 1, kMaxWorkers);
}

int RunListen(const ListenOptions& options) {
  if (options.workers < 1 || options.workers > kMaxWorkers) {
    return Fail("--workers " + std::to_string(options.workers) + " is not in 1.." +
                std::to_string(kMaxWorkers));
  }
  WorkerGroupOptions group_options;
  group_options.worker_count = options.workers;
  std::string error;
  if (!ParseSteering(options.steering, &group_options.steering, &error) ||
      !ParseRetry(options.retry, &group_options.host.endpoint.retry_policy, &error)) {
    return Fail(error);
  }
  group_options.host.endpoint.retry_threshold = options.retry_threshold;
  if (!options.token_secret_file.empty()) {
    TokenSecret secret;
    if (!ReadSecretFile(options.token_secret_file, secret, &error)) {
      return Fail("--token-secret " + error);
    }
    group_options.host.endpoint.token_secret = secret;
  }
  QuicLbConfig& lb = group_options.lb;
  lb.config_id = static_cast<uint8_t>(std::min<uint32_t>(options.lb_config_id, 255));
  lb.host_id = options.lb_host_id;
  lb.server_id_length = options.lb_server_id_length;
  // The CID stays 8 bytes (the node's length) where the server ID allows.
  lb.nonce_length = std::max<size_t>(QuicLbConfig::kMinNonceLength,
                                     lb.server_id_length < 7 ? 7 - lb.server_id_length : 0);
  if (!options.lb_key_file.empty()) {
    QuicLbConfig::Key key;
    if (!ReadSecretFile(options.lb_key_file, key, &error)) return Fail("--lb-key " + error);
    lb.key = key;
  }
  if (const QuicLbConfigStatus checked = CheckQuicLbConfig(lb);
      checked != QuicLbConfigStatus::kOk) {
    return Fail(std::string("CID layout (--lb-*): ") + ToString(checked));
  }
  NodeRuntime runtime;  // The main thread's: signals and identity only.
  PrivateKey identity;
  if (!LoadIdentity(options.identity_file, runtime.random(), &identity, &error)) return Fail(error);
  std::vector<uint8_t> identity_bytes;
  identity.Encode(&identity_bytes);
  // Declared first, destroyed last: the workers' exporters and the
  // exposer's scraping threads read it until they are gone.
  auto registry = std::make_shared<prometheus::Registry>();
  // Every group stops (threads joined) when this goes out of scope.
  std::vector<std::unique_ptr<WorkerGroup>> groups;
  for (const std::string& text : options.addresses) {
    Multiaddr address;
    if (!ParseAddress(text, &address, &error)) return Fail(error);
    group_options.address = address.socket_address();
    group_options.identity = identity_bytes;
    auto group = WorkerGroup::Open(group_options, &error);
    if (!group) return Fail(error);
    SteeringChoice steering;
    if (group->AttachSteering(&steering) != WorkerGroup::SteeringAttach::kOk) {
      return Fail("--steering kernel: " + steering.why);
    }
    std::printf("LISTEN %s\n", group->ListenAddress().ToString().c_str());
    std::printf("STEERING %s (%s)\n", ToString(steering.mode), steering.why.c_str());
    groups.push_back(std::move(group));
  }
  std::printf("WORKERS %u\n", options.workers);
  std::fflush(stdout);

  // Destroyed first: its scraping threads stop before anything they read goes.
  std::unique_ptr<prometheus::Exposer> exposer;
  if (!options.metrics.empty()) {
    try {
      exposer = std::make_unique<prometheus::Exposer>(options.metrics);
    } catch (const std::exception& e) {
      return Fail("cannot serve metrics on " + options.metrics + ": " + e.what());
    }
    // Worker labels count on across addresses: a worker is a thread.
    uint32_t first_label = 0;
    for (auto& group : groups) {
      group->ExportMetrics(*registry, first_label);
      first_label += group->worker_count();
    }
    exposer->RegisterCollectable(registry);
  }
  for (auto& group : groups) group->Start();
  if (exposer) {
    std::printf("METRICS http://%s/metrics\n", options.metrics.c_str());
    std::fflush(stdout);
  }
  runtime.RunUntilSignal();
  for (auto& group : groups) group->RequestStop();
  for (auto& group : groups) group->Join();
  exposer.reset();  // Its threads may be collecting the registry right now.
  return 0;
}

int RunPing(const DialOptions& options, const PingOptions& ping) {
  Dialer dialer;
  if (!dialer.Connect(options)) return Fail(dialer.error);
  const SteadyTime deadline = std::chrono::steady_clock::now() + options.timeout;
  const bool migrate = ping.migrate_after > 0;
  const int before = migrate ? ping.migrate_after : ping.count;
  std::string error;
  const std::shared_ptr<PingProgress> first =
      PingOnNewStream(dialer, 0, before, ping.interval, deadline, &error);
  SocketAddress moved_to;
  if (error.empty() && migrate) error = Migrate(dialer, &moved_to);
  if (error.empty() && migrate) {
    // Keep the pace --interval sets across the move.
    RunUntilTime(dialer, first->last_sent + ping.interval, deadline);
    PingOnNewStream(dialer, before, ping.count - before, ping.interval, deadline, &error);
    if (error.empty()) error = ConfirmMigration(dialer, moved_to, deadline);
  }
  dialer.Close();
  return error.empty() ? 0 : Fail(dialer.Explain(error));
}

int RunIdentify(const DialOptions& options) {
  Dialer dialer;
  if (!dialer.Connect(options)) return Fail(dialer.error);
  std::optional<IdentifyReport> report;
  const OpenStreamResult opened = dialer.host->OpenStream(
      dialer.connection, {"/ipfs/id/1.0.0"},
      std::make_unique<IdentifyClient>([&](const IdentifyReport& r) { report = r; }));
  if (opened != OpenStreamResult::kOk) return Fail(std::string("identify: ") + ToString(opened));
  if (!dialer.Run([&] { return report.has_value(); }, options.timeout)) {
    return Fail("identify timed out");
  }
  if (!report->error.empty()) return Fail(dialer.Explain("identify: " + report->error));
  const protocols::IdentifyMessage& m = report->message;
  nlohmann::json out;
  out["peerId"] = dialer.peer_text;
  out["protocolVersion"] = m.protocol_version.value_or("");
  out["agentVersion"] = m.agent_version.value_or("");
  out["protocols"] = m.protocols;
  out["listenAddrs"] = nlohmann::json::array();
  for (const auto& bytes : m.listen_addrs) out["listenAddrs"].push_back(AddressText(bytes));
  out["observedAddr"] = m.observed_addr ? AddressText(*m.observed_addr) : "";
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

int RunPerf(const DialOptions& options, uint64_t upload, uint64_t download) {
  Dialer dialer;
  if (!dialer.Connect(options)) return Fail(dialer.error);
  std::optional<PerfReport> report;
  const OpenStreamResult opened = dialer.host->OpenStream(
      dialer.connection, {"/perf/1.0.0"},
      std::make_unique<PerfClientHandler>(dialer.runtime.clock(), upload, download,
                                          [&](const PerfReport& r) { report = r; }));
  if (opened != OpenStreamResult::kOk) return Fail(std::string("perf: ") + ToString(opened));
  if (!dialer.Run([&] { return report.has_value(); }, options.timeout))
    return Fail("perf timed out");
  if (!report->error.empty()) return Fail(dialer.Explain("perf: " + report->error));
  const double up = Seconds(report->upload_time), down = Seconds(report->download_time);
  if (options.json) {
    nlohmann::json out;
    out["uploadBytes"] = report->uploaded;
    out["downloadBytes"] = report->downloaded;
    out["uploadSeconds"] = up;
    out["downloadSeconds"] = down;
    out["totalSeconds"] = Seconds(report->total_time);
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf(
        "upload %llu bytes in %.3f s (%.1f MB/s), download %llu bytes in %.3f s (%.1f MB/s)\n",
        static_cast<unsigned long long>(report->uploaded), up,
        up > 0 ? report->uploaded / up / 1e6 : 0.0,
        static_cast<unsigned long long>(report->downloaded), down,
        down > 0 ? report->downloaded / down / 1e6 : 0.0);
  }
  return 0;
}

int RunKeygen(const std::string& type, const std::string& path, bool overwrite) {
  KeyType key_type;
  if (type == "ed25519") {
    key_type = KeyType::kEd25519;
  } else if (type == "secp256k1") {
    key_type = KeyType::kSecp256k1;
  } else if (type == "ecdsa") {
    key_type = KeyType::kEcdsa;
  } else if (type == "rsa") {
    key_type = KeyType::kRsa;
  } else {
    return Fail("unknown key type '" + type + "' (ed25519, secp256k1, ecdsa, rsa)");
  }
  NodeRuntime runtime;
  PrivateKey key;
  const KeyStatus made = key_type == KeyType::kRsa
                             ? RsaKeyGenerator::Generate(RsaKeyGenerator::kDefaultBits, &key)
                             : PrivateKey::Generate(key_type, runtime.random(), &key);
  if (made != KeyStatus::kOk) return Fail(std::string("keygen: ") + ToString(made));
  const KeyFileResult written = KeyFile::Write(
      path, key, overwrite ? KeyFile::Overwrite::kReplace : KeyFile::Overwrite::kRefuse);
  if (!written.ok()) return Fail(path + ": " + written.Describe());
  std::printf("PEERID %s\n", PeerId::FromPublicKey(key.public_key()).ToString().c_str());
  return 0;
}

}  // namespace p2pquic::node
