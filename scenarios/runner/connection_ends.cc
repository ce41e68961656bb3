#include "scenarios/runner/connection_ends.h"

#include <vector>

namespace p2pquic::scenarios {

const ConnectionRecord* ConnectionEnds::Of(const ConnectionRuntime& connection, ConnectionSide side,
                                           const HostRuntime** worker) {
  if (connection.dialer == nullptr) return nullptr;
  if (side == ConnectionSide::kDialer) {
    if (worker != nullptr) *worker = connection.dialer;
    return connection.app == nullptr ? nullptr : connection.app->Connection(connection.handle);
  }
  // After a Retry the server's end names the Retry's SCID as its original
  // DCID (host_workload.h, ConnectionRecord::retried_dcid).
  const ConnectionRecord* dialer =
      connection.app == nullptr ? nullptr : connection.app->Connection(connection.handle);
  std::vector<ConnectionId> names = {connection.original_dcid};
  if (dialer != nullptr && !dialer->retried_dcid.empty()) names.push_back(dialer->retried_dcid);
  // Current lives first (every worker's), then the past ones.
  const std::vector<const HostRuntime*> workers =
      static_cast<const HostRuntime&>(*connection.listener).Workers();
  for (const ConnectionId& name : names) {
    for (const HostRuntime* w : workers) {
      if (w->workload == nullptr) continue;
      const ConnectionRecord* record = w->workload->FindInbound(name, connection.dialer_seen_at);
      if (record == nullptr) continue;
      if (worker != nullptr) *worker = w;
      return record;
    }
    for (const HostRuntime* w : workers) {
      for (const auto& past : w->past_workloads) {
        const ConnectionRecord* record = past->FindInbound(name, connection.dialer_seen_at);
        if (record == nullptr) continue;
        if (worker != nullptr) *worker = w;
        return record;
      }
    }
  }
  return nullptr;
}

}  // namespace p2pquic::scenarios
