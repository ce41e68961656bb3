#include "scenarios/runner/connection_ends.h"

namespace p2pquic::scenarios {

const ConnectionRecord* ConnectionEnds::Of(const ConnectionRuntime& connection,
                                           ConnectionSide side) {
  if (connection.dialer == nullptr) return nullptr;
  if (side == ConnectionSide::kDialer) {
    return connection.app == nullptr ? nullptr : connection.app->Connection(connection.handle);
  }
  if (connection.listener->workload != nullptr) {
    const ConnectionRecord* record = connection.listener->workload->FindInbound(
        connection.original_dcid, connection.dialer_seen_at);
    if (record != nullptr) return record;
  }
  for (const auto& past : connection.listener->past_workloads) {
    const ConnectionRecord* record =
        past->FindInbound(connection.original_dcid, connection.dialer_seen_at);
    if (record != nullptr) return record;
  }
  return nullptr;
}

}  // namespace p2pquic::scenarios
