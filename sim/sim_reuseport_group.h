// SimReuseportGroup: a multi-worker host's one address in the simulator.
// The network is unchanged: the host binds ONE SimSocket, and this group
// demultiplexes what it receives to N workers the way a Linux reuseport
// group with N sockets would, then each worker's SteeringSocket applies the
// steering rule (transport/routing/worker_steering.h) as in the node.
//
// The kernel's choice of worker for each received datagram (the demux):
// - SimSteeringMode::kKernel (the reuseport program attached): the worker
//   SteerDatagram names; kUnsteered goes by ReuseportHash of the 4-tuple,
//   as the kernel does when the program passes.
// - SimSteeringMode::kForward (no program: the kernel's hash alone):
//   ReuseportHash of the 4-tuple. The worker's SteeringSocket then forwards
//   what another worker owns, through a SimDatagramForwarder that delivers
//   it `forward_delay` later in virtual time.
// Either way the worker's Endpoint sees its SteeringSocket (worker(i)):
// sends of every worker leave through the shared socket; a worker's
// refused send (send buffer full) is owed a writable call when the shared
// socket drains, owed workers in index order.
//
// Determinism: the demux and the forwarder draw nothing; both are pure
// functions of the datagram (bytes and 4-tuple) and the virtual time, so
// the network's draw order (sim_network.h) is that of a one-worker host.
//
// Contract: single-threaded; the queue outlives the group; `config` passed
// CheckQuicLbConfig and 1 <= worker_count <= 2^worker_bits. The group owns
// the shared socket; destroying the group unbinds it. Endpoints on
// worker(i) must be destroyed before the group.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/event_queue.h"
#include "sim/sim_datagram_forwarder.h"
#include "sim/sim_socket.h"
#include "sim/sim_worker_socket.h"
#include "transport/base/time.h"
#include "transport/routing/worker_steering.h"
#include "transport/runtime/steering/steering_socket.h"

namespace p2pquic::sim {

enum class SimSteeringMode : uint8_t {
  kKernel,   // The reuseport program steers by CID; unsteered by the 4-tuple hash.
  kForward,  // The 4-tuple hash picks; SteeringSockets forward misroutes.
};
const char* ToString(SimSteeringMode mode);

// How the demux chose a datagram's worker.
enum class DemuxPath : uint8_t {
  kByCid,    // kKernel: SteerDatagram named the worker by its CID.
  kByHash,   // kKernel: a long header hashed by its DCID.
  kByTuple,  // The 4-tuple hash (kForward always, kKernel when unsteered).
};
struct DemuxChoice {
  uint32_t worker = 0;
  DemuxPath path = DemuxPath::kByTuple;
};

// What the group's demux did, per worker.
struct DemuxStats {
  uint64_t by_cid = 0;    // kKernel: SteerDatagram named the worker by its CID.
  uint64_t by_hash = 0;   // kKernel: a long header hashed by its DCID.
  uint64_t by_tuple = 0;  // The 4-tuple hash chose (kForward always, kKernel when unsteered).
};

class SimReuseportGroup {
 public:
  SimReuseportGroup(EventQueue& queue, std::unique_ptr<SimSocket> shared,
                    const WorkerSteeringConfig& config, SimSteeringMode mode,
                    Duration forward_delay);
  ~SimReuseportGroup();
  SimReuseportGroup(const SimReuseportGroup&) = delete;
  SimReuseportGroup& operator=(const SimReuseportGroup&) = delete;

  uint32_t worker_count() const { return static_cast<uint32_t>(workers_.size()); }
  // The socket worker `i`'s Endpoint runs on.
  SteeringSocket& worker(uint32_t i) { return *steering_[i]; }
  const SteeringSocket& worker(uint32_t i) const { return *steering_[i]; }
  const DemuxStats& demux(uint32_t i) const { return demux_[i]; }
  // The steering sockets' counts summed over every worker.
  SteeringStats TotalSteering() const;
  const SimDatagramForwarder& forwarder() const { return *forwarder_; }
  SimSocket& shared() { return *shared_; }
  SimSteeringMode mode() const { return mode_; }

  // The worker the kernel hands `datagram` to (the demux rule above).
  DemuxChoice KernelChoice(const ReceivedDatagram& datagram) const;

 private:
  void OnShared(const ReceivedDatagram& datagram);

  std::unique_ptr<SimSocket> shared_;
  WorkerSteeringConfig config_;
  SimSteeringMode mode_;
  std::unique_ptr<SimDatagramForwarder> forwarder_;
  std::vector<std::unique_ptr<SimWorkerSocket>> workers_;
  std::vector<std::unique_ptr<SteeringSocket>> steering_;
  std::vector<DemuxStats> demux_;
};

}  // namespace p2pquic::sim
