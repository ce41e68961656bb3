#include "node/worker_group.h"

#include <algorithm>

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

const char* ToString(SteeringRequest request) {
  switch (request) {
    case SteeringRequest::kAuto:
      return "auto";
    case SteeringRequest::kKernel:
      return "kernel";
    case SteeringRequest::kUserSpace:
      return "user";
  }
  return "unknown";
}

std::vector<std::string> SteeringModeNames() {
  return {ToString(SteeringMode::kNone), ToString(SteeringMode::kUserSpaceForwarding),
          ToString(SteeringMode::kKernel)};
}

std::unique_ptr<WorkerGroup> WorkerGroup::Open(const WorkerGroupOptions& options,
                                               std::string* error) {
  const SocketAddress& address = options.address;
  const uint32_t worker_count = options.worker_count;
  std::unique_ptr<WorkerGroup> group(new WorkerGroup());
  group->request_ = options.steering;
  if (worker_count == 0 || worker_count > (1u << options.lb.worker_bits)) {
    *error = "cannot run " + std::to_string(worker_count) + " workers (the CID layout's " +
             std::to_string(options.lb.worker_bits) + " worker bits name 1.." +
             std::to_string(1u << options.lb.worker_bits) + ")";
    return nullptr;
  }
  QuicLbConfigStatus lb_status = QuicLbConfigStatus::kOk;
  const WorkerSteeringConfigStatus made =
      MakeWorkerSteeringConfig(options.lb, worker_count, &group->config_, &lb_status);
  if (made != WorkerSteeringConfigStatus::kOk) {
    *error = std::string("CID layout: ") + ToString(made) +
             (lb_status != QuicLbConfigStatus::kOk ? std::string(": ") + ToString(lb_status) : "");
    return nullptr;
  }
  if (worker_count > 1) group->forwarder_ = std::make_unique<AsioDatagramForwarder>(worker_count);
  SocketAddress bind_to = address;
  for (uint32_t i = 0; i < worker_count; ++i) {
    NodeWorkerSetup setup;
    setup.index = i;
    setup.address = bind_to;
    setup.steering = group->config_;
    setup.identity = options.identity;
    setup.host = options.host;
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

WorkerGroup::SteeringAttach WorkerGroup::AttachSteering(SteeringChoice* choice) {
  if (workers_.size() == 1) {
    steering_ = {SteeringMode::kNone, "one worker"};
  } else if (request_ == SteeringRequest::kUserSpace) {
    steering_ = {SteeringMode::kUserSpaceForwarding,
                 "--steering user: the kernel's 4-tuple hash, then misroutes forwarded"};
  } else {
    std::string why;
    const std::vector<int> fds = socket_fds();
    const p2pquic::AttachResult attached = ReuseportSteering::Attach(fds, config_, &program_, &why);
    // libbpf's words come in lines; the STEERING line and the log keep one.
    std::replace(why.begin(), why.end(), '\n', ' ');
    while (!why.empty() && why.back() == ' ') why.pop_back();
    if (attached == p2pquic::AttachResult::kAttached) {
      steering_ = {SteeringMode::kKernel, "the reuseport program reads the worker from the DCID"};
    } else {
      steering_ = {SteeringMode::kUserSpaceForwarding,
                   std::string("the kernel program did not attach (") + ToString(attached) +
                       (why.empty() ? "" : ": " + why) +
                       "); the kernel's 4-tuple hash, then misroutes forwarded"};
      if (request_ == SteeringRequest::kKernel) {
        *choice = steering_;
        return SteeringAttach::kRefused;
      }
    }
  }
  *choice = steering_;
  return SteeringAttach::kOk;
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
