#include "scenarios/explore/failure_shrinker.h"

#include <cctype>
#include <fstream>

#include "scenarios/explore/case_checker.h"
#include "scenarios/format/scenario_writer.h"

namespace p2pquic::scenarios {
namespace {

constexpr size_t kMaxSlugLength = 48;

nlohmann::json SizeJson(const ScenarioSize& size) {
  return {{"events", size.events},
          {"hosts", size.hosts},
          {"connections", size.connections},
          {"streams", size.streams},
          {"expectations", size.expectations},
          {"bytes", size.bytes},
          {"virtual_ms",
           std::chrono::duration_cast<std::chrono::milliseconds>(size.virtual_time).count()},
          {"json_bytes", size.json_bytes}};
}

}  // namespace

nlohmann::json ShrunkFailure::ToJson() const {
  return {{"before", SizeJson(before)},
          {"after", SizeJson(after)},
          {"stop", ToString(stop)},
          {"runs", runs}};
}

ShrunkFailure ShrinkFailure(const Scenario& failing, const std::string& signature,
                            PropertySet properties, const ShrinkLimits& limits) {
  ShrunkFailure shrunk;
  shrunk.before = MeasureScenario(failing);
  const ShrinkResult result = ShrinkScenario(
      failing,
      [&](const Scenario& candidate) {
        return HasSignature(CheckCase(candidate, properties).failures, signature);
      },
      limits);
  shrunk.minimal = result.minimal;
  shrunk.after = MeasureScenario(result.minimal);
  shrunk.stop = result.stop;
  shrunk.runs = result.attempts;
  return shrunk;
}

std::string ReplayCommand(const std::string& file, PropertySet properties) {
  std::string command = "p2pquic-sim replay " + file;
  if (properties != PropertySet::kNone) command += " --properties";
  if (properties == PropertySet::kWithCanary) command += " --canary";
  return command;
}

bool WriteScenarioFile(const std::string& path, const Scenario& scenario, std::string* error) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << ToJson(scenario);
  out.close();
  if (!out) {
    *error = "cannot write " + path;
    return false;
  }
  return true;
}

std::string SignatureSlug(const std::string& signature) {
  std::string slug;
  for (char c : signature) {
    const auto u = static_cast<unsigned char>(c);
    const char out = std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '-';
    if (out == '-' && (slug.empty() || slug.back() == '-')) continue;
    slug += out;
    if (slug.size() == kMaxSlugLength) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "failure" : slug;
}

}  // namespace p2pquic::scenarios
