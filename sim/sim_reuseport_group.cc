#include "sim/sim_reuseport_group.h"

#include <utility>

#include "sim/reuseport_hash.h"

namespace p2pquic::sim {

const char* ToString(SimSteeringMode mode) {
  switch (mode) {
    case SimSteeringMode::kKernel:
      return "kernel";
    case SimSteeringMode::kForward:
      return "forward";
  }
  return "?";
}

SimReuseportGroup::SimReuseportGroup(EventQueue& queue, std::unique_ptr<SimSocket> shared,
                                     const WorkerSteeringConfig& config, SimSteeringMode mode,
                                     Duration forward_delay)
    : shared_(std::move(shared)),
      config_(config),
      mode_(mode),
      forwarder_(std::make_unique<SimDatagramForwarder>(queue, forward_delay, config.worker_count)),
      demux_(config.worker_count) {
  for (uint32_t i = 0; i < config_.worker_count; ++i) {
    workers_.push_back(std::make_unique<SimWorkerSocket>(*shared_, i));
    steering_.push_back(std::make_unique<SteeringSocket>(*workers_[i], i, config_, *forwarder_));
    forwarder_->Attach(i, steering_[i].get());
  }
  shared_->SetReceiveHandler([this](const ReceivedDatagram& d) { OnShared(d); });
  // A shared refusal is owed to every worker it refused, in index order.
  shared_->SetWritableHandler([this] {
    for (auto& worker : workers_) worker->Writable();
  });
}

SimReuseportGroup::~SimReuseportGroup() {
  shared_->SetReceiveHandler(nullptr);
  shared_->SetWritableHandler(nullptr);
  for (uint32_t i = 0; i < worker_count(); ++i) forwarder_->Detach(i);
  // The steering sockets clear their inner sockets' handlers, so they go
  // first; the shared socket (declared first) goes last.
  steering_.clear();
  workers_.clear();
}

DemuxChoice SimReuseportGroup::KernelChoice(const ReceivedDatagram& datagram) const {
  if (mode_ == SimSteeringMode::kKernel) {
    const SteeringDecision decision = SteerDatagram(datagram.payload, config_);
    if (decision.kind == SteeringKind::kByCid) return {decision.worker, DemuxPath::kByCid};
    if (decision.kind == SteeringKind::kByHash) return {decision.worker, DemuxPath::kByHash};
  }
  return {ReuseportWorker(datagram.remote, datagram.local, worker_count()), DemuxPath::kByTuple};
}

void SimReuseportGroup::OnShared(const ReceivedDatagram& datagram) {
  const DemuxChoice choice = KernelChoice(datagram);
  DemuxStats& stats = demux_[choice.worker];
  switch (choice.path) {
    case DemuxPath::kByCid:
      ++stats.by_cid;
      break;
    case DemuxPath::kByHash:
      ++stats.by_hash;
      break;
    case DemuxPath::kByTuple:
      ++stats.by_tuple;
      break;
  }
  workers_[choice.worker]->Receive(datagram);
}

SteeringStats SimReuseportGroup::TotalSteering() const {
  SteeringStats total;
  for (const auto& s : steering_) {
    total.delivered_here += s->stats().delivered_here;
    total.unsteered += s->stats().unsteered;
    total.misrouted += s->stats().misrouted;
    total.forwarded_in += s->stats().forwarded_in;
  }
  return total;
}

}  // namespace p2pquic::sim
