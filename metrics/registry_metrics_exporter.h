// RegistryMetricsExporter: publishes ConnectionIdRegistry::stats() as
// Prometheus metrics (p2pquic_registry_*) in a prometheus::Registry.
//
// Contract:
// - Call Export() from the thread that owns the ConnectionIdRegistry, with a
//   snapshot of its stats(): the registry is single-threaded and the exporter
//   reads the stats there. The exporter itself is not thread-safe.
// - Scraping (the pull exposer's thread calling Collect()) may run at the
//   same time: prometheus-cpp metrics are atomic (histograms lock), so a
//   scrape sees each series whole, though perhaps from two Exports.
// - One exporter per ConnectionIdRegistry per prometheus::Registry and
//   label set: a second exporter with the same `labels` on the same
//   prometheus::Registry gets the same series (families merge), so counters
//   would add up but gauges would overwrite. p2pquic-node's workers each
//   pass their own {worker="i"}.
// - Registry counters drop to zero on reset_stats(); Prometheus counters
//   never go down. The exporter keeps the last snapshot and adds deltas; a
//   counter below its last value means a reset happened, and then every
//   counter's new value is its increase since that reset.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>

#include "transport/routing/registry_stats.h"

namespace p2pquic::metrics {

class RegistryMetricsExporter {
 public:
  // Registers every family and series up front, so all read 0 before the
  // first Export. `registry` must outlive the exporter. `labels` are added
  // to every series.
  explicit RegistryMetricsExporter(prometheus::Registry& registry,
                                   const prometheus::Labels& labels = {});

  RegistryMetricsExporter(const RegistryMetricsExporter&) = delete;
  RegistryMetricsExporter& operator=(const RegistryMetricsExporter&) = delete;

  void Export(const RegistryStats& stats);

 private:
  std::array<prometheus::Counter*, kRouteOutcomeCount> lookups_{};
  prometheus::Counter* cids_issued_;
  prometheus::Counter* cid_collisions_;
  prometheus::Counter* cids_retired_;
  prometheus::Counter* cids_expired_;
  prometheus::Counter* cids_removed_with_connection_;
  prometheus::Counter* fallback_confirmed_;
  prometheus::Counter* fallback_refused_;
  prometheus::Counter* connections_opened_;
  prometheus::Counter* connections_promoted_;
  prometheus::Counter* connections_removed_;
  prometheus::Histogram* sequence_numbers_;
  std::array<prometheus::Histogram*, kRegistryOperationCount> durations_{};

  std::array<prometheus::Gauge*, kCidStateCount> cids_{};
  prometheus::Gauge* connections_pending_;
  prometheus::Gauge* connections_established_;
  prometheus::Gauge* initial_dcids_;
  prometheus::Gauge* address_bindings_;
  prometheus::Gauge* reset_tokens_;

  RegistryStats last_;  // What the counters and histograms already hold.
};

}  // namespace p2pquic::metrics
