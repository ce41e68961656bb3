#include "scenarios/runner/host_runtime.h"

namespace p2pquic::scenarios {

HostRuntime::~HostRuntime() {
  other_workers.clear();
  EndLife("the run ended");
  group.reset();
}

std::vector<HostRuntime*> HostRuntime::Workers() {
  std::vector<HostRuntime*> all{this};
  for (auto& w : other_workers) all.push_back(w.get());
  return all;
}

std::vector<const HostRuntime*> HostRuntime::Workers() const {
  std::vector<const HostRuntime*> all{this};
  for (const auto& w : other_workers) all.push_back(w.get());
  return all;
}

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
  EndpointStats total;
  for (const HostRuntime* w : Workers()) {
    total.Accumulate(w->past_stats);
    if (w->host != nullptr) total.Accumulate(w->endpoint().stats());
  }
  return total;
}

uint64_t HostRuntime::Lookups(RouteOutcome outcome) const {
  uint64_t total = 0;
  for (const HostRuntime* w : Workers()) {
    total += w->past_lookups[static_cast<size_t>(outcome)];
    if (w->host != nullptr) total += w->endpoint().registry().stats().lookups(outcome);
  }
  return total;
}

bool HostRuntime::RegistryEmpty(std::string* contents) const {
  if (other_workers.empty()) return WorkerRegistryEmpty(contents);
  bool empty = true;
  contents->clear();
  for (const HostRuntime* w : Workers()) {
    std::string one;
    if (!w->WorkerRegistryEmpty(&one)) empty = false;
    *contents += (contents->empty() ? "" : "; ") + w->trace_name + ": " + one;
  }
  return empty;
}

bool HostRuntime::WorkerRegistryEmpty(std::string* contents) const {
  if (host == nullptr) {
    *contents = "no registry (the host is down)";
    return true;
  }
  const ConnectionIdRegistry& registry = endpoint().registry();
  const RegistryStats& s = registry.stats();
  uint64_t cids = 0;
  for (uint64_t n : s.cids_by_state) cids += n;
  *contents = std::to_string(registry.LiveConnectionCount()) + " connections, " +
              std::to_string(cids) + " CIDs, " + std::to_string(s.initial_dcids) +
              " initial DCIDs, " + std::to_string(s.address_bindings) + " tuples, " +
              std::to_string(s.reset_tokens) + " tokens";
  return registry.LiveConnectionCount() == 0 && cids == 0 && s.initial_dcids == 0 &&
         s.address_bindings == 0 && s.reset_tokens == 0;
}

}  // namespace p2pquic::scenarios
