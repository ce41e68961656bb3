// ScenarioFeatures: which features of the scenario format a scenario uses,
// for the explorer's coverage report. Derived from the Scenario alone (not
// from how it was generated), so it works as well on a shrunk or
// hand-written file as on a generated one.
//
// Names are stable snake_case identifiers, one per feature; a report keys
// on them across runs, so a name never changes meaning (add new ones).
// Definitions of the timing-based ones:
// - close_mid_handshake: a close at most kMidHandshakeWindow after its dial;
// - close_mid_transfer: otherwise, a close at most kMidTransferWindow after the
//   connection's last workload event (open_stream, send, ping, identify,
//   perf, reset_stream);
// - close_late: any other close.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios {

inline constexpr Duration kMidHandshakeWindow = std::chrono::milliseconds(10);
inline constexpr Duration kMidTransferWindow = std::chrono::milliseconds(1000);

// The features `scenario` uses, each once, in AllScenarioFeatures' order.
std::vector<std::string> ScenarioFeatures(const Scenario& scenario);

// Every name ScenarioFeatures can return, so a report can show those never
// reached.
const std::vector<std::string>& AllScenarioFeatures();

}  // namespace p2pquic::scenarios
