#include "metrics/steering_metrics_exporter.h"

#include <prometheus/gauge.h>

namespace p2pquic::metrics {
namespace {

prometheus::Labels With(prometheus::Labels base, const std::string& name,
                        const std::string& value) {
  base.emplace(name, value);
  return base;
}

prometheus::Counter* AddCounter(prometheus::Registry& registry, const char* name, const char* help,
                                const prometheus::Labels& labels) {
  return &prometheus::BuildCounter().Name(name).Help(help).Register(registry).Add(labels);
}

}  // namespace

SteeringMetricsExporter::SteeringMetricsExporter(prometheus::Registry& registry,
                                                 const prometheus::Labels& labels) {
  auto& datagrams =
      prometheus::BuildCounter()
          .Name("p2pquic_steering_datagrams_total")
          .Help(
              "Datagrams by how they reached their worker: delivered_here (the kernel gave them "
              "to their owner, or the rule names no worker), forwarded_out (misrouted: handed "
              "to the owning worker), forwarded_in (another worker handed them here).")
          .Register(registry);
  delivered_here_ = &datagrams.Add(With(labels, "path", "delivered_here"));
  forwarded_out_ = &datagrams.Add(With(labels, "path", "forwarded_out"));
  forwarded_in_ = &datagrams.Add(With(labels, "path", "forwarded_in"));
  unsteered_ = AddCounter(registry, "p2pquic_steering_unsteered_datagrams_total",
                          "Datagrams delivered where the kernel put them because the steering "
                          "rule names no worker (too short, or a short header for no CID of "
                          "ours).",
                          labels);
  drops_ = AddCounter(registry, "p2pquic_steering_forward_queue_drops_total",
                      "Datagrams forwarded to this worker but dropped because its forward "
                      "queue was full (QUIC loss recovery resends).",
                      labels);
}

void SteeringMetricsExporter::Export(const SteeringStats& stats, uint64_t forward_queue_drops) {
  const std::pair<uint64_t SteeringStats::*, prometheus::Counter*> counters[] = {
      {&SteeringStats::delivered_here, delivered_here_},
      {&SteeringStats::misrouted, forwarded_out_},
      {&SteeringStats::forwarded_in, forwarded_in_},
      {&SteeringStats::unsteered, unsteered_},
  };
  for (const auto& [field, counter] : counters) {
    counter->Increment(static_cast<double>(stats.*field - last_.*field));
  }
  drops_->Increment(static_cast<double>(forward_queue_drops - last_drops_));
  last_ = stats;
  last_drops_ = forward_queue_drops;
}

void ExportSteeringMode(prometheus::Registry& registry, const prometheus::Labels& labels,
                        std::span<const std::string> modes, const std::string& current) {
  auto& family = prometheus::BuildGauge()
                     .Name("p2pquic_steering_mode")
                     .Help(
                         "How datagrams reach the worker owning their connection: 1 for the "
                         "mode in use (kernel: a reuseport program reads the CID; "
                         "user-space-forwarding: the kernel's 4-tuple hash, then a worker "
                         "forwards misroutes to their owner), 0 for the others.")
                     .Register(registry);
  for (const std::string& mode : modes) {
    family.Add(With(labels, "mode", mode)).Set(mode == current ? 1.0 : 0.0);
  }
}

}  // namespace p2pquic::metrics
