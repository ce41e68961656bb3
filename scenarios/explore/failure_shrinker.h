// ShrinkFailure: shrinks a failing scenario while its failure signature
// persists (CheckCase under the same properties still reports it), and
// says how big it was before and after; the command that replays a file
// under those properties; and writing a scenario file. Shared by
// `p2pquic-sim explore` (each new signature) and `p2pquic-sim shrink FILE`.
//
// Contract: runs the simulator, one run at a time (RunScenario's contract).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "scenarios/explore/exploration_properties.h"
#include "scenarios/explore/scenario_shrinker.h"
#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios {

struct ShrunkFailure {
  Scenario minimal;
  ScenarioSize before;
  ScenarioSize after;
  ShrinkStop stop = ShrinkStop::kFixpoint;
  size_t runs = 0;  // Simulator runs the shrink made.

  // {"before": {...}, "after": {...}, "stop": ..., "runs": N}.
  nlohmann::json ToJson() const;
};

// Signatures of a case that killed the process running it.
inline constexpr char kCrashPrefix[] = "crash:";

// Runs the case in a child process: "crash:<signal>" if it died of a
// signal, "crash:exit N" on another exit status, "" if it finished.
std::string CrashSignatureInChild(const Scenario& scenario, PropertySet properties);

// A "crash:" signature is shrunk with every candidate in a child process.
ShrunkFailure ShrinkFailure(const Scenario& failing, const std::string& signature,
                            PropertySet properties, const ShrinkLimits& limits);

// "p2pquic-sim replay FILE [--properties] [--canary]".
std::string ReplayCommand(const std::string& file, PropertySet properties);

// Writes the scenario's canonical JSON to `path`; false (with `error`) if
// it cannot.
bool WriteScenarioFile(const std::string& path, const Scenario& scenario, std::string* error);

// A file-name-safe form of a signature: [a-z0-9-], at most 48 characters.
std::string SignatureSlug(const std::string& signature);

}  // namespace p2pquic::scenarios
