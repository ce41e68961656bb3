// ParseBottlenecks: the `links.bottlenecks` array of a scenario file
// (FORMAT.md, "Shared bottlenecks"): each a name unique among them, a
// non-empty list of directions between hosts of the scenario, a bandwidth
// above zero and an optional queue. A direction may be in one bottleneck
// only, listed once.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scenarios/format/error_sink.h"
#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios {

// Appends each bottleneck of `value` (the JSON array at `path`) to `out`;
// `scenario` must hold the hosts already. The first problem goes to `errors`.
void ParseBottlenecks(const nlohmann::json& value, const std::string& path,
                      const Scenario& scenario, ErrorSink& errors, std::vector<Bottleneck>* out);

}  // namespace p2pquic::scenarios
