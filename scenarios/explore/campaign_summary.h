// CampaignSummary: what a campaign (or one shard of it) ran and found:
// its plan (base seed, shard, cases), its failures one per signature with
// the shrunk file and the command that replays it, determinism re-checks,
// and the coverage of the event space. `p2pquic-sim explore --json` prints
// it; `p2pquic-sim campaign merge` reads the shards' and merges them into
// the campaign's.
//
// Contract: plain value; ToJson/FromJson round-trip; FromJson names the
// first bad field.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scenarios/explore/campaign_plan.h"
#include "scenarios/explore/exploration_coverage.h"

namespace p2pquic::scenarios {

struct FailureReport {
  std::string signature;
  std::string detail;        // The first case's, for people.
  uint64_t count = 0;        // Cases that failed with this signature.
  uint64_t first_index = 0;  // The lowest case index that did.
  uint64_t first_seed = 0;   // Its case seed.
  std::string file;          // The shrunk scenario file; empty if none was written.
  std::string replay;        // The command that replays it.
  nlohmann::json shrink;     // Sizes before and after (MeasureScenario), stop reason.
};

struct CampaignSummary {
  uint64_t base_seed = 0;
  std::vector<ShardSpec> shards;  // One per shard summarised (merged: every shard's).
  uint64_t cases_requested = 0;   // The campaign's --cases; 0 for a time budget.
  uint64_t cases_run = 0;
  std::string properties;  // "exploration" or "canary".
  uint64_t jobs = 1;
  double wall_seconds = 0;
  uint64_t determinism_rechecks = 0;
  uint64_t determinism_mismatches = 0;
  // Cases whose process died of a crash documented in KNOWN.md.
  uint64_t known_crashes = 0;
  std::vector<FailureReport> failures;  // One per signature, by first index.
  ExplorationCoverage coverage;

  // Adds `failure` (one failing case) under its signature.
  void AddFailure(const FailureReport& failure);

  nlohmann::json ToJson(const std::vector<std::string>& all_features) const;
  static bool FromJson(const nlohmann::json& json, CampaignSummary* out, std::string* error);
  // A few lines for people: cases, speed, failures with their replay
  // commands, what coverage did not reach.
  std::string FormatText(const std::vector<std::string>& all_features) const;
};

// Merges shard summaries of one campaign; `names[i]` names shards[i] in
// errors (its file). False (with `error`) if they are of different
// campaigns (base seed, case count, shard count, properties: the field is
// named) or one shard appears twice; a missing shard is reported in
// `missing`.
bool MergeSummaries(const std::vector<CampaignSummary>& shards,
                    const std::vector<std::string>& names, CampaignSummary* merged,
                    std::vector<uint64_t>* missing, std::string* error);

}  // namespace p2pquic::scenarios
