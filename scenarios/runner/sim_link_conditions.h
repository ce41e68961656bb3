// ToSim: a scenario file's link conditions (scenarios/scenario.h: whole
// milliseconds, kbit/s) as the simulator's (sim/link_conditions.h). One
// translation for the runner and the benchmarks, so a field added to both
// models cannot reach one and not the other.
#pragma once

#include <cstdint>

#include "scenarios/format/scenario.h"
#include "sim/link_conditions.h"

namespace p2pquic::scenarios {

sim::LinkConditions ToSim(const LinkConditions& conditions);
// A file's bandwidth (kbit/s: conditions, bottlenecks) in the simulator's bit/s.
uint64_t ToSimBandwidth(uint64_t kbps);

}  // namespace p2pquic::scenarios
