// StreamEnds: a transfer stream's two records, found among every host's
// workloads (current and past lives): what its opener sent and what
// arrived (one host receives each tag). Either may be missing.
//
// Contract: the pointers are into the workloads' records; they stay valid
// while the hosts (SimulatedHosts) do and no more data flows.
#pragma once

#include <string>

#include "scenarios/runner/simulated_hosts.h"
#include "scenarios/runner/timeline_records.h"
#include "scenarios/runner/transfer_payload.h"

namespace p2pquic::scenarios {

struct StreamEnds {
  const StreamRecord* sent = nullptr;
  const StreamRecord* received = nullptr;
  std::string receiver;  // The host that received it.

  // The ends of `stream` among `hosts`' workloads.
  static StreamEnds Of(const StreamRuntime& stream, const SimulatedHosts::HostMap& hosts);
  bool Match() const;  // Both there, same bytes, same hash.
  // Intact: FIN arrived, both ends match and the opener sent all
  // `requested` bytes; else reset if either end saw a reset; else
  // unfinished.
  StreamOutcome Outcome(uint64_t requested) const;
};

}  // namespace p2pquic::scenarios
