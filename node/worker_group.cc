#include "node/worker_group.h"

namespace p2pquic::node {

const char* ToString(SteeringMode mode) {
  switch (mode) {
    case SteeringMode::kNone:
      return "none";
    case SteeringMode::kUserSpaceForwarding:
      return "user-space-forwarding";
    case SteeringMode::kKernel:
      return "kernel";
  }
  return "unknown";
}

std::vector<std::string> SteeringModeNames() {
  return {ToString(SteeringMode::kNone), ToString(SteeringMode::kUserSpaceForwarding),
          ToString(SteeringMode::kKernel)};
}

std::unique_ptr<WorkerGroup> WorkerGroup::Open(const SocketAddress& address, uint32_t worker_count,
                                               const std::vector<uint8_t>& identity,
                                               std::string* error) {
  std::unique_ptr<WorkerGroup> group(new WorkerGroup());
  // The node's default CID layout (quic_lb_config.h): 8-byte CIDs whose
  // server ID's last byte names the worker.
  group->config_.lb = QuicLbConfig{};
  group->config_.worker_count = worker_count;
  if (worker_count == 0 || worker_count > (1u << group->config_.lb.worker_bits)) {
    *error = "cannot run " + std::to_string(worker_count) + " workers (the CID layout names 1.." +
             std::to_string(1u << group->config_.lb.worker_bits) + ")";
    return nullptr;
  }
  if (worker_count > 1) group->forwarder_ = std::make_unique<AsioDatagramForwarder>(worker_count);
  SocketAddress bind_to = address;
  for (uint32_t i = 0; i < worker_count; ++i) {
    NodeWorkerSetup setup;
    setup.index = i;
    setup.address = bind_to;
    setup.steering = group->config_;
    setup.identity = identity;
    setup.forwarder = group->forwarder_.get();
    std::unique_ptr<NodeWorker> worker = NodeWorker::Open(setup, error);
    if (!worker) {
      *error = "worker " + std::to_string(i) + " of " + address.ToString() + ": " + *error;
      return nullptr;
    }
    // The others join the port worker 0 was given.
    if (i == 0) bind_to = worker->socket().LocalAddress();
    group->workers_.push_back(std::move(worker));
  }
  return group;
}

WorkerGroup::~WorkerGroup() {
  RequestStop();
  Join();
}

SteeringChoice WorkerGroup::AttachSteering() {
  if (workers_.size() == 1) {
    steering_ = {SteeringMode::kNone, "one worker"};
  } else {
    // Merge point for the kernel program (transport/runtime/reuseport/):
    // ReuseportSteering::Attach(socket_fds(), config_, &program, &why) ->
    // kAttached: {kKernel, ...}; otherwise keep forwarding, with its why.
    steering_ = {SteeringMode::kUserSpaceForwarding,
                 "no kernel steering program in this build; the kernel's 4-tuple hash, then "
                 "misroutes forwarded"};
  }
  return steering_;
}

void WorkerGroup::ExportMetrics(prometheus::Registry& registry, uint32_t first_label) {
  for (uint32_t i = 0; i < workers_.size(); ++i) {
    workers_[i]->ExportMetrics(registry, {{"worker", std::to_string(first_label + i)}});
  }
  const std::vector<std::string> modes = SteeringModeNames();
  metrics::ExportSteeringMode(registry, {{"listen", ListenAddress().ToString()}}, modes,
                              ToString(steering_.mode));
}

void WorkerGroup::Start() {
  for (auto& worker : workers_) worker->Start();
}

void WorkerGroup::RequestStop() {
  for (auto& worker : workers_) {
    if (worker->state() == WorkerState::kRunning) worker->RequestStop();
  }
}

void WorkerGroup::Join() {
  for (auto& worker : workers_) {
    if (worker->state() == WorkerState::kRunning) worker->Join();
  }
}

Multiaddr WorkerGroup::ListenAddress() const { return workers_.front()->host().ListenAddress(); }

std::vector<int> WorkerGroup::socket_fds() const {
  std::vector<int> fds;
  for (const auto& worker : workers_) fds.push_back(worker->socket().native_handle());
  return fds;
}

}  // namespace p2pquic::node
