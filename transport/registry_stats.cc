#include "transport/registry_stats.h"

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
