// EndpointMetricsExporter: publishes an Endpoint's stats (datagrams,
// handshakes, connections, stateless resets, Version Negotiation, sends
// that met EAGAIN and the datagrams held for them, the closing period's
// answers) as
// p2pquic_endpoint_* metrics in a prometheus::Registry. Same contract as
// RegistryMetricsExporter: call Export from the endpoint's thread; scrapes
// may run concurrently. `labels` (e.g. {worker="3"}) are added to every
// series, so several endpoints (p2pquic-node's workers) each export their
// own series of the same families; their label sets must differ.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "transport/quic/endpoint/endpoint.h"

namespace p2pquic::metrics {

class EndpointMetricsExporter {
 public:
  explicit EndpointMetricsExporter(prometheus::Registry& registry,
                                   const prometheus::Labels& labels = {});
  void Export(const EndpointStats& stats, size_t open_connections);

 private:
  struct CounterField {
    uint64_t EndpointStats::*field;
    prometheus::Counter* counter;
  };
  std::vector<CounterField> counters_;
  prometheus::Gauge* connections_;
  EndpointStats last_;
};

}  // namespace p2pquic::metrics
