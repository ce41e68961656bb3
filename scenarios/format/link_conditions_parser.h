// ParseLinkConditions: a CONDITIONS object of a scenario file (links.default,
// a link override, a set_link event) onto a base, so a partial object changes
// only the fields it names.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "scenarios/format/error_sink.h"
#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios {

// Fills `out` with `base` changed by the fields of `value` (the JSON value at
// `path`). On an error, reported to `errors`, `out` holds a partial result.
void ParseLinkConditions(const nlohmann::json& value, const std::string& path,
                         const LinkConditions& base, ErrorSink& errors, LinkConditions* out);

}  // namespace p2pquic::scenarios
