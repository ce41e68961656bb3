// The protocols every p2pquic host serves: /ipfs/ping/1.0.0 (PingService),
// /ipfs/id/1.0.0 (IdentifyService) and /perf/1.0.0 (PerfService).
#pragma once

#include "transport/host/libp2p_host.h"

namespace p2pquic {

// Registers the three services on `host` (replacing any handler it had for
// those protocols). Call before peers connect, so identify lists them all.
void RegisterDefaultServices(Libp2pHost& host);

}  // namespace p2pquic
