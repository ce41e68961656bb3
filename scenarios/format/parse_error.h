// ParseStatus and ParseError: what ParseScenario and LoadScenarioFile report
// when a scenario is refused, precisely enough to fix the file by hand.
#pragma once

#include <cstdint>
#include <string>

namespace p2pquic::scenarios {

enum class ParseStatus : uint8_t {
  kOk,
  kUnreadableFile,  // The file could not be opened or read (ParseError::reason says why).
  kInvalidJson,     // Not JSON, a duplicate key, too deep or too large.
  kInvalidScenario  // JSON, but breaks a rule of scenarios/format/FORMAT.md.
};

const char* ToString(ParseStatus status);

// Where and why. `json_path` names the offending value from the document's
// root "$" (e.g. "$.timeline[3].bytes"); for an unreadable file it is the
// file's path. `reason` says what is wrong and, where it helps, what was
// found (e.g. "must be > 0, got 0"). Both are non-empty after a failure.
struct ParseError {
  std::string json_path;
  std::string reason;

  friend bool operator==(const ParseError&, const ParseError&) = default;
};

}  // namespace p2pquic::scenarios
