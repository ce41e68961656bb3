#include "scenarios/explore/failure_shrinker.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstring>
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

std::string CrashSignatureInChild(const Scenario& scenario, PropertySet properties) {
  const pid_t pid = fork();
  if (pid < 0) return "";
  if (pid == 0) {
    (void)CheckCase(scenario, properties);
    _exit(0);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return "";
  if (WIFSIGNALED(status))
    return std::string(kCrashPrefix) + WithoutNumbers(strsignal(WTERMSIG(status)));
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
    return std::string(kCrashPrefix) + "exit " + std::to_string(WEXITSTATUS(status));
  }
  return "";
}

ShrunkFailure ShrinkFailure(const Scenario& failing, const std::string& signature,
                            PropertySet properties, const ShrinkLimits& limits) {
  ShrunkFailure shrunk;
  shrunk.before = MeasureScenario(failing);
  // A crash kills the process that runs the case: each candidate runs in
  // a child of its own.
  const bool crash = signature.rfind(kCrashPrefix, 0) == 0;
  const ShrinkResult result = ShrinkScenario(
      failing,
      [&](const Scenario& candidate) {
        if (crash) return CrashSignatureInChild(candidate, properties) == signature;
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
