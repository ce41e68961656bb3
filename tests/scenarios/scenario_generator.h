// Random scenarios for property-based exploration (RapidCheck), and the
// helpers that turn a failing case into a replayable scenario file.
//
// The generator builds a client/server transfer with faults: a dial, one
// stream that sends 16 KiB..1 MiB with FIN, 0..3 disruptions between 0.3 s
// and 3 s (migrate, NAT rebind, one-way blackhole, partition + heal,
// set_link, delayed CID registration) and a close long after the transfer
// should be done. Every draw shrinks towards the mildest value, so a
// shrunk failure has as few disruptions and as tame a network as possible.
//
// Contract: a property runs only what Validated returns, the generated
// Scenario written with ToJson and parsed back, so only files that obey
// FORMAT.md are ever run or written. A generated case the parser refuses is
// a generator bug and fails the property with the parser's error.
#pragma once

#include <rapidcheck.h>

#include <chrono>
#include <ostream>
#include <string>

#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios::testing {

// The timeline's fixed points. The slowest generated transfer (1 MiB over
// 5 Mbit/s both ways, 100 ms + 50 ms jitter, 5% loss in bursts of 3, 5%
// duplicates, 2% corruption, a 1.5 s partition and a 1.5 s blackhole)
// finished within 9..15 s of virtual time over five seeds, so the close at
// 28 s leaves room for three outages and their backed-off probes. It comes
// before the 30 s default idle timeout can fire, which counts from the
// last packet and so never before 30 s: a connection still open at the
// close was not idled out. The run lasts past the close so it completes.
inline constexpr std::chrono::milliseconds kCloseAt{28'000};
inline constexpr std::chrono::milliseconds kRunDuration{40'000};
inline constexpr int kMaxDisruptions = 3;

inline constexpr char kConnection[] = "c1";
inline constexpr char kStream[] = "s1";
inline constexpr char kClientName[] = "client";
inline constexpr char kServerName[] = "server";

// A scenario as built by hand, not yet through the parser.
rc::Gen<Scenario> GenerateScenario();

// ParseScenario(ToJson(built)); inside a property, a refusal fails the
// property with the parser's path and reason (RC_FAIL).
Scenario Validated(const Scenario& built);

// Where WriteFailingCase puts `file_name`.
std::string FailingCasePath(const std::string& file_name);

// Writes `scenario` with ToJson to `file_name` in $TEST_UNDECLARED_OUTPUTS_DIR
// (else /tmp), replacing an earlier file of that name: called on every
// failing run while RapidCheck shrinks, the last file written is the
// minimal case. Returns the file's path, or an empty string (and a reason
// in `error`) when it cannot be written.
std::string WriteFailingCase(const Scenario& scenario, const std::string& file_name,
                             std::string* error);

// The command that replays the file at `path` as the exploration runs it
// (reading frames, so every oracle runs), and where Bazel keeps the
// file after the test when it was written to the undeclared-outputs
// directory (which Bazel zips and removes).
std::string ReplayHint(const std::string& path);

}  // namespace p2pquic::scenarios::testing

namespace p2pquic::scenarios {

// RapidCheck prints a counterexample with this (found by ADL, hence this
// namespace): the scenario file.
void showValue(const Scenario& scenario, std::ostream& os);

}  // namespace p2pquic::scenarios
