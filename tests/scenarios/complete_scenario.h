// A scenario file that uses every action, every expectation kind and every
// setting (a shared bottleneck too), with the Scenario it must parse to: the shared starting point
// of the parser, writer and fuzz tests.
#pragma once

#include <string_view>

#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios::testing {

extern const std::string_view kCompleteScenarioJson;

// What ParseScenario(kCompleteScenarioJson) must yield, written out by hand.
Scenario CompleteScenario();

}  // namespace p2pquic::scenarios::testing
