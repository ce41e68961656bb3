// WorkerGroup: the N workers (NodeWorker) of p2pquic-node serving one
// listen address. Worker 0 binds the address as given (port 0 picks a
// port); every other worker binds the address worker 0 got, all with
// SO_REUSEPORT, so the kernel spreads the address's datagrams over them.
//
// Steering modes (how a datagram reaches the worker owning its
// connection; the rule itself is worker_steering.h):
// - kNone: one worker; nothing to steer.
// - kKernel: a reuseport program attached to the group's sockets applies
//   the rule in the kernel; the SteeringSockets then forward only what
//   arrived while the group was being set up.
// - kUserSpaceForwarding: the kernel's 4-tuple hash picks a socket; the
//   worker that got it applies the rule (SteeringSocket) and forwards a
//   misroute to its owner over the AsioDatagramForwarder. Always correct,
//   at the cost of a cross-thread hop for the misrouted share.
// AttachSteering is the one place that picks the mode.
//
// Threads: everything from the thread that owns the group, except what the
// workers run on their own threads (NodeWorker).
#pragma once

#include <prometheus/registry.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "node/node_worker.h"
#include "transport/host/libp2p_host.h"  // Multiaddr
#include "transport/routing/worker_steering.h"
#include "transport/runtime/asio/asio_datagram_forwarder.h"
#include "transport/runtime/reuseport/reuseport_steering.h"

namespace p2pquic::node {

enum class SteeringMode : uint8_t { kNone, kUserSpaceForwarding, kKernel };
const char* ToString(SteeringMode mode);  // "none", "user-space-forwarding", "kernel".
// Every mode's name, for the p2pquic_steering_mode gauge.
std::vector<std::string> SteeringModeNames();

// What the operator asked for (p2pquic-node listen --steering).
enum class SteeringRequest : uint8_t {
  kAuto,       // The kernel program where it attaches, else user-space forwarding.
  kKernel,     // The kernel program, or refuse to start (AttachSteering fails).
  kUserSpace,  // User-space forwarding even where the program would attach.
};
const char* ToString(SteeringRequest request);  // "auto", "kernel", "user".

struct WorkerGroupOptions {
  SocketAddress address;
  uint32_t worker_count = 1;      // 1..kMaxWorkers, and at most 2^lb.worker_bits.
  std::vector<uint8_t> identity;  // The node's encoded private key.
  QuicLbConfig lb;                // The CID layout (quic_lb_config.h).
  SteeringRequest steering = SteeringRequest::kAuto;
  HostOptions host;  // Every worker's host settings.
};

struct SteeringChoice {
  SteeringMode mode = SteeringMode::kNone;
  std::string why;  // Why this mode (e.g. why not the kernel program).
};

class WorkerGroup {
 public:
  // Opens `worker_count` (1..kMaxWorkers) workers on `address` with the
  // node's encoded identity. Null with `*error` naming what failed.
  static std::unique_ptr<WorkerGroup> Open(const WorkerGroupOptions& options, std::string* error);
  ~WorkerGroup();  // Stops (RequestStop, Join) workers still running.
  WorkerGroup(const WorkerGroup&) = delete;
  WorkerGroup& operator=(const WorkerGroup&) = delete;

  // THE place where the group's steering mode is chosen: after Open,
  // before Start. One worker: kNone. Otherwise, unless the request is
  // kUserSpace, the reuseport program (ReuseportSteering) is attached to
  // the group's sockets: kKernel when it attached; when it cannot be
  // (no privilege, an encrypted CID layout the kernel cannot read, an old
  // kernel) kUserSpaceForwarding with the reason, or, for a kKernel
  // request, kRefused (the node refuses to start). Remembers the choice.
  enum class SteeringAttach : uint8_t { kOk, kRefused };
  SteeringAttach AttachSteering(SteeringChoice* choice);

  // Metrics of every worker (labels {worker="<first_label + i>"}) and the
  // group's steering mode gauge (labels {listen="<address>"}); after
  // AttachSteering, before Start.
  void ExportMetrics(prometheus::Registry& registry, uint32_t first_label);

  void Start();
  // Asks every worker to stop; Join waits for all (so their grace periods
  // run in parallel).
  void RequestStop();
  void Join();

  Multiaddr ListenAddress() const;  // Worker 0's host's (every worker has it).
  uint32_t worker_count() const { return static_cast<uint32_t>(workers_.size()); }
  const WorkerSteeringConfig& steering_config() const { return config_; }
  // The workers' kernel sockets, in worker order (for a reuseport program).
  std::vector<int> socket_fds() const;
  const SteeringChoice& steering() const { return steering_; }
  // Before Start or after Join.
  NodeWorker& worker(uint32_t i) { return *workers_.at(i); }

 private:
  WorkerGroup() = default;

  WorkerSteeringConfig config_;
  SteeringRequest request_ = SteeringRequest::kAuto;
  SteeringChoice steering_;
  // Declared before the workers: it outlives every io_context it posts to.
  std::unique_ptr<AsioDatagramForwarder> forwarder_;
  std::vector<std::unique_ptr<NodeWorker>> workers_;
  // Declared last, destroyed first: detaches from the still-open sockets.
  std::unique_ptr<ReuseportSteering> program_;
};

}  // namespace p2pquic::node
