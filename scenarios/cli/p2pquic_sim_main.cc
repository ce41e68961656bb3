// p2pquic-sim: replays scenario files in the deterministic simulator, and
// explores generated ones.
//   p2pquic-sim replay FILE [--seed N] [--trace F] [--qlog DIR] [--pcap F]
//                           [--keylog F] [--frames] [--metrics] [--json]
//                           [--properties [--canary]]
//   p2pquic-sim check-determinism FILE [--seed N]
//   p2pquic-sim list [--dir DIR]
//   p2pquic-sim explore [--cases N | --time BUDGET] [--seed S] [--jobs J]
//                       [--shard I/K] [--out DIR] [--json] [--canary]
//   p2pquic-sim shrink FILE [--out F] [--properties [--canary]]
//   p2pquic-sim campaign merge [--json] SUMMARY...
// Exit codes: 0 every expectation held (deterministic, no failure found);
// 1 a run failed (two runs differed, a campaign found failures); 2 bad
// input (unreadable or invalid file, bad option, a host that cannot be
// built, a file to shrink that passes).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "scenarios/cli/determinism_check.h"
#include "scenarios/explore/campaign_summary.h"
#include "scenarios/explore/case_checker.h"
#include "scenarios/explore/explorer.h"
#include "scenarios/explore/failure_shrinker.h"
#include "scenarios/explore/scenario_features.h"
#include "scenarios/explore/scenario_generator.h"
#include "scenarios/format/scenario_library.h"
#include "scenarios/format/scenario_parser.h"
#include "scenarios/runner/scenario_runner.h"
#include "sim/pcap_writer.h"

namespace {

namespace fs = std::filesystem;
using namespace p2pquic::scenarios;

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitBadInput = 2;

// `bazel run` starts us in the runfiles tree; a user's relative path means
// their own working directory.
std::string UserPath(const std::string& path) {
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (path.empty() || fs::path(path).is_absolute() || cwd == nullptr) return path;
  return (fs::path(cwd) / path).string();
}

bool Load(const std::string& file, Scenario* scenario) {
  ParseError error;
  if (LoadScenarioFile(UserPath(file), scenario, &error) != ParseStatus::kOk) {
    std::cerr << "p2pquic-sim: " << file << ": " << error.json_path << ": " << error.reason << "\n";
    return false;
  }
  return true;
}

struct ReplayArgs {
  std::string file;
  std::optional<uint64_t> seed;
  std::string trace, qlog, pcap, keylog;
  bool frames = false;
  bool metrics = false;
  bool json = false;
  bool properties = false;
  bool canary = false;
};

PropertySet PropertiesOf(bool properties, bool canary) {
  if (canary) return PropertySet::kWithCanary;
  return properties ? PropertySet::kExploration : PropertySet::kNone;
}

// A replay under the explorer's properties: the run, then every failure
// with its signature.
int ReplayWithProperties(const ReplayArgs& args, const Scenario& scenario,
                         const RunOptions& options) {
  const CaseVerdict verdict =
      CheckCase(scenario, PropertiesOf(args.properties, args.canary), options);
  if (verdict.status != RunStatus::kCompleted) {
    std::cerr << "p2pquic-sim: " << args.file << ": " << ToString(verdict.status) << ": "
              << verdict.error << "\n";
    return kExitBadInput;
  }
  std::cout << (args.json ? FormatJson(verdict.report) : FormatSummary(verdict.report));
  if (args.metrics && !args.json) std::cout << verdict.report.metrics_text;
  std::cout << "properties: " << verdict.failures.size() << " failure(s)\n";
  for (const CaseFailure& f : verdict.failures) {
    std::cout << "  [" << f.signature << "] " << f.detail << "\n";
  }
  return verdict.failed() ? kExitFail : kExitPass;
}

int Replay(const ReplayArgs& args) {
  Scenario scenario;
  if (!Load(args.file, &scenario)) return kExitBadInput;
  RunOptions options;
  options.seed = args.seed;
  options.metrics = args.metrics;
  if (args.frames) options.frames = FrameRecording::kAlways;
  std::ofstream trace, pcap, keylog;
  auto open = [](const std::string& path, std::ofstream* out, const char* what) {
    out->open(UserPath(path), std::ios::binary | std::ios::trunc);
    if (!*out) std::cerr << "p2pquic-sim: cannot write " << what << " file " << path << "\n";
    return static_cast<bool>(*out);
  };
  if (!args.trace.empty()) {
    if (!open(args.trace, &trace, "trace")) return kExitBadInput;
    options.trace = &trace;
  }
  if (!args.keylog.empty()) {
    if (!open(args.keylog, &keylog, "key log")) return kExitBadInput;
    options.keylog = &keylog;
  }
  if (!args.qlog.empty()) {
    std::error_code ec;
    fs::create_directories(UserPath(args.qlog), ec);
    if (ec) {
      std::cerr << "p2pquic-sim: cannot create qlog directory " << args.qlog << ": " << ec.message()
                << "\n";
      return kExitBadInput;
    }
    options.qlog_dir = UserPath(args.qlog);
  }
  std::unique_ptr<p2pquic::sim::PcapWriter> pcap_writer;
  if (!args.pcap.empty()) {
    if (!open(args.pcap, &pcap, "pcap")) return kExitBadInput;
    pcap_writer = std::make_unique<p2pquic::sim::PcapWriter>(pcap, kRunStart);
    options.wire = pcap_writer.get();
  }
  if (args.properties || args.canary) return ReplayWithProperties(args, scenario, options);
  RunReport report;
  std::string error;
  const RunStatus status = RunScenario(scenario, options, &report, &error);
  if (status != RunStatus::kCompleted) {
    std::cerr << "p2pquic-sim: " << args.file << ": " << ToString(status) << ": " << error << "\n";
    return kExitBadInput;
  }
  std::cout << (args.json ? FormatJson(report) : FormatSummary(report));
  if (args.metrics && !args.json) std::cout << report.metrics_text;
  return report.passed ? kExitPass : kExitFail;
}

int CheckDeterminism(const std::string& file, std::optional<uint64_t> seed) {
  Scenario scenario;
  if (!Load(file, &scenario)) return kExitBadInput;
  DeterminismResult result;
  std::string error;
  if (!CheckDeterminismInSubprocesses(UserPath(file), seed, &result, &error)) {
    std::cerr << "p2pquic-sim: " << file << ": " << error << "\n";
    return kExitBadInput;
  }
  std::cout << (result.same ? "DETERMINISTIC " : "DIFFERENT ") << scenario.name << ": digest "
            << result.first << " / " << result.second << "\n";
  return result.same ? kExitPass : kExitFail;
}

int List(const std::string& dir) {
  std::vector<LibraryEntry> entries;
  std::string error;
  if (!ListLibrary(dir.empty() ? DefaultLibraryDir() : UserPath(dir), &entries, &error)) {
    std::cerr << "p2pquic-sim: " << error << "\n";
    return kExitBadInput;
  }
  for (const LibraryEntry& entry : entries) {
    std::cout << entry.name << "  " << entry.description << "\n";
  }
  return kExitPass;
}

struct ExploreArgs {
  std::optional<uint64_t> cases;
  std::string time;
  std::optional<uint64_t> seed;
  uint64_t jobs = 1;
  std::string shard = "0/1";
  std::string out = "explore-out";
  bool json = false;
  bool canary = false;
  uint64_t determinism_every = ExploreOptions::kDefaultDeterminismEvery;
  size_t shrink_attempts = ShrinkLimits{}.max_attempts;
  double shrink_seconds = ShrinkLimits{}.max_wall.count();
};

// "90", "90s", "15m", "2h": seconds; nullopt for anything else.
std::optional<double> ParseBudget(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double scale = 1;
  std::string digits = text;
  switch (text.back()) {
    case 's':
      digits.pop_back();
      break;
    case 'm':
      scale = 60;
      digits.pop_back();
      break;
    case 'h':
      scale = 3600;
      digits.pop_back();
      break;
    default:
      break;
  }
  char* end = nullptr;
  const double value = std::strtod(digits.c_str(), &end);
  if (digits.empty() || end != digits.c_str() + digits.size() || !(value > 0) ||
      value * scale < 1 || value * scale > 7 * 24 * 3600) {
    return std::nullopt;
  }
  return value * scale;
}

int Explore(const ExploreArgs& args) {
  ExploreOptions options;
  if (args.cases && !args.time.empty()) {
    std::cerr << "p2pquic-sim explore: give --cases or --time, not both\n";
    return kExitBadInput;
  }
  if (!args.time.empty()) {
    const std::optional<double> budget = ParseBudget(args.time);
    if (!budget) {
      std::cerr << "p2pquic-sim explore: --time " << args.time
                << ": expected a duration like 90s, 15m or 2h (1 s to a week)\n";
      return kExitBadInput;
    }
    options.time = std::chrono::duration<double>(*budget);
  } else {
    options.cases = args.cases.value_or(ExploreOptions::kDefaultCases);
    if (*options.cases == 0) {
      std::cerr << "p2pquic-sim explore: --cases 0: nothing to run (give at least 1)\n";
      return kExitBadInput;
    }
  }
  if (args.jobs == 0 || args.jobs > ExploreOptions::kMaxJobs) {
    std::cerr << "p2pquic-sim explore: --jobs " << args.jobs << ": need 1.."
              << ExploreOptions::kMaxJobs << "\n";
    return kExitBadInput;
  }
  std::string error;
  const std::optional<ShardSpec> shard = ShardSpec::Parse(args.shard, &error);
  if (!shard) {
    std::cerr << "p2pquic-sim explore: " << error << "\n";
    return kExitBadInput;
  }
  // A fresh base seed unless one is given; printed so the campaign replays.
  options.base_seed =
      args.seed ? *args.seed : (uint64_t{std::random_device{}()} << 32) ^ std::random_device{}();
  options.jobs = args.jobs;
  options.shard = *shard;
  options.out_dir = UserPath(args.out);
  options.properties = args.canary ? PropertySet::kWithCanary : PropertySet::kExploration;
  options.determinism_every = args.determinism_every;
  options.shrink.max_attempts = args.shrink_attempts;
  options.shrink.max_wall = std::chrono::duration<double>(args.shrink_seconds);
  std::cerr << "explore: base seed " << options.base_seed << ", shard " << shard->ToString() << ", "
            << options.jobs << " job(s)\n";
  CampaignSummary summary;
  Explorer explorer(options, std::cerr, isatty(STDERR_FILENO) != 0);
  if (!explorer.Run(&summary, &error)) {
    std::cerr << "p2pquic-sim explore: " << error << "\n";
    return kExitBadInput;
  }
  if (args.json) {
    std::cout << summary.ToJson(AllScenarioFeatures()).dump() << "\n";
  } else {
    std::cout << summary.FormatText(AllScenarioFeatures());
  }
  return summary.failures.empty() ? kExitPass : kExitFail;
}

struct ShrinkArgs {
  std::string file;
  std::string out;
  bool properties = false;
  bool canary = false;
  size_t attempts = ShrinkLimits{}.max_attempts;
  double seconds = ShrinkLimits{}.max_wall.count();
};

std::string SizeLine(const nlohmann::json& size) {
  return std::to_string(size["events"].get<uint64_t>()) + " events, " +
         std::to_string(size["hosts"].get<uint64_t>()) + " hosts, " +
         std::to_string(size["bytes"].get<uint64_t>()) + " bytes, " +
         std::to_string(size["virtual_ms"].get<int64_t>()) + " ms virtual, " +
         std::to_string(size["json_bytes"].get<uint64_t>()) + " bytes of JSON";
}

int Shrink(const ShrinkArgs& args) {
  Scenario scenario;
  if (!Load(args.file, &scenario)) return kExitBadInput;
  const PropertySet properties = PropertiesOf(args.properties, args.canary);
  const CaseVerdict verdict = CheckCase(scenario, properties);
  if (!verdict.failed()) {
    std::cerr << "p2pquic-sim shrink: " << args.file
              << ": the scenario passes (every expectation and oracle held"
              << (properties == PropertySet::kNone ? "" : ", every property")
              << "): nothing to shrink\n";
    return kExitBadInput;
  }
  const std::string signature = verdict.signature();
  std::cerr << "shrink: " << args.file << " fails [" << signature << "] "
            << verdict.failures.front().detail << "\n";
  ShrinkLimits limits;
  limits.max_attempts = args.attempts;
  limits.max_wall = std::chrono::duration<double>(args.seconds);
  const ShrunkFailure shrunk = ShrinkFailure(scenario, signature, properties, limits);
  fs::path out = args.out.empty() ? fs::path(UserPath(args.file)) : fs::path(UserPath(args.out));
  if (args.out.empty()) out.replace_extension(".min.json");
  std::string error;
  if (!WriteScenarioFile(out.string(), shrunk.minimal, &error)) {
    std::cerr << "p2pquic-sim shrink: " << error << "\n";
    return kExitBadInput;
  }
  const nlohmann::json sizes = shrunk.ToJson();
  std::cout << "shrunk [" << signature << "] in " << shrunk.runs << " runs ("
            << ToString(shrunk.stop) << ")\n"
            << "  before: " << SizeLine(sizes["before"]) << "\n"
            << "  after:  " << SizeLine(sizes["after"]) << "\n"
            << "  wrote " << fs::absolute(out).string() << "\n"
            << "  replay: " << ReplayCommand(fs::absolute(out).string(), properties) << "\n";
  return kExitFail;
}

// The whole of a regular file; false if `path` is not one or cannot be read.
bool ReadWholeFile(const std::string& path, std::string* text) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  text->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

int Merge(const std::vector<std::string>& files, bool json) {
  std::vector<CampaignSummary> shards;
  for (const std::string& file : files) {
    // Read whole first: nlohmann's stream parser reads the filebuf directly,
    // whose read error (a directory) throws past allow_exceptions=false; and
    // a truncated file is then "not JSON", not "cannot read".
    std::string text;
    if (!ReadWholeFile(UserPath(file), &text)) {
      std::cerr << "p2pquic-sim campaign merge: cannot read " << file << "\n";
      return kExitBadInput;
    }
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    CampaignSummary summary;
    std::string error;
    if (parsed.is_discarded()) {
      std::cerr << "p2pquic-sim campaign merge: " << file
                << ": not JSON (expected what explore --json prints)\n";
      return kExitBadInput;
    }
    if (!CampaignSummary::FromJson(parsed, &summary, &error)) {
      std::cerr << "p2pquic-sim campaign merge: " << file << ": " << error << "\n";
      return kExitBadInput;
    }
    shards.push_back(std::move(summary));
  }
  CampaignSummary merged;
  std::vector<uint64_t> missing;
  std::string error;
  if (!MergeSummaries(shards, files, &merged, &missing, &error)) {
    std::cerr << "p2pquic-sim campaign merge: " << error << "\n";
    return kExitBadInput;
  }
  for (uint64_t shard : missing) {
    std::cerr << "p2pquic-sim campaign merge: shard " << shard << " of "
              << merged.shards.front().count << " is missing: its cases are not in this report\n";
  }
  if (json) {
    nlohmann::json out = merged.ToJson(AllScenarioFeatures());
    out["missing_shards"] = missing;
    std::cout << out.dump() << "\n";
  } else {
    std::cout << merged.FormatText(AllScenarioFeatures());
  }
  if (!missing.empty()) return kExitBadInput;
  return merged.failures.empty() ? kExitPass : kExitFail;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"p2pquic-sim: replay scenario files in the deterministic simulator"};
  app.require_subcommand(1);

  ReplayArgs replay;
  CLI::App* replay_cmd = app.add_subcommand("replay", "run one scenario file and check it");
  replay_cmd->add_option("file", replay.file, "scenario file (JSON, scenarios/format/FORMAT.md)")
      ->required();
  replay_cmd->add_option("--seed", replay.seed, "override the file's seed");
  replay_cmd->add_option("--trace", replay.trace, "write the trace (JSON lines) here");
  replay_cmd->add_option("--qlog", replay.qlog, "write one qlog file per connection here");
  replay_cmd->add_option("--pcap", replay.pcap, "write every delivered datagram as pcap here");
  replay_cmd->add_option("--keylog", replay.keylog,
                         "write the TLS key log (for Wireshark to decrypt the pcap) here");
  replay_cmd->add_flag("--frames", replay.frames,
                       "read the CID frames from qlog even without a trace or frame "
                       "expectations (the cid-sequence oracle then checks every "
                       "NEW_CONNECTION_ID)");
  replay_cmd->add_flag("--metrics", replay.metrics, "print every host's metrics at the end");
  replay_cmd->add_flag("--json", replay.json, "print the summary as JSON");
  replay_cmd->add_flag("--properties", replay.properties,
                       "also check the explorer's properties (what every generated case keeps)");
  replay_cmd->add_flag("--canary", replay.canary,
                       "also check the explorer's canary (no connection migrates)");

  ExploreArgs explore;
  CLI::App* explore_cmd =
      app.add_subcommand("explore", "generate scenarios, check them, shrink what fails");
  explore_cmd->add_option("--cases", explore.cases, "cases to run (default 1000)");
  explore_cmd->add_option("--time", explore.time, "run cases for this long instead (90s, 15m, 2h)");
  explore_cmd->add_option("--seed", explore.seed, "the campaign's base seed (default: fresh)");
  explore_cmd->add_option("--jobs", explore.jobs, "run cases in this many processes");
  explore_cmd->add_option("--shard", explore.shard,
                          "run shard I of K (I/K): every K-th case, from the I-th");
  explore_cmd->add_option("--out", explore.out, "where minimal failing files go");
  explore_cmd->add_flag("--json", explore.json,
                        "print the summary as one JSON object (progress stays on stderr)");
  explore_cmd->add_flag("--canary", explore.canary,
                        "plant a known-false property (no connection migrates) to prove the "
                        "campaign finds, shrinks and reports a failure");
  explore_cmd->add_option("--determinism-every", explore.determinism_every,
                          "re-run every N-th case and compare digests (0: never)");
  explore_cmd->add_option("--shrink-attempts", explore.shrink_attempts,
                          "simulator runs a shrink may make per failure");
  explore_cmd->add_option("--shrink-time", explore.shrink_seconds,
                          "seconds a shrink may take per failure");

  ShrinkArgs shrink;
  CLI::App* shrink_cmd =
      app.add_subcommand("shrink", "minimise a failing scenario file, keeping its failure");
  shrink_cmd->add_option("file", shrink.file, "the failing scenario file")->required();
  shrink_cmd->add_option("--out", shrink.out,
                         "write the minimal file here (default FILE.min.json)");
  shrink_cmd->add_flag("--properties", shrink.properties, "judge by the explorer's properties too");
  shrink_cmd->add_flag("--canary", shrink.canary, "and by its canary");
  shrink_cmd->add_option("--max-attempts", shrink.attempts, "simulator runs the shrink may make");
  shrink_cmd->add_option("--time", shrink.seconds, "seconds the shrink may take");

  CLI::App* campaign_cmd = app.add_subcommand("campaign", "work with a campaign's shard summaries");
  campaign_cmd->require_subcommand(1);
  std::vector<std::string> merge_files;
  bool merge_json = false;
  CLI::App* merge_cmd = campaign_cmd->add_subcommand(
      "merge", "merge shard summaries (explore --json) into the campaign's report");
  merge_cmd->add_option("summaries", merge_files, "shard summary files")->required();
  merge_cmd->add_flag("--json", merge_json, "print the merged report as one JSON object");

  std::string check_file;
  std::optional<uint64_t> check_seed;
  CLI::App* check_cmd = app.add_subcommand(
      "check-determinism", "replay a scenario twice in two processes and compare digests");
  check_cmd->add_option("file", check_file, "scenario file")->required();
  check_cmd->add_option("--seed", check_seed, "override the file's seed");

  std::string list_dir;
  CLI::App* list_cmd = app.add_subcommand("list", "list the scenario library, one line each");
  list_cmd->add_option("--dir", list_dir, "a directory of scenario files instead");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitPass : kExitBadInput;
  }
  if (*replay_cmd) return Replay(replay);
  if (*check_cmd) return CheckDeterminism(check_file, check_seed);
  if (*list_cmd) return List(list_dir);
  if (*explore_cmd) return Explore(explore);
  if (*shrink_cmd) return Shrink(shrink);
  if (*merge_cmd) return Merge(merge_files, merge_json);
  return kExitBadInput;
}
