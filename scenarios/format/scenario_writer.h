// ToJson: a Scenario as a canonical scenario file, the form property-based
// exploration writes its shrunk failures in.
//
// Contract: for every Scenario `s` that ParseScenario produced,
// ParseScenario(ToJson(s)) succeeds and yields a Scenario equal to `s`.
// Canonical: every field is written, defaults included (a replay must not
// change when a default does), in a fixed order, two-space indented, ending
// in a newline; equal scenarios give byte-equal text.
#pragma once

#include <string>

#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios {

std::string ToJson(const Scenario& scenario);

}  // namespace p2pquic::scenarios
