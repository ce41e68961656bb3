// SteeringMetricsExporter: publishes one worker's steering counters
// (SteeringSocket's SteeringStats and the drops of its forward queue) as
// p2pquic_steering_* metrics:
//   p2pquic_steering_datagrams_total{path="delivered_here"|"forwarded_out"|
//                                    "forwarded_in"}
//   p2pquic_steering_unsteered_datagrams_total (of delivered_here: the rule
//                                    named no worker)
//   p2pquic_steering_forward_queue_drops_total (forwarded to this worker,
//                                    dropped because its queue was full)
// each with the exporter's labels (p2pquic-node: {worker="i"}).
// ExportSteeringMode publishes p2pquic_steering_mode{mode=...}: 1 for the
// mode in use, 0 for the others, so a dashboard sees which one is on.
//
// Contract: as RegistryMetricsExporter: Export from the worker's thread
// with a snapshot of its counters (cumulative, never reset); scrapes may
// run concurrently (prometheus-cpp metrics are atomic).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <span>
#include <string>

#include "transport/runtime/steering/steering_socket.h"

namespace p2pquic::metrics {

class SteeringMetricsExporter {
 public:
  SteeringMetricsExporter(prometheus::Registry& registry, const prometheus::Labels& labels);
  SteeringMetricsExporter(const SteeringMetricsExporter&) = delete;
  SteeringMetricsExporter& operator=(const SteeringMetricsExporter&) = delete;

  void Export(const SteeringStats& stats, uint64_t forward_queue_drops);

 private:
  prometheus::Counter* delivered_here_;
  prometheus::Counter* forwarded_out_;
  prometheus::Counter* forwarded_in_;
  prometheus::Counter* unsteered_;
  prometheus::Counter* drops_;
  SteeringStats last_;
  uint64_t last_drops_ = 0;
};

// Sets p2pquic_steering_mode{mode=m, labels...} to 1 for `current` and 0
// for every other name in `modes`. Call from one thread at a time.
void ExportSteeringMode(prometheus::Registry& registry, const prometheus::Labels& labels,
                        std::span<const std::string> modes, const std::string& current);

}  // namespace p2pquic::metrics
