// CampaignPlan: which cases a campaign runs, and which of them a shard and
// a job run. Case `i` (0, 1, 2, ...) of a campaign with base seed S is
// generated from CaseSeed(S, i); shard I of K runs the indices i with
// i % K == I, and job j of J within a shard takes every J-th of those. So
// the K shards of an N-case campaign run exactly the N cases one unsharded
// run would, on K machines, and --jobs only changes who runs them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace p2pquic::scenarios {

// SplitMix64 of the base seed and the index: independent-looking seeds
// for neighbouring indices, the same on every machine.
uint64_t CaseSeed(uint64_t base_seed, uint64_t index);

struct ShardSpec {
  uint64_t index = 0;
  uint64_t count = 1;  // >= 1, index < count.

  // "I/K" with 0 <= I < K; nullopt (and `error`) for anything else.
  static std::optional<ShardSpec> Parse(const std::string& text, std::string* error);
  std::string ToString() const;
  // How many of the campaign's first `cases` indices belong to this shard.
  uint64_t CasesOf(uint64_t cases) const;
  // The shard's `position`-th index (0-based).
  uint64_t IndexAt(uint64_t position) const { return index + position * count; }
};

}  // namespace p2pquic::scenarios
