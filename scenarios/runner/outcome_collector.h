// OutcomeCollector: turns the run's records (the timeline's connections
// and streams, the hosts' workloads across their lives, the frame log, the
// oracles' counts) into RunOutcomes once the run is over.
//
// Contract: single-threaded, after the run and before the hosts are
// destroyed; everything it is given outlives the call.
#pragma once

#include "scenarios/runner/frame_log.h"
#include "scenarios/runner/oracles/oracles.h"
#include "scenarios/runner/run_outcomes.h"
#include "scenarios/runner/simulated_hosts.h"
#include "scenarios/runner/timeline_records.h"

namespace p2pquic::scenarios {

class OutcomeCollector {
 public:
  OutcomeCollector(const SimulatedHosts& hosts, const TimelineRecords& records,
                   const FrameLog& frames, const Oracles& oracles, Timestamp start);

  RunOutcomes Collect() const;

 private:
  ConnectionOutcomeRecord Connection(const std::string& name,
                                     const ConnectionRuntime& connection) const;
  EndOutcome End(const ConnectionRuntime& connection, ConnectionSide side) const;
  StreamOutcomeRecord Stream(const std::string& name, const StreamRuntime& stream) const;
  HostOutcomeRecord Host(const std::string& name, const HostRuntime& host) const;

  const SimulatedHosts& hosts_;
  const TimelineRecords& records_;
  const FrameLog& frames_;
  const Oracles& oracles_;
  const Timestamp start_;
};

}  // namespace p2pquic::scenarios
