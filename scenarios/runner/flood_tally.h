// FloodTally: what the run's floods sent and what the hosts answered to
// their spoofed sources, by answer kind (FloodAnswer): the `flood_answers`
// expectation reads it, the report and trace show it.
#pragma once

#include <array>
#include <cstdint>

#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios {

struct FloodTally {
  uint64_t datagrams_sent = 0;  // Flood datagrams the network took.
  uint64_t bytes_sent = 0;
  uint64_t send_failures = 0;  // Refused by the network (SendSpoofed not kOk).
  // Datagrams any host sent to a spoofed source (one per send, whatever its
  // fate; a link's duplicate is not another answer), indexed by
  // FloodAnswer; kAny holds them all.
  std::array<uint64_t, kFloodAnswerCount> answers{};
  uint64_t answer_bytes = 0;

  uint64_t count(FloodAnswer answer) const { return answers[static_cast<size_t>(answer)]; }
};

}  // namespace p2pquic::scenarios
