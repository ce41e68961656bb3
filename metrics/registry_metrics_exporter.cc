#include "metrics/registry_metrics_exporter.h"

#include <prometheus/family.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace p2pquic::metrics {
namespace {

constexpr double kNanosPerSecond = 1e9;

// The increase of a cumulative value since `base`. A value below its base
// was reset without the exporter noticing; its new value is all increase.
uint64_t Delta(uint64_t now, uint64_t base) { return now >= base ? now - base : now; }

template <size_t N>
prometheus::Histogram::BucketBoundaries Bounds(const std::array<uint64_t, N>& bounds,
                                               double divisor) {
  prometheus::Histogram::BucketBoundaries out;
  // Dividing (not multiplying by 1e-9) gives the double nearest 50e-9 etc.
  for (uint64_t bound : bounds) out.push_back(static_cast<double>(bound) / divisor);
  return out;
}

// Both sides hold per-bucket (non-cumulative) counts, the last one +Inf.
template <size_t N>
void AddIncrease(prometheus::Histogram& histogram, const FixedHistogram<N>& now,
                 const FixedHistogram<N>& base, double divisor) {
  std::vector<double> increments(now.counts.size());
  bool any = false;
  for (size_t i = 0; i < increments.size(); ++i) {
    const uint64_t delta = Delta(now.counts[i], base.counts[i]);
    increments[i] = static_cast<double>(delta);
    any |= delta != 0;
  }
  if (!any) return;
  histogram.ObserveMultiple(increments, static_cast<double>(Delta(now.sum, base.sum)) / divisor);
}

template <typename T>
prometheus::Family<T>& Build(prometheus::detail::Builder<T> builder, prometheus::Registry& registry,
                             const char* name, const char* help) {
  return builder.Name(name).Help(help).Register(registry);
}

prometheus::Counter* AddCounter(prometheus::Registry& registry, const char* name, const char* help,
                                const prometheus::Labels& labels) {
  return &Build(prometheus::BuildCounter(), registry, name, help).Add(labels);
}

prometheus::Gauge* AddGauge(prometheus::Registry& registry, const char* name, const char* help,
                            const prometheus::Labels& labels) {
  return &Build(prometheus::BuildGauge(), registry, name, help).Add(labels);
}

// `base` plus one more label.
prometheus::Labels With(prometheus::Labels base, const std::string& name,
                        const std::string& value) {
  base.emplace(name, value);
  return base;
}

}  // namespace

RegistryMetricsExporter::RegistryMetricsExporter(prometheus::Registry& registry,
                                                 const prometheus::Labels& labels) {
  auto& lookups = Build(prometheus::BuildCounter(), registry, "p2pquic_registry_lookups_total",
                        "Datagrams the connection-ID registry routed, by routing outcome.");
  for (size_t i = 0; i < lookups_.size(); ++i) {
    lookups_[i] = &lookups.Add(With(labels, "outcome", ToString(static_cast<RouteOutcome>(i))));
  }
  cids_issued_ = AddCounter(registry, "p2pquic_registry_cids_issued_total",
                            "Connection IDs this endpoint registered with IssueCid.", labels);
  cid_collisions_ = AddCounter(
      registry, "p2pquic_registry_cid_collisions_total",
      "IssueCid calls refused because the CID was registered to another connection.", labels);
  cids_retired_ =
      AddCounter(registry, "p2pquic_registry_cids_retired_total",
                 "Connection IDs retired (routed only during their grace window).", labels);
  cids_expired_ =
      AddCounter(registry, "p2pquic_registry_cids_expired_total",
                 "Retired connection IDs removed once their grace window ended.", labels);
  cids_removed_with_connection_ =
      AddCounter(registry, "p2pquic_registry_cids_removed_with_connection_total",
                 "Connection IDs removed because their connection was removed.", labels);
  auto& fallback =
      Build(prometheus::BuildCounter(), registry, "p2pquic_registry_fallback_confirmations_total",
            "ConfirmFallback calls that bound a CID (confirmed) or were refused.");
  fallback_confirmed_ = &fallback.Add(With(labels, "result", "confirmed"));
  fallback_refused_ = &fallback.Add(With(labels, "result", "refused"));
  auto& connections =
      Build(prometheus::BuildCounter(), registry, "p2pquic_registry_connection_events_total",
            "Connections opened, promoted to established, and removed.");
  connections_opened_ = &connections.Add(With(labels, "event", "opened"));
  connections_promoted_ = &connections.Add(With(labels, "event", "promoted"));
  connections_removed_ = &connections.Add(With(labels, "event", "removed"));

  sequence_numbers_ =
      &Build(prometheus::BuildHistogram(), registry, "p2pquic_registry_cid_sequence_number",
             "Wire sequence numbers of connection IDs when registered.")
           .Add(labels, Bounds(kSequenceBuckets, 1.0));
  auto& durations =
      Build(prometheus::BuildHistogram(), registry, "p2pquic_registry_operation_duration_seconds",
            "Duration of registry operations; recorded only with a debug timer.");
  for (size_t i = 0; i < durations_.size(); ++i) {
    durations_[i] =
        &durations.Add(With(labels, "operation", ToString(static_cast<RegistryOperation>(i))),
                       Bounds(kTimingBucketsNs, kNanosPerSecond));
  }

  auto& cids = Build(prometheus::BuildGauge(), registry, "p2pquic_registry_cids",
                     "Connection IDs this endpoint issued that are registered now, by state.");
  for (size_t i = 0; i < cids_.size(); ++i) {
    cids_[i] = &cids.Add(With(labels, "state", ToString(static_cast<CidState>(i))));
  }
  auto& phases = Build(prometheus::BuildGauge(), registry, "p2pquic_registry_connections",
                       "Live connections in the registry, by handshake phase.");
  connections_pending_ = &phases.Add(With(labels, "phase", ToString(ConnectionPhase::kPending)));
  connections_established_ =
      &phases.Add(With(labels, "phase", ToString(ConnectionPhase::kEstablished)));
  initial_dcids_ = AddGauge(registry, "p2pquic_registry_initial_dcids",
                            "Client-chosen initial destination CIDs registered now.", labels);
  address_bindings_ =
      AddGauge(registry, "p2pquic_registry_address_bindings",
               "Distinct 4-tuples (remote, local) bound by connections now.", labels);
  reset_tokens_ = AddGauge(registry, "p2pquic_registry_reset_tokens",
                           "Peer stateless reset tokens registered now.", labels);
}

void RegistryMetricsExporter::Export(const RegistryStats& stats) {
  const std::pair<uint64_t RegistryStats::*, prometheus::Counter*> counters[] = {
      {&RegistryStats::cids_issued, cids_issued_},
      {&RegistryStats::cid_collisions, cid_collisions_},
      {&RegistryStats::cids_retired, cids_retired_},
      {&RegistryStats::cids_expired, cids_expired_},
      {&RegistryStats::cids_removed_with_connection, cids_removed_with_connection_},
      {&RegistryStats::fallback_confirmed, fallback_confirmed_},
      {&RegistryStats::fallback_refused, fallback_refused_},
      {&RegistryStats::connections_opened, connections_opened_},
      {&RegistryStats::connections_promoted, connections_promoted_},
      {&RegistryStats::connections_removed, connections_removed_},
  };
  // reset_stats() zeroes every counter at once, so one that went down proves
  // a reset: then all new values count from zero, even those that grew past
  // their old value (a per-value check alone would lose that part).
  bool reset =
      stats.resets != last_.resets || stats.sequence_numbers.count < last_.sequence_numbers.count;
  for (const auto& [field, metric] : counters) reset |= stats.*field < last_.*field;
  for (size_t i = 0; i < lookups_.size(); ++i) {
    reset |= stats.lookups_by_outcome[i] < last_.lookups_by_outcome[i];
  }
  for (size_t i = 0; i < durations_.size(); ++i) {
    reset |= stats.timings_ns[i].count < last_.timings_ns[i].count;
  }
  const RegistryStats base = reset ? RegistryStats{} : last_;

  for (const auto& [field, metric] : counters) {
    metric->Increment(static_cast<double>(Delta(stats.*field, base.*field)));
  }
  for (size_t i = 0; i < lookups_.size(); ++i) {
    lookups_[i]->Increment(
        static_cast<double>(Delta(stats.lookups_by_outcome[i], base.lookups_by_outcome[i])));
  }
  AddIncrease(*sequence_numbers_, stats.sequence_numbers, base.sequence_numbers, 1.0);
  for (size_t i = 0; i < durations_.size(); ++i) {
    AddIncrease(*durations_[i], stats.timings_ns[i], base.timings_ns[i], kNanosPerSecond);
  }

  for (size_t i = 0; i < cids_.size(); ++i) {
    cids_[i]->Set(static_cast<double>(stats.cids_by_state[i]));
  }
  connections_pending_->Set(static_cast<double>(stats.connections_pending));
  connections_established_->Set(static_cast<double>(stats.connections_established));
  initial_dcids_->Set(static_cast<double>(stats.initial_dcids));
  address_bindings_->Set(static_cast<double>(stats.address_bindings));
  reset_tokens_->Set(static_cast<double>(stats.reset_tokens));
  last_ = stats;
}

}  // namespace p2pquic::metrics
