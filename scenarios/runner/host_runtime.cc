#include "scenarios/runner/host_runtime.h"

namespace p2pquic::scenarios {

void HostRuntime::EndLife(const std::string& reason) {
  if (host == nullptr) return;
  workload->Detach(reason);
  host.reset();
  tracer.reset();
  past_workloads.push_back(std::move(workload));
}

void HostRuntime::EndLifeForRestart() {
  past_stats.Accumulate(endpoint().stats());
  for (size_t i = 0; i < past_lookups.size(); ++i) {
    past_lookups[i] += endpoint().registry().stats().lookups(static_cast<RouteOutcome>(i));
  }
  EndLife("host restarted");
  ++restarts;
}

EndpointStats HostRuntime::Stats() const {
  EndpointStats total = past_stats;
  if (host != nullptr) total.Accumulate(endpoint().stats());
  return total;
}

uint64_t HostRuntime::Lookups(RouteOutcome outcome) const {
  const uint64_t now = host == nullptr ? 0 : endpoint().registry().stats().lookups(outcome);
  return past_lookups[static_cast<size_t>(outcome)] + now;
}

}  // namespace p2pquic::scenarios
