#include "node/node_worker.h"

#include <boost/asio/post.hpp>
#include <chrono>

#include "node/node_host.h"

namespace p2pquic::node {
namespace {

constexpr auto kMetricsInterval = std::chrono::seconds(1);
// How long a stopping worker waits for its connections' graceful close.
constexpr auto kShutdownGrace = std::chrono::milliseconds(2000);
// How often the serving loop looks at its stop flag without work to do
// (RequestStop also wakes it at once by posting).
constexpr auto kPollInterval = std::chrono::milliseconds(200);

}  // namespace

std::unique_ptr<NodeWorker> NodeWorker::Open(const NodeWorkerSetup& setup, std::string* error) {
  const bool shared = setup.steering.worker_count > 1;
  if (shared && setup.forwarder == nullptr) {
    *error = "worker " + std::to_string(setup.index) + ": several workers need a forwarder";
    return nullptr;
  }
  std::unique_ptr<NodeWorker> worker(new NodeWorker());
  worker->index_ = setup.index;
  worker->forwarder_ = setup.forwarder;
  AsioUdpSocketOptions socket_options;
  socket_options.port_sharing = AsioUdpSocketOptions::PortSharing::kShared;
  worker->socket_ = worker->runtime_.Bind(setup.address, socket_options, error);
  if (!worker->socket_) return nullptr;
  PrivateKey identity;
  if (PrivateKey::Decode(setup.identity, &identity) != KeyStatus::kOk) {
    *error = "worker " + std::to_string(setup.index) + ": cannot decode the node's identity";
    return nullptr;
  }
  HostOptions options = setup.host;
  // Every worker, a lone one too, issues CIDs in the node's QUIC-LB layout:
  // a QUIC-LB load balancer in front of several hosts routes by them, and
  // the endpoint answers stateless resets only for CIDs of its host. One
  // codec for the whole group (keyed layouts encrypt with it).
  if (setup.steering.codec != nullptr) {
    worker->minter_.emplace(setup.steering.codec, setup.index);
  } else {
    worker->minter_.emplace(setup.steering.lb, setup.index);
  }
  options.endpoint.cid_minter = &*worker->minter_;
  options.endpoint.quic.local_cid_length = setup.steering.lb.cid_length();
  DatagramSocket* socket = worker->socket_.get();
  if (shared) {
    worker->steering_ = std::make_unique<SteeringSocket>(*worker->socket_, setup.index,
                                                         setup.steering, *setup.forwarder);
    socket = worker->steering_.get();
    SteeringSocket* steering = worker->steering_.get();
    setup.forwarder->SetOwner(
        setup.index, worker->runtime_.io(),
        [steering](const ReceivedDatagram& d) { steering->DeliverForwarded(d); });
  }
  if (BuildNodeHost(options, std::move(identity), *socket, worker->runtime_.clock(),
                    worker->runtime_.random(), &worker->host_, error) != NodeHostStatus::kOk) {
    return nullptr;
  }
  return worker;
}

NodeWorker::~NodeWorker() {
  if (state_ == WorkerState::kRunning) {
    RequestStop();
    Join();
  }
}

void NodeWorker::ExportMetrics(prometheus::Registry& registry, const prometheus::Labels& labels) {
  endpoint_metrics_ = std::make_unique<metrics::EndpointMetricsExporter>(registry, labels);
  registry_metrics_ = std::make_unique<metrics::RegistryMetricsExporter>(registry, labels);
  if (steering_) {
    steering_metrics_ = std::make_unique<metrics::SteeringMetricsExporter>(registry, labels);
  }
}

void NodeWorker::Start() {
  state_ = WorkerState::kRunning;
  thread_ = std::thread([this] { Run(); });
}

void NodeWorker::RequestStop() {
  boost::asio::post(runtime_.io(), [this] { stop_ = true; });
}

void NodeWorker::Join() {
  if (thread_.joinable()) thread_.join();
  state_ = WorkerState::kJoined;
}

void NodeWorker::Run() {
  host_->Start();
  if (endpoint_metrics_) ScheduleExport();
  boost::asio::io_context& io = runtime_.io();
  io.restart();
  while (!stop_) io.run_one_for(kPollInterval);
  host_->DisconnectAll();
  runtime_.RunUntil([&] { return host_->connection_count() == 0; }, kShutdownGrace);
  if (endpoint_metrics_) ExportNow();
}

void NodeWorker::ExportNow() {
  endpoint_metrics_->Export(host_->endpoint().stats(), host_->connection_count());
  registry_metrics_->Export(host_->endpoint().registry().stats());
  if (steering_metrics_) {
    steering_metrics_->Export(steering_->stats(), forwarder_->lane_stats(index_).dropped);
  }
}

void NodeWorker::ScheduleExport() {
  ExportNow();
  AsioClock& clock = runtime_.clock();
  clock.ScheduleAt(clock.Now() + kMetricsInterval, [this] { ScheduleExport(); });
}

}  // namespace p2pquic::node
