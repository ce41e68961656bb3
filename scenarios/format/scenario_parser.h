// The strict scenario parser: JSON text (scenarios/format/FORMAT.md) to a fully
// resolved Scenario. Strict because scenario files are written by hand and
// replayed as bug reports: an unknown field, a duplicate key, a value out of
// range or a name that refers to nothing is an error naming its JSON path,
// never something silently ignored or defaulted.
//
// Contract: no exception escapes; every call returns a status and, unless
// kOk, fills `error` (when non-null) with a non-empty path and reason. On
// failure `out` is left unchanged. Deterministic: the same text always gives
// the same result and, on failure, the same first error.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "scenarios/format/parse_error.h"
#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios {

// Larger inputs are refused before parsing: a scenario is a page of JSON,
// and a shrunk or generated one is smaller still.
inline constexpr size_t kMaxScenarioBytes = size_t{16} << 20;
// Deeper nesting is refused while parsing; the format itself nests 5 deep.
inline constexpr int kMaxJsonDepth = 16;

ParseStatus ParseScenario(std::string_view json, Scenario* out, ParseError* error);

// Reads the file at `path` and parses it. An unreadable file gives
// kUnreadableFile with json_path = `path` and the system's reason.
ParseStatus LoadScenarioFile(const std::string& path, Scenario* out, ParseError* error);

}  // namespace p2pquic::scenarios
