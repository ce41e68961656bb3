#include "transport/host/protocol_services.h"

#include "transport/host/identify_service.h"
#include "transport/host/perf_service.h"
#include "transport/host/ping_service.h"

namespace p2pquic {

void RegisterDefaultServices(Libp2pHost& host) {
  PingService::Register(host);
  IdentifyService::Register(host);
  PerfService::Register(host);
}

}  // namespace p2pquic
