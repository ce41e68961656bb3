#include "scenarios/runner/connection_ends.h"

#include <vector>

namespace p2pquic::scenarios {

const ConnectionRecord* ConnectionEnds::Of(const ConnectionRuntime& connection,
                                           ConnectionSide side) {
  if (connection.dialer == nullptr) return nullptr;
  if (side == ConnectionSide::kDialer) {
    return connection.app == nullptr ? nullptr : connection.app->Connection(connection.handle);
  }
  // After a Retry the server's end names the Retry's SCID as its original
  // DCID (host_workload.h, ConnectionRecord::retried_dcid).
  const ConnectionRecord* dialer =
      connection.app == nullptr ? nullptr : connection.app->Connection(connection.handle);
  std::vector<ConnectionId> names = {connection.original_dcid};
  if (dialer != nullptr && !dialer->retried_dcid.empty()) names.push_back(dialer->retried_dcid);
  for (const ConnectionId& name : names) {
    if (connection.listener->workload != nullptr) {
      const ConnectionRecord* record =
          connection.listener->workload->FindInbound(name, connection.dialer_seen_at);
      if (record != nullptr) return record;
    }
    for (const auto& past : connection.listener->past_workloads) {
      const ConnectionRecord* record = past->FindInbound(name, connection.dialer_seen_at);
      if (record != nullptr) return record;
    }
  }
  return nullptr;
}

}  // namespace p2pquic::scenarios
