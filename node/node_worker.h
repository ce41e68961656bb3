// NodeWorker: one worker of a listening p2pquic-node. A worker is a thread
// driving its own NodeRuntime (io_context, clock, random), its own UDP
// socket on the listen address (shared with the group's other workers by
// SO_REUSEPORT) and its own Libp2pHost built by BuildNodeHost with the
// node's identity (so every worker has the node's peer ID and stateless
// reset secret). A connection lives on one worker for its whole life.
//
// With several workers the host sees the socket through a SteeringSocket:
// the datagrams the kernel gives this worker that the steering rule
// (worker_steering.h) assigns to another worker are handed to the group's
// forwarder, and the ones other workers forward here come in through it;
// the host's connections issue QUIC-LB CIDs naming this worker
// (QuicLbCidMinter), so every later datagram of a connection steers here,
// whatever address it comes from. A lone worker uses the socket directly;
// its CIDs are QUIC-LB CIDs too (a load balancer in front of several hosts
// routes by them).
//
// Threads: Open, the accessors and metrics setup on the group's thread
// before Start; from Start to Join everything but RequestStop belongs to
// the worker's thread. Metrics are exported on the worker's thread.
#pragma once

#include <prometheus/registry.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "metrics/endpoint_metrics_exporter.h"
#include "metrics/registry_metrics_exporter.h"
#include "metrics/steering_metrics_exporter.h"
#include "node/node_runtime.h"
#include "transport/host/libp2p_host.h"
#include "transport/routing/quic_lb_cid_minter.h"
#include "transport/routing/worker_steering.h"
#include "transport/runtime/asio/asio_datagram_forwarder.h"
#include "transport/runtime/steering/steering_socket.h"

namespace p2pquic::node {

struct NodeWorkerSetup {
  uint32_t index = 0;     // This worker's number in its group, < steering.worker_count.
  SocketAddress address;  // Where to bind (SO_REUSEPORT).
  WorkerSteeringConfig steering;
  std::vector<uint8_t> identity;  // The node's encoded private key.
  // The host's settings (Retry policy, limits, token secret, ...): the same
  // for every worker; the CID minter and length are set per worker.
  HostOptions host;
  // Required when steering.worker_count > 1; must outlive the worker.
  AsioDatagramForwarder* forwarder = nullptr;
};

enum class WorkerState : uint8_t { kOpened, kRunning, kJoined };

class NodeWorker {
 public:
  // Binds and builds the host (not started). Null with `*error` on failure.
  static std::unique_ptr<NodeWorker> Open(const NodeWorkerSetup& setup, std::string* error);
  ~NodeWorker();  // Joins the thread if still running (after RequestStop).
  NodeWorker(const NodeWorker&) = delete;
  NodeWorker& operator=(const NodeWorker&) = delete;

  // Exports this worker's endpoint, registry and steering metrics into
  // `registry` with `labels`, once a second on the worker's thread. Before
  // Start; `registry` outlives the worker.
  void ExportMetrics(prometheus::Registry& registry, const prometheus::Labels& labels);

  // Starts the thread: the host starts, then the worker serves until
  // RequestStop.
  void Start();
  // Thread-safe: asks the worker to close every connection (bounded
  // grace, kShutdownGrace) and end its thread.
  void RequestStop();
  // Waits for the thread (after RequestStop).
  void Join();

  // Before Start or after Join.
  AsioUdpSocket& socket() { return *socket_; }
  Libp2pHost& host() { return *host_; }
  WorkerState state() const { return state_; }

 private:
  NodeWorker() = default;
  void Run();
  void ExportNow();
  void ScheduleExport();

  uint32_t index_ = 0;
  AsioDatagramForwarder* forwarder_ = nullptr;
  NodeRuntime runtime_;
  std::unique_ptr<AsioUdpSocket> socket_;
  std::unique_ptr<SteeringSocket> steering_;  // Null for a lone worker.
  std::optional<QuicLbCidMinter> minter_;
  std::unique_ptr<Libp2pHost> host_;
  std::unique_ptr<metrics::EndpointMetricsExporter> endpoint_metrics_;
  std::unique_ptr<metrics::RegistryMetricsExporter> registry_metrics_;
  std::unique_ptr<metrics::SteeringMetricsExporter> steering_metrics_;
  bool stop_ = false;  // Worker thread only (set by a handler RequestStop posts).
  WorkerState state_ = WorkerState::kOpened;
  std::thread thread_;
};

}  // namespace p2pquic::node
