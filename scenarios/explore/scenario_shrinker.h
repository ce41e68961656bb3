// ShrinkScenario: greedy delta debugging at the level of the scenario file.
// Given a scenario that fails (by the caller's predicate: the same failure
// signature) it tries ever smaller candidates (fewer hosts, connections,
// streams, events, expectations; no faults; default settings; smaller
// numbers; earlier times) and keeps the first that still fails, until no
// candidate is accepted (a fixpoint) or a limit is hit. The result is what a
// person reads as the bug report, so smaller beats faster.
//
// Contract:
// - Only valid candidates reach `still_fails`: each candidate goes through
//   ToJson and ParseScenario, and one the parser refuses is skipped without
//   calling the predicate. The scenario offered is the parsed one, so it
//   round-trips through ToJson/ParseScenario unchanged.
// - `failing` must be valid (ParseScenario produced it, or it round-trips);
//   still_fails(failing) is assumed true and not re-run.
// - The result always still fails: it is `failing` or a candidate the
//   predicate accepted, whatever stopped the search.
// - Deterministic: the same inputs and predicate answers give the same
//   result. The clock is read only to enforce max_wall (ShrinkLimits::now).
// - A candidate once offered is never offered again in the same call: the
//   predicate is assumed deterministic.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios {

// Whether a candidate still shows the failure being shrunk (the same
// signature, not just any failure). Called many times; it may run the
// simulator.
using StillFails = std::function<bool(const Scenario&)>;

// The clock max_wall is measured on.
using ShrinkClock = std::function<std::chrono::steady_clock::time_point()>;

struct ShrinkLimits {
  // Candidates offered to the predicate (each usually one simulator run).
  // Candidates the parser refuses are not counted: they cost no run.
  size_t max_attempts = 1000;
  // Wall-clock budget of the whole shrink, checked before each candidate.
  std::chrono::duration<double> max_wall = std::chrono::seconds(120);
  // The only clock the shrinker reads; a caller that needs a reproducible
  // stop (a test) passes its own.
  ShrinkClock now = [] { return std::chrono::steady_clock::now(); };
};

// How big a scenario is, the numbers a shrink report prints before/after.
struct ScenarioSize {
  size_t events = 0;
  size_t hosts = 0;
  size_t connections = 0;  // Dials.
  size_t streams = 0;      // open_stream, ping, identify and perf events.
  size_t expectations = 0;
  uint64_t bytes = 0;       // Every send's bytes plus every perf's upload and download.
  Duration virtual_time{};  // The scenario's duration.
  size_t json_bytes = 0;    // Of its canonical file (ToJson).

  friend bool operator==(const ScenarioSize&, const ScenarioSize&) = default;
};

ScenarioSize MeasureScenario(const Scenario& scenario);

enum class ShrinkStop : uint8_t {
  kFixpoint,      // A whole round of candidates found nothing smaller that still fails.
  kAttemptLimit,  // ShrinkLimits::max_attempts candidates were offered.
  kTimeLimit,     // ShrinkLimits::max_wall passed.
};
const char* ToString(ShrinkStop stop);

struct ShrinkResult {
  Scenario minimal;  // Still fails (see the contract).
  ShrinkStop stop = ShrinkStop::kFixpoint;
  size_t attempts = 0;  // Candidates offered to the predicate.
  size_t accepted = 0;  // Of those, the ones that still failed (each became the current one).
  size_t invalid = 0;   // Candidates the parser refused, never offered.
};

// Candidate passes, in this order, repeated until a round accepts nothing:
//  1. drop a host and everything naming it; 2. drop a connection and its
//  streams, events and expectations; 3. drop a stream (transfer, ping,
//  identify, perf) and what acts on or checks it; 4. drop timeline events in
//  chunks (halves, quarters, ..., single events), with what depends on them;
//  5. drop expectations in chunks; 6. remove faults and settings: link
//  overrides, bottlenecks, each condition field to its neutral value
//  (LinkConditions{}), NAT, host settings, send buffers, random seeds, the
//  scenario's settings field by field, seed 0; 7. reduce numbers by binary
//  search toward their minimum (send, ping and perf sizes and counts,
//  intervals, delays, blackhole durations, error codes, link conditions,
//  the gaps between events, the scenario's duration).
ShrinkResult ShrinkScenario(const Scenario& failing, const StillFails& still_fails,
                            const ShrinkLimits& limits);

}  // namespace p2pquic::scenarios
