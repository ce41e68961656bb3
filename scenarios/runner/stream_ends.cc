#include "scenarios/runner/stream_ends.h"

#include "scenarios/runner/oracles/stream_data_oracle.h"

namespace p2pquic::scenarios {

StreamEnds StreamEnds::Of(const StreamRuntime& stream, const SimulatedHosts::HostMap& hosts) {
  StreamEnds ends;
  if (stream.opener != nullptr) {
    const auto& sent = stream.opener->sent();
    if (auto it = sent.find(stream.tag); it != sent.end()) ends.sent = &it->second;
  }
  auto look_in = [&](const std::string& name, const HostWorkload& workload) {
    if (auto it = workload.received().find(stream.tag); it != workload.received().end()) {
      ends.received = &it->second;
      ends.receiver = name;
    }
  };
  for (const auto& [name, host] : hosts) {
    for (const HostRuntime* worker : static_cast<const HostRuntime&>(*host).Workers()) {
      for (const auto& past : worker->past_workloads) look_in(name, *past);
      if (worker->workload != nullptr) look_in(name, *worker->workload);
    }
  }
  return ends;
}

bool StreamEnds::Match() const { return StreamDataOracle::Same(sent, received); }

StreamOutcome StreamEnds::Outcome(uint64_t requested) const {
  if (received != nullptr && received->fin && Match() && sent->payload_bytes == requested) {
    return StreamOutcome::kIntact;
  }
  const bool reset = (sent != nullptr && sent->reset) || (received != nullptr && received->reset);
  return reset ? StreamOutcome::kReset : StreamOutcome::kUnfinished;
}

}  // namespace p2pquic::scenarios
