#include "scenarios/explore/campaign_summary.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace p2pquic::scenarios {
namespace {

constexpr int kSummaryVersion = 1;

template <typename T>
bool Field(const nlohmann::json& json, const char* name, T* out, std::string* error) {
  const auto it = json.find(name);
  if (it == json.end()) {
    *error = std::string(name) + ": missing";
    return false;
  }
  try {
    *out = it->get<T>();
  } catch (const nlohmann::json::exception&) {
    *error = std::string(name) + ": wrong type";
    return false;
  }
  return true;
}

}  // namespace

void CampaignSummary::AddFailure(const FailureReport& failure) {
  for (FailureReport& known : failures) {
    if (known.signature != failure.signature) continue;
    known.count += failure.count;
    if (failure.first_index < known.first_index) {
      const uint64_t count = known.count;
      known = failure;
      known.count = count;
    }
    return;
  }
  failures.push_back(failure);
  std::sort(failures.begin(), failures.end(), [](const FailureReport& a, const FailureReport& b) {
    return a.first_index < b.first_index;
  });
}

nlohmann::json CampaignSummary::ToJson(const std::vector<std::string>& all_features) const {
  nlohmann::json json;
  json["version"] = kSummaryVersion;
  json["base_seed"] = base_seed;
  json["shards"] = nlohmann::json::array();
  for (const ShardSpec& shard : shards) json["shards"].push_back(shard.ToString());
  json["cases_requested"] = cases_requested;
  json["cases"] = cases_run;
  json["properties"] = properties;
  json["jobs"] = jobs;
  json["wall_seconds"] = wall_seconds;
  json["cases_per_second"] = wall_seconds > 0 ? static_cast<double>(cases_run) / wall_seconds : 0;
  json["determinism"] = {{"rechecked", determinism_rechecks},
                         {"mismatches", determinism_mismatches}};
  json["known_crashes"] = known_crashes;
  json["failures"] = nlohmann::json::array();
  for (const FailureReport& f : failures) {
    json["failures"].push_back({{"signature", f.signature},
                                {"detail", f.detail},
                                {"count", f.count},
                                {"first_index", f.first_index},
                                {"first_seed", f.first_seed},
                                {"file", f.file},
                                {"replay", f.replay},
                                {"shrink", f.shrink}});
  }
  json["coverage"] = coverage.ToJson();
  json["not_reached"] = coverage.NotReached(all_features);
  return json;
}

bool CampaignSummary::FromJson(const nlohmann::json& json, CampaignSummary* out,
                               std::string* error) {
  if (!json.is_object()) {
    *error = "not a JSON object";
    return false;
  }
  int version = 0;
  if (!Field(json, "version", &version, error)) return false;
  if (version != kSummaryVersion) {
    *error =
        "version: " + std::to_string(version) + ", expected " + std::to_string(kSummaryVersion);
    return false;
  }
  std::vector<std::string> shards;
  nlohmann::json determinism, failures;
  if (!Field(json, "base_seed", &out->base_seed, error) || !Field(json, "shards", &shards, error) ||
      !Field(json, "cases_requested", &out->cases_requested, error) ||
      !Field(json, "cases", &out->cases_run, error) ||
      !Field(json, "properties", &out->properties, error) ||
      !Field(json, "jobs", &out->jobs, error) ||
      !Field(json, "wall_seconds", &out->wall_seconds, error) ||
      !Field(json, "determinism", &determinism, error) ||
      !Field(json, "failures", &failures, error)) {
    return false;
  }
  for (const std::string& text : shards) {
    const std::optional<ShardSpec> shard = ShardSpec::Parse(text, error);
    if (!shard) {
      *error = "shards: " + *error;
      return false;
    }
    out->shards.push_back(*shard);
  }
  if (!Field(determinism, "rechecked", &out->determinism_rechecks, error) ||
      !Field(determinism, "mismatches", &out->determinism_mismatches, error)) {
    *error = "determinism." + *error;
    return false;
  }
  out->known_crashes = json.value("known_crashes", uint64_t{0});
  if (!failures.is_array()) {
    *error = "failures: not an array";
    return false;
  }
  for (size_t i = 0; i < failures.size(); ++i) {
    FailureReport f;
    const nlohmann::json& j = failures[i];
    if (!Field(j, "signature", &f.signature, error) || !Field(j, "detail", &f.detail, error) ||
        !Field(j, "count", &f.count, error) || !Field(j, "first_index", &f.first_index, error) ||
        !Field(j, "first_seed", &f.first_seed, error) || !Field(j, "file", &f.file, error) ||
        !Field(j, "replay", &f.replay, error)) {
      *error = "failures[" + std::to_string(i) + "]." + *error;
      return false;
    }
    if (j.contains("shrink")) f.shrink = j["shrink"];
    out->failures.push_back(std::move(f));
  }
  const auto coverage = json.find("coverage");
  if (coverage == json.end()) {
    *error = "coverage: missing";
    return false;
  }
  return ExplorationCoverage::FromJson(*coverage, &out->coverage, error);
}

std::string CampaignSummary::FormatText(const std::vector<std::string>& all_features) const {
  std::ostringstream out;
  out << (failures.empty() ? "PASS" : "FAIL") << " explore: " << cases_run << " cases";
  if (cases_requested != 0) out << " of " << cases_requested;
  out << ", base seed " << base_seed << ", shard";
  for (const ShardSpec& shard : shards) out << " " << shard.ToString();
  out << ", " << jobs << " job(s), " << properties << " properties\n";
  out.precision(1);
  out << std::fixed << "  " << wall_seconds << " s wall, "
      << (wall_seconds > 0 ? static_cast<double>(cases_run) / wall_seconds : 0) << " cases/s\n";
  out << "  determinism: " << determinism_rechecks << " re-run(s), " << determinism_mismatches
      << " mismatch(es)\n";
  if (known_crashes != 0) {
    out << "  known crashes (scenarios/explore/KNOWN.md): " << known_crashes << " case(s)\n";
  }
  out << "  failures: " << failures.size() << " signature(s)\n";
  for (const FailureReport& f : failures) {
    out << "  [" << f.signature << "] " << f.count << " case(s), first #" << f.first_index
        << " (seed " << f.first_seed << "): " << f.detail << "\n";
    if (!f.file.empty()) out << "    minimal file: " << f.file << "\n";
    if (!f.replay.empty()) out << "    replay: " << f.replay << "\n";
  }
  const auto missing = coverage.NotReached(all_features);
  if (missing.empty()) {
    out << "  coverage: every routing outcome, oracle check, frame kind, datagram fate, connection "
           "end and feature reached\n";
  }
  for (const auto& [section, names] : missing) {
    out << "  not reached (" << section << "):";
    for (const std::string& name : names) out << " " << name;
    out << "\n";
  }
  return out.str();
}

bool MergeSummaries(const std::vector<CampaignSummary>& shards,
                    const std::vector<std::string>& names, CampaignSummary* merged,
                    std::vector<uint64_t>* missing, std::string* error) {
  if (shards.empty()) {
    *error = "no shard summaries";
    return false;
  }
  const CampaignSummary& first = shards.front();
  *merged = CampaignSummary{};
  merged->base_seed = first.base_seed;
  merged->cases_requested = first.cases_requested;
  merged->properties = first.properties;
  merged->jobs = 0;
  std::set<uint64_t> seen;
  uint64_t count = 0;
  for (size_t i = 0; i < shards.size(); ++i) {
    const CampaignSummary& s = shards[i];
    const std::string which = i < names.size() ? names[i] : "summary " + std::to_string(i + 1);
    const char* differs = s.base_seed != first.base_seed               ? "base_seed"
                          : s.cases_requested != first.cases_requested ? "cases_requested"
                          : s.properties != first.properties           ? "properties"
                                                                       : nullptr;
    if (differs != nullptr) {
      *error = which + " is of another campaign: its " + differs + " differs from " +
               (names.empty() ? "the first summary's" : names.front() + "'s");
      return false;
    }
    for (const ShardSpec& shard : s.shards) {
      if (count == 0) count = shard.count;
      if (shard.count != count) {
        *error = which + ": shard " + shard.ToString() + " is of a " + std::to_string(shard.count) +
                 "-shard campaign, the first was of " + std::to_string(count);
        return false;
      }
      if (!seen.insert(shard.index).second) {
        *error = which + ": shard " + shard.ToString() + " appears twice";
        return false;
      }
      merged->shards.push_back(shard);
    }
    merged->cases_run += s.cases_run;
    merged->jobs += s.jobs;
    merged->wall_seconds = std::max(merged->wall_seconds, s.wall_seconds);
    merged->determinism_rechecks += s.determinism_rechecks;
    merged->determinism_mismatches += s.determinism_mismatches;
    merged->known_crashes += s.known_crashes;
    for (const FailureReport& f : s.failures) merged->AddFailure(f);
    merged->coverage.Merge(s.coverage);
  }
  std::sort(merged->shards.begin(), merged->shards.end(),
            [](const ShardSpec& a, const ShardSpec& b) { return a.index < b.index; });
  for (uint64_t i = 0; i < count; ++i) {
    if (!seen.count(i)) missing->push_back(i);
  }
  return true;
}

}  // namespace p2pquic::scenarios
