// Explorer: one campaign, or one shard of it. Case i's scenario is
// GenerateScenario(CaseSeed(base_seed, i)), written and parsed back (so
// what runs is what a file replays), checked by CheckCase with the
// exploration properties; every determinism_every-th case is run a second
// time and must give the same digest and event count. Cases run in `jobs`
// processes, at least one (fork; each takes every jobs-th case of the
// shard and reports each case as it begins and ends, with its failures,
// then its coverage, through a pipe). A job that dies inside a case (an
// abort in a library) makes that case a "crash:<signal>" failure, and a
// new job takes the rest of its share. Afterwards
// the parent shrinks the first case of each new signature to a minimal
// file in out_dir and names the command that replays it.
//
// Contract: Run once per Explorer, in a process with no other threads
// (fork). Progress goes to `progress` (a terminal gets one updating line,
// anything else a line every kProgressInterval); the summary is returned.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "scenarios/explore/campaign_plan.h"
#include "scenarios/explore/campaign_summary.h"
#include "scenarios/explore/exploration_properties.h"
#include "scenarios/explore/scenario_shrinker.h"

namespace p2pquic::scenarios {

struct ExploreOptions {
  static constexpr uint64_t kDefaultCases = 1000;
  static constexpr uint64_t kDefaultDeterminismEvery = 16;
  static constexpr uint64_t kMaxJobs = 256;

  // Exactly one of the two bounds the campaign: a case count, or a wall
  // time (then cases run until it is spent; shards and jobs still split
  // the same index sequence).
  std::optional<uint64_t> cases;
  std::optional<std::chrono::duration<double>> time;
  uint64_t base_seed = 0;
  uint64_t jobs = 1;
  ShardSpec shard;
  std::string out_dir;  // Where minimal files go; created if missing.
  PropertySet properties = PropertySet::kExploration;
  uint64_t determinism_every = kDefaultDeterminismEvery;  // 0: never re-run.
  ShrinkLimits shrink;
  bool shrink_failures = true;
};

class Explorer {
 public:
  static constexpr std::chrono::seconds kProgressInterval{10};

  Explorer(ExploreOptions options, std::ostream& progress, bool progress_is_terminal);

  // Runs the campaign; false (with `error`) if it could not (a job process
  // could not start or died, the output directory cannot be made).
  bool Run(CampaignSummary* summary, std::string* error);

 private:
  class Progress;

  // Runs a job's share into `partial`: the shard's cases from position
  // `first_position`, every options_.jobs-th, calling `on_begin` before and
  // `on_case` after each.
  void RunShare(uint64_t first_position, CampaignSummary* partial,
                const std::function<void(uint64_t index)>& on_begin,
                const std::function<void(uint64_t index, bool failed)>& on_case) const;
  // Whether case `index` failed.
  bool RunCase(uint64_t index, CampaignSummary* partial) const;
  bool RunJobs(CampaignSummary* summary, Progress& progress, std::string* error) const;
  void ShrinkFailures(CampaignSummary* summary) const;

  ExploreOptions options_;
  std::ostream& progress_out_;
  const bool terminal_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace p2pquic::scenarios
