// RegistryStats: what ConnectionIdRegistry::stats() reports. Counters are
// cumulative since construction or the last reset_stats(); gauges describe
// the registry's state now and are never reset.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "transport/routing/connection_handle.h"
#include "transport/routing/registry_result.h"

namespace p2pquic {

// A fixed-bucket histogram: counts[i] holds observations <= bounds[i], the
// last count the rest (+Inf). Cumulative counts are the exporter's business.
template <size_t kBounds>
struct FixedHistogram {
  std::array<uint64_t, kBounds + 1> counts{};
  uint64_t sum = 0;
  uint64_t count = 0;

  void Add(const FixedHistogram& other) {
    for (size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
    sum += other.sum;
    count += other.count;
  }

  void Observe(uint64_t value, const std::array<uint64_t, kBounds>& bounds) {
    size_t i = 0;
    while (i < kBounds && value > bounds[i]) ++i;
    ++counts[i];
    sum += value;
    ++count;
  }
};

// Buckets for CID wire sequence numbers at registration.
inline constexpr std::array<uint64_t, 11> kSequenceBuckets = {0,  1,  2,   3,   4,   8,
                                                              16, 32, 128, 512, 4096};
// Buckets for operation timings, in nanoseconds.
inline constexpr std::array<uint64_t, 10> kTimingBucketsNs = {50,   100,   250,   500,    1000,
                                                              2500, 10000, 50000, 250000, 1000000};

enum class RegistryOperation : uint8_t {
  kRoute,
  kIssue,
  kRetire,
  kPromote,
  kRemoveConnection,
  kConfirmFallback,
  kExpire,
};
inline constexpr int kRegistryOperationCount = 7;
const char* ToString(RegistryOperation op);

struct RegistryStats {
  // Counters.
  std::array<uint64_t, kRouteOutcomeCount> lookups_by_outcome{};
  uint64_t cids_issued = 0;     // Registered by IssueCid.
  uint64_t cid_collisions = 0;  // IssueCid refused: CID taken.
  uint64_t cids_retired = 0;    // Moved to kRetiring.
  uint64_t cids_expired = 0;    // Removed after their grace window.
  uint64_t cids_removed_with_connection = 0;
  uint64_t fallback_confirmed = 0;  // ConfirmFallback bound a CID.
  uint64_t fallback_refused = 0;    // ConfirmFallback refused (retired, collision...).
  uint64_t connections_opened = 0;
  uint64_t connections_promoted = 0;
  uint64_t connections_removed = 0;
  // How many times reset_stats() ran. Never reset itself, so an exporter
  // tells a reset from a quiet interval without guessing.
  uint64_t resets = 0;
  FixedHistogram<kSequenceBuckets.size()> sequence_numbers;
  // Filled only when RegistrySettings::debug_timer is set.
  std::array<FixedHistogram<kTimingBucketsNs.size()>, kRegistryOperationCount> timings_ns{};

  // Gauges.
  std::array<uint64_t, kCidStateCount> cids_by_state{};
  uint64_t connections_pending = 0;
  uint64_t connections_established = 0;
  uint64_t initial_dcids = 0;
  uint64_t address_bindings = 0;  // 4-tuple entries.
  uint64_t reset_tokens = 0;

  uint64_t lookups(RouteOutcome o) const { return lookups_by_outcome[static_cast<size_t>(o)]; }
  uint64_t cids(CidState s) const { return cids_by_state[static_cast<size_t>(s)]; }

  // Zeroes every counter and histogram; gauges keep describing the state.
  void ResetCounters();
  // Adds `other` in (counters, histograms and gauges): the totals of
  // several registries, e.g. one per listening socket.
  void Accumulate(const RegistryStats& other);
};

}  // namespace p2pquic
