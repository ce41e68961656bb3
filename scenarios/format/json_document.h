// ParseJsonDocument: JSON text to a nlohmann::json value, stricter than
// nlohmann's own parse: a key repeated within one object (nlohmann keeps the
// last silently, hiding a typo's twin), nesting deeper than kMaxJsonDepth and
// text longer than kMaxScenarioBytes are errors, each with its JSON path.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "scenarios/format/parse_error.h"

namespace p2pquic::scenarios {

// Contract: never throws. kOk fills `out`; kInvalidJson fills `error`
// (non-null) with a path ("$" for syntax errors, whose reason carries
// nlohmann's message and the byte offset) and leaves `out` unchanged.
ParseStatus ParseJsonDocument(std::string_view text, nlohmann::json* out, ParseError* error);

}  // namespace p2pquic::scenarios
