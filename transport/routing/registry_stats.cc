#include "transport/routing/registry_stats.h"

namespace p2pquic {

const char* ToString(RegistryOperation op) {
  switch (op) {
    case RegistryOperation::kRoute:
      return "route";
    case RegistryOperation::kIssue:
      return "issue";
    case RegistryOperation::kRetire:
      return "retire";
    case RegistryOperation::kPromote:
      return "promote";
    case RegistryOperation::kRemoveConnection:
      return "remove_connection";
    case RegistryOperation::kConfirmFallback:
      return "confirm_fallback";
    case RegistryOperation::kExpire:
      return "expire";
  }
  return "unknown";
}

void RegistryStats::Accumulate(const RegistryStats& o) {
  for (size_t i = 0; i < lookups_by_outcome.size(); ++i)
    lookups_by_outcome[i] += o.lookups_by_outcome[i];
  cids_issued += o.cids_issued;
  cid_collisions += o.cid_collisions;
  cids_retired += o.cids_retired;
  cids_expired += o.cids_expired;
  cids_removed_with_connection += o.cids_removed_with_connection;
  fallback_confirmed += o.fallback_confirmed;
  fallback_refused += o.fallback_refused;
  connections_opened += o.connections_opened;
  connections_promoted += o.connections_promoted;
  connections_removed += o.connections_removed;
  resets += o.resets;
  sequence_numbers.Add(o.sequence_numbers);
  for (size_t i = 0; i < timings_ns.size(); ++i) timings_ns[i].Add(o.timings_ns[i]);
  for (size_t i = 0; i < cids_by_state.size(); ++i) cids_by_state[i] += o.cids_by_state[i];
  connections_pending += o.connections_pending;
  connections_established += o.connections_established;
  initial_dcids += o.initial_dcids;
  address_bindings += o.address_bindings;
  reset_tokens += o.reset_tokens;
}

void RegistryStats::ResetCounters() {
  RegistryStats fresh;
  fresh.cids_by_state = cids_by_state;
  fresh.connections_pending = connections_pending;
  fresh.connections_established = connections_established;
  fresh.initial_dcids = initial_dcids;
  fresh.address_bindings = address_bindings;
  fresh.reset_tokens = reset_tokens;
  fresh.resets = resets + 1;
  *this = fresh;
}

}  // namespace p2pquic
