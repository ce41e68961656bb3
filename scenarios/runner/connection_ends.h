// ConnectionEnds: where the records of a dialed connection's two ends
// live. The dialer's end is in the workload of the life that dialed it;
// the listener's in whichever of the listener's lives accepted it (a
// restart starts a new workload, the old ones keep their records), found
// by the client's original DCID and the address the listener saw it at;
// on a multi-worker listener, in whichever worker owns it.
//
// Contract: the pointer is into a workload's records; it stays valid while
// the hosts (SimulatedHosts) do.
#pragma once

#include "scenarios/format/scenario.h"
#include "scenarios/runner/host_workload.h"
#include "scenarios/runner/timeline_records.h"

namespace p2pquic::scenarios {

class ConnectionEnds {
 public:
  // The record of `side`'s end of `connection`, or null: never dialed, or
  // (the listener) no Initial of it arrived.
  // With `worker`, also which runtime (the worker) holds it.
  static const ConnectionRecord* Of(const ConnectionRuntime& connection, ConnectionSide side,
                                    const HostRuntime** worker = nullptr);
};

}  // namespace p2pquic::scenarios
