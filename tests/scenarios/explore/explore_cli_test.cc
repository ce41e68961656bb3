// p2pquic-sim explore | shrink | campaign merge | replay --properties, run
// as a user runs them: the real binary in a child process, its exit code,
// stdout and stderr. The campaign's invariants are checked from outside:
// --json prints exactly one summary object and keeps progress on stderr;
// K shards run exactly the cases one unsharded run does (their coverage
// adds up to it, for any base seed) and `campaign merge` says so; --jobs
// only changes who runs the cases; the canary is found, shrunk to a
// minimal file and replayed; `shrink` minimises a hand-written failure;
// merge refuses summaries that are not one campaign's; bad options exit 2.
//
// Usage: explore_cli_test PATH_TO_p2pquic-sim (Bazel passes it).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "scenarios/format/scenario.h"
#include "scenarios/format/scenario_parser.h"

extern char** environ;

namespace p2pquic::scenarios {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string g_sim;  // Absolute path of p2pquic-sim, from argv.

// One command's limit. The slowest (the canary campaign with its shrink)
// takes ~2 s plain and ~4 s under ASan; the whole test ~8 s and ~37 s.
constexpr auto kCommandTimeout = std::chrono::seconds(240);
constexpr auto kPollInterval = std::chrono::milliseconds(10);
// What a failure message quotes of a command's output.
constexpr size_t kQuotedOutput = 4000;

// Small enough for ASan; large enough that every shard of 3 and every job
// of 2 runs cases and the coverage sections fill.
constexpr uint64_t kCases = 24;
// Any seed: shard and job equivalence hold for every base seed.
constexpr uint64_t kSeed = 1;
// A canary campaign whose case 0 already migrates (found by running seeds
// 1..7: each finds the canary within 40 cases, this one at case 0).
constexpr uint64_t kCanaryCases = 40;
constexpr uint64_t kCanarySeed = 3;
constexpr uint64_t kShardCount = 3;

constexpr char kMigrationFile[] = "scenarios/library/migration.json";
constexpr char kCleanTransferFile[] = "scenarios/library/clean-transfer.json";

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitBadInput = 2;

const char* const kCoverageSections[] = {"routing",        "oracle_checks",   "frames",
                                         "datagram_fates", "connection_ends", "stream_results",
                                         "features"};

struct Command {
  std::vector<std::string> args;  // Without the binary.
  int exit_code = -1;             // 128 + signal if killed; -1 if it never ran or timed out.
  std::string out;
  std::string err;
  std::string failure;  // Why it did not run to an exit, if it did not.

  // The command and what it printed, for a failure message.
  std::string Describe() const {
    std::ostringstream text;
    text << "\n$ p2pquic-sim";
    for (const std::string& arg : args) text << " " << arg;
    text << "\nexit " << exit_code;
    if (!failure.empty()) text << " (" << failure << ")";
    text << "\n--- stderr ---\n" << err.substr(0, kQuotedOutput);
    text << "\n--- stdout ---\n" << out.substr(0, kQuotedOutput) << "\n";
    return text.str();
  }
};

std::string ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteWhole(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

// A fresh directory for the running test under TEST_TMPDIR.
fs::path TestDir() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path dir =
      fs::path(::testing::TempDir()) / (std::string(info->test_suite_name()) + "." + info->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Runs p2pquic-sim with `args` in its own process group, stdout and stderr
// to files; kills the group if it outlives kCommandTimeout.
Command Sim(std::vector<std::string> args) {
  static int serial = 0;
  Command command;
  command.args = std::move(args);
  const fs::path base = fs::path(::testing::TempDir()) / ("command-" + std::to_string(++serial));
  const std::string out_path = base.string() + ".out";
  const std::string err_path = base.string() + ".err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own group: --jobs forks workers, and a timeout must stop them too.
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  std::vector<std::string> argv_strings{g_sim};
  argv_strings.insert(argv_strings.end(), command.args.begin(), command.args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, g_sim.c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    command.failure = std::string("cannot start ") + g_sim + ": " + std::strerror(spawned);
    return command;
  }
  const auto deadline = std::chrono::steady_clock::now() + kCommandTimeout;
  int status = 0;
  while (true) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      command.failure = std::string("waitpid: ") + std::strerror(errno);
      kill(-pid, SIGKILL);
      return command;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      command.failure = "timed out after " + std::to_string(kCommandTimeout.count()) + " s";
      command.out = ReadWhole(out_path);
      command.err = ReadWhole(err_path);
      return command;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  if (WIFEXITED(status)) command.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) command.exit_code = 128 + WTERMSIG(status);
  command.out = ReadWhole(out_path);
  command.err = ReadWhole(err_path);
  return command;
}

// Stdout as exactly one JSON object (nlohmann's parse rejects anything
// after the value but whitespace); null, with a test failure, otherwise.
json SummaryOf(const Command& command) {
  json summary = json::parse(command.out, nullptr, /*allow_exceptions=*/false);
  if (summary.is_discarded() || !summary.is_object()) {
    ADD_FAILURE() << "stdout is not exactly one JSON object" << command.Describe();
    return json();
  }
  return summary;
}

// The exit code a summary's failures call for.
int ExpectedExit(const json& summary) {
  return summary.value("failures", json::array()).empty() ? kExitPass : kExitFail;
}

using Coverage = std::map<std::string, std::map<std::string, uint64_t>>;

Coverage CoverageOf(const json& summary) {
  Coverage coverage;
  if (!summary.contains("coverage")) return coverage;
  for (const auto& [section, counts] : summary["coverage"].items()) {
    for (const auto& [name, count] : counts.items())
      coverage[section][name] = count.get<uint64_t>();
  }
  return coverage;
}

// Every count of every section, summed over the summaries.
Coverage SumOf(const std::vector<json>& summaries) {
  Coverage sum;
  for (const json& summary : summaries) {
    for (const auto& [section, counts] : CoverageOf(summary)) {
      for (const auto& [name, count] : counts) sum[section][name] += count;
    }
  }
  return sum;
}

std::vector<std::string> ExploreArgs(uint64_t cases, uint64_t seed, const fs::path& out,
                                     std::vector<std::string> extra = {}) {
  std::vector<std::string> args{
      "explore",    "--cases", std::to_string(cases), "--seed", std::to_string(seed), "--out",
      out.string(), "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// The unsharded one-job campaign the shard and job tests compare with: run
// once per test process.
const Command& Unsharded() {
  static const Command command = [] {
    const fs::path dir = fs::path(::testing::TempDir()) / "unsharded";
    fs::create_directories(dir);
    return Sim(ExploreArgs(kCases, kSeed, dir / "out", {"--jobs", "1"}));
  }();
  return command;
}

// The three shards' summaries of the kCases/kSeed campaign, written to `dir`.
std::vector<fs::path> RunShards(const fs::path& dir, uint64_t seed,
                                std::vector<json>* summaries = nullptr) {
  std::vector<fs::path> files;
  for (uint64_t i = 0; i < kShardCount; ++i) {
    const std::string shard = std::to_string(i) + "/" + std::to_string(kShardCount);
    const Command command = Sim(ExploreArgs(kCases, seed, dir / "out", {"--shard", shard}));
    const json summary = SummaryOf(command);
    EXPECT_EQ(command.exit_code, ExpectedExit(summary)) << command.Describe();
    EXPECT_EQ(summary.value("shards", json()), json::array({shard})) << command.Describe();
    files.push_back(dir / ("shard-" + std::to_string(i) + ".json"));
    WriteWhole(files.back(), command.out);
    if (summaries != nullptr) summaries->push_back(summary);
  }
  return files;
}

std::vector<std::string> MergeArgs(const std::vector<fs::path>& files, bool json_output) {
  std::vector<std::string> args{"campaign", "merge"};
  if (json_output) args.push_back("--json");
  for (const fs::path& file : files) args.push_back(file.string());
  return args;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// --- explore --json ----------------------------------------------------------

TEST(ExploreCli, JsonIsOneSummaryObjectWithProgressOnStderr) {
  const Command& command = Unsharded();
  const json summary = SummaryOf(command);
  ASSERT_FALSE(summary.is_null());
  EXPECT_EQ(command.exit_code, ExpectedExit(summary)) << command.Describe();
  EXPECT_EQ(summary.value("cases", uint64_t{0}), kCases) << command.Describe();
  EXPECT_EQ(summary.value("cases_requested", uint64_t{0}), kCases) << command.Describe();
  EXPECT_EQ(summary.value("base_seed", uint64_t{0}), kSeed) << command.Describe();
  EXPECT_EQ(summary.value("shards", json()), json::array({"0/1"})) << command.Describe();
  EXPECT_EQ(summary.value("jobs", uint64_t{0}), 1u) << command.Describe();
  EXPECT_EQ(summary.value("properties", std::string()), "exploration") << command.Describe();
  EXPECT_TRUE(Contains(command.err, "explore:"))
      << "progress belongs on stderr" << command.Describe();
  EXPECT_FALSE(Contains(command.out, "explore:"))
      << "progress leaked into stdout" << command.Describe();
  const Coverage coverage = CoverageOf(summary);
  for (const char* section : kCoverageSections) {
    EXPECT_TRUE(coverage.count(section) && !coverage.at(section).empty())
        << "coverage section " << section << " missing or empty" << command.Describe();
  }
}

// --- shards and campaign merge -------------------------------------------------

TEST(ExploreCli, ShardsRunExactlyTheUnshardedCasesAndMergeBack) {
  const fs::path dir = TestDir();
  const json unsharded = SummaryOf(Unsharded());
  ASSERT_FALSE(unsharded.is_null());
  std::vector<json> summaries;
  const std::vector<fs::path> files = RunShards(dir, kSeed, &summaries);
  ASSERT_EQ(summaries.size(), kShardCount);
  uint64_t cases = 0;
  for (const json& summary : summaries) cases += summary.value("cases", uint64_t{0});
  EXPECT_EQ(cases, kCases) << "the shards' cases do not add up to the campaign's";
  EXPECT_EQ(SumOf(summaries), CoverageOf(unsharded))
      << "the shards did not run the unsharded run's cases";

  const Command merge = Sim(MergeArgs(files, /*json_output=*/true));
  const json merged = SummaryOf(merge);
  ASSERT_FALSE(merged.is_null());
  EXPECT_EQ(merge.exit_code, ExpectedExit(merged)) << merge.Describe();
  EXPECT_EQ(merged.value("cases", uint64_t{0}), kCases) << merge.Describe();
  EXPECT_EQ(merged.value("shards", json()), json::array({"0/3", "1/3", "2/3"})) << merge.Describe();
  EXPECT_EQ(merged.value("missing_shards", json()), json::array()) << merge.Describe();
  EXPECT_EQ(CoverageOf(merged), CoverageOf(unsharded)) << merge.Describe();
  EXPECT_EQ(merged.value("failures", json()).size(), unsharded.value("failures", json()).size())
      << merge.Describe();
}

TEST(ExploreCli, JobsOnlyChangeWhoRunsTheCases) {
  const fs::path dir = TestDir();
  const json one_job = SummaryOf(Unsharded());
  const Command command = Sim(ExploreArgs(kCases, kSeed, dir / "out", {"--jobs", "2"}));
  const json two_jobs = SummaryOf(command);
  ASSERT_FALSE(two_jobs.is_null());
  EXPECT_EQ(command.exit_code, ExpectedExit(two_jobs)) << command.Describe();
  EXPECT_EQ(two_jobs.value("jobs", uint64_t{0}), 2u) << command.Describe();
  EXPECT_EQ(two_jobs.value("cases", uint64_t{0}), kCases) << command.Describe();
  EXPECT_EQ(CoverageOf(two_jobs), CoverageOf(one_job)) << command.Describe();
}

// --- the canary ----------------------------------------------------------------

TEST(ExploreCli, CanaryIsFoundShrunkToMinimalFileAndReplays) {
  const fs::path dir = TestDir();
  const Command command = Sim(ExploreArgs(kCanaryCases, kCanarySeed, dir / "found", {"--canary"}));
  const json summary = SummaryOf(command);
  ASSERT_FALSE(summary.is_null());
  EXPECT_EQ(command.exit_code, kExitFail) << command.Describe();
  EXPECT_EQ(summary.value("properties", std::string()), "canary") << command.Describe();
  std::vector<json> canaries;
  for (const json& failure : summary.value("failures", json::array())) {
    if (failure.value("signature", std::string()) == "canary:migration")
      canaries.push_back(failure);
  }
  ASSERT_EQ(canaries.size(), 1u) << command.Describe();
  const json& canary = canaries.front();
  EXPECT_GE(canary.value("count", uint64_t{0}), 1u) << command.Describe();
  const fs::path file = canary.value("file", std::string());
  ASSERT_TRUE(fs::is_regular_file(file)) << "no minimal file " << file << command.Describe();
  EXPECT_EQ(file.parent_path(), dir / "found") << "not written to --out" << command.Describe();

  // Its replay command, as printed, with the binary's real path.
  std::istringstream words(canary.value("replay", std::string()));
  std::vector<std::string> replay_args;
  std::string word;
  words >> word;
  ASSERT_EQ(word, "p2pquic-sim") << command.Describe();
  while (words >> word) replay_args.push_back(word);
  ASSERT_FALSE(replay_args.empty()) << command.Describe();
  const Command replay = Sim(replay_args);
  EXPECT_EQ(replay.exit_code, kExitFail) << replay.Describe();
  EXPECT_TRUE(Contains(replay.out, "[canary:migration]")) << replay.Describe();

  // Minimal: the dialer and the listener, a dial and the migration that
  // validates a path, on perfect links. (Observed for this seed; nothing
  // smaller can migrate.)
  Scenario minimal;
  ParseError error;
  ASSERT_EQ(LoadScenarioFile(file.string(), &minimal, &error), ParseStatus::kOk)
      << file << ": " << error.json_path << ": " << error.reason;
  const std::string text = "\n" + ReadWhole(file);
  EXPECT_EQ(minimal.hosts.size(), 2u) << text;
  ASSERT_EQ(minimal.timeline.size(), 2u) << text;
  EXPECT_EQ(minimal.timeline[0].kind(), Action::kDial) << text;
  EXPECT_EQ(minimal.timeline[1].kind(), Action::kMigrate) << text;
  EXPECT_EQ(minimal.links.default_conditions.loss, 0) << text;
  EXPECT_EQ(minimal.links.default_conditions.duplicate, 0) << text;
  EXPECT_EQ(minimal.links.default_conditions.corrupt, 0) << text;
  EXPECT_TRUE(minimal.links.overrides.empty()) << text;
  EXPECT_TRUE(minimal.links.bottlenecks.empty()) << text;
  EXPECT_TRUE(minimal.expect.empty()) << text;
}

// --- shrink --------------------------------------------------------------------

TEST(ShrinkCli, PassingFileIsRefused) {
  const fs::path dir = TestDir();
  const fs::path file = dir / "migration.json";
  fs::copy_file(kMigrationFile, file);
  const Command command = Sim({"shrink", file.string()});
  EXPECT_EQ(command.exit_code, kExitBadInput) << command.Describe();
  EXPECT_TRUE(Contains(command.err, "passes")) << command.Describe();
  EXPECT_FALSE(fs::exists(dir / "migration.min.json")) << command.Describe();
}

// The library's migration with a planted expectation that cannot hold: its
// 4 MiB stream must end "unfinished", and it arrives intact.
constexpr char kPlanted[] = "stream s1 unfinished";

fs::path WritePlantedFailure(const fs::path& dir) {
  json scenario = json::parse(ReadWhole(kMigrationFile));
  scenario["expect"].push_back({{"kind", "stream"}, {"stream", "s1"}, {"outcome", "unfinished"}});
  const fs::path file = dir / "planted.json";
  WriteWhole(file, scenario.dump(2));
  return file;
}

// The number in "  LABEL N events, ..." of shrink's output; -1 if absent.
int EventsOn(const std::string& out, const std::string& label) {
  const size_t at = out.find(label);
  if (at == std::string::npos) return -1;
  return std::atoi(out.c_str() + at + label.size());
}

TEST(ShrinkCli, FailingFileShrinksToReplayableMinimalFile) {
  const fs::path dir = TestDir();
  const fs::path file = WritePlantedFailure(dir);
  Scenario original;
  ParseError error;
  ASSERT_EQ(LoadScenarioFile(file.string(), &original, &error), ParseStatus::kOk)
      << error.json_path << ": " << error.reason;

  const Command command = Sim({"shrink", file.string()});
  EXPECT_EQ(command.exit_code, kExitFail) << command.Describe();
  EXPECT_TRUE(Contains(command.err, kPlanted)) << command.Describe();
  const fs::path minimal_file = dir / "planted.min.json";
  ASSERT_TRUE(fs::is_regular_file(minimal_file)) << command.Describe();
  EXPECT_EQ(EventsOn(command.out, "before: "), static_cast<int>(original.timeline.size()))
      << command.Describe();
  const int after = EventsOn(command.out, "after:  ");
  EXPECT_GE(after, 0) << command.Describe();
  EXPECT_LT(after, static_cast<int>(original.timeline.size())) << command.Describe();
  EXPECT_TRUE(Contains(command.out, "replay: p2pquic-sim replay " + minimal_file.string()))
      << command.Describe();

  Scenario minimal;
  ASSERT_EQ(LoadScenarioFile(minimal_file.string(), &minimal, &error), ParseStatus::kOk)
      << error.json_path << ": " << error.reason;
  EXPECT_EQ(static_cast<int>(minimal.timeline.size()), after);
  const Command replay = Sim({"replay", minimal_file.string()});
  EXPECT_EQ(replay.exit_code, kExitFail) << replay.Describe();
  EXPECT_TRUE(Contains(replay.out, std::string("[FAILED] ") + kPlanted)) << replay.Describe();

  // --out: the minimal file goes there instead; the shrink is deterministic.
  const std::string minimal_text = ReadWhole(minimal_file);
  const fs::path elsewhere = dir / "elsewhere" / "minimal.json";
  fs::create_directories(elsewhere.parent_path());
  fs::remove(minimal_file);
  const Command to_out = Sim({"shrink", file.string(), "--out", elsewhere.string()});
  EXPECT_EQ(to_out.exit_code, kExitFail) << to_out.Describe();
  EXPECT_TRUE(fs::is_regular_file(elsewhere)) << to_out.Describe();
  EXPECT_FALSE(fs::exists(minimal_file)) << to_out.Describe();
  EXPECT_EQ(ReadWhole(elsewhere), minimal_text);
  EXPECT_TRUE(Contains(to_out.out, "replay: p2pquic-sim replay " + elsewhere.string()))
      << to_out.Describe();
}

// --- campaign merge refusals -----------------------------------------------------

TEST(CampaignMergeCli, RefusesAShardGivenTwice) {
  const fs::path dir = TestDir();
  const std::vector<fs::path> shards = RunShards(dir, kSeed);
  const Command command = Sim(MergeArgs({shards[0], shards[0], shards[1], shards[2]}, false));
  EXPECT_EQ(command.exit_code, kExitBadInput) << command.Describe();
  EXPECT_TRUE(Contains(command.err, "shard 0/3 appears twice")) << command.Describe();
}

TEST(CampaignMergeCli, RefusesSummariesOfAnotherBaseSeed) {
  const fs::path dir = TestDir();
  const fs::path mine = dir / "mine";
  const fs::path other = dir / "other";
  fs::create_directories(mine);
  fs::create_directories(other);
  const std::vector<fs::path> shards = RunShards(mine, kSeed);
  const std::vector<fs::path> others = RunShards(other, kSeed + 1);
  const Command command = Sim(MergeArgs({shards[0], others[1], shards[2]}, false));
  EXPECT_EQ(command.exit_code, kExitBadInput) << command.Describe();
  EXPECT_TRUE(Contains(command.err, "another campaign")) << command.Describe();
}

TEST(CampaignMergeCli, NamesAMissingShard) {
  const fs::path dir = TestDir();
  const std::vector<fs::path> shards = RunShards(dir, kSeed);
  const Command command = Sim(MergeArgs({shards[0], shards[1]}, true));
  EXPECT_EQ(command.exit_code, kExitBadInput) << command.Describe();
  EXPECT_TRUE(Contains(command.err, "shard 2 of 3 is missing")) << command.Describe();
  const json merged = SummaryOf(command);
  EXPECT_EQ(merged.value("missing_shards", json()), json::array({2})) << command.Describe();
}

TEST(CampaignMergeCli, NamesTheBadFileAndField) {
  const fs::path dir = TestDir();
  const std::vector<fs::path> shards = RunShards(dir, kSeed);
  const json good = json::parse(ReadWhole(shards[1]));

  struct Case {
    std::string name;
    std::string text;
    std::string expected;  // In stderr, after the file's name.
  };
  json no_cases = good;
  no_cases.erase("cases");
  json no_mismatches = good;
  no_mismatches["determinism"].erase("mismatches");
  json no_coverage = good;
  no_coverage.erase("coverage");
  json bad_shard = good;
  bad_shard["shards"] = {"1/x"};
  const std::string whole = good.dump();
  const std::vector<Case> cases = {
      {"not-json.json", "this is not JSON\n", "not JSON"},
      {"truncated.json", whole.substr(0, whole.size() / 2), "not JSON"},
      {"empty.json", "", "not JSON"},
      {"array.json", "[1, 2]", "not a JSON object"},
      {"no-cases.json", no_cases.dump(), "cases: missing"},
      {"no-mismatches.json", no_mismatches.dump(), "determinism.mismatches: missing"},
      {"no-coverage.json", no_coverage.dump(), "coverage: missing"},
      {"bad-shard.json", bad_shard.dump(), "shards: "},
  };
  for (const Case& c : cases) {
    const fs::path file = dir / c.name;
    WriteWhole(file, c.text);
    const Command command = Sim(MergeArgs({shards[0], file, shards[2]}, false));
    EXPECT_EQ(command.exit_code, kExitBadInput) << command.Describe();
    EXPECT_TRUE(Contains(command.err, file.string() + ": " + c.expected)) << command.Describe();
  }
  // Not a file at all.
  for (const fs::path& path : {dir / "absent.json", dir}) {
    const Command command = Sim(MergeArgs({shards[0], path, shards[2]}, false));
    EXPECT_EQ(command.exit_code, kExitBadInput) << command.Describe();
    EXPECT_TRUE(Contains(command.err, "cannot read " + path.string())) << command.Describe();
  }
}

// --- bad arguments ---------------------------------------------------------------

TEST(ExploreCli, BadArgumentsExit2NamingTheProblem) {
  const fs::path dir = TestDir();
  struct Case {
    std::vector<std::string> args;
    std::string expected;  // In stderr.
  };
  const std::vector<Case> cases = {
      {{"--shard", "3/3"}, "--shard 3/3"},
      {{"--shard", "x"}, "--shard x"},
      {{"--shard", "1/0"}, "--shard 1/0"},
      {{"--time", "bogus"}, "--time bogus"},
      {{"--time", "0s"}, "--time 0s"},
      {{"--cases", "5", "--time", "10s"}, "--cases or --time, not both"},
      {{"--jobs", "0"}, "--jobs 0"},
      {{"--cases", "x"}, "--cases"},
      {{"--cases", "0"}, "--cases 0"},
      {{"--time", "0.001s"}, "--time 0.001s"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args{"explore", "--seed", "1", "--out", (dir / "out").string()};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const Command command = Sim(args);
    EXPECT_EQ(command.exit_code, kExitBadInput) << command.Describe();
    EXPECT_TRUE(Contains(command.err, c.expected)) << command.Describe();
    EXPECT_TRUE(command.out.empty()) << command.Describe();
  }
  EXPECT_FALSE(fs::exists(dir / "out")) << "a refused campaign created its --out directory";
}

// --- replay --properties ---------------------------------------------------------

TEST(ReplayCli, PropertiesOnPassingLibraryFiles) {
  for (const char* file : {kMigrationFile, kCleanTransferFile}) {
    const Command command = Sim({"replay", file, "--properties"});
    EXPECT_EQ(command.exit_code, kExitPass) << command.Describe();
    EXPECT_TRUE(Contains(command.out, "properties: 0 failure(s)\n")) << command.Describe();
  }
}

}  // namespace
}  // namespace p2pquic::scenarios

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PATH_TO_p2pquic-sim\n", argv[0]);
    return 2;
  }
  p2pquic::scenarios::g_sim = std::filesystem::absolute(argv[1]).string();
  return RUN_ALL_TESTS();
}

namespace p2pquic::scenarios {
namespace {

// --properties runs the same replay: a trace, a pcap and a qlog asked for
// are written too (the pcap writer still sees every datagram).
TEST(ReplayCli, PropertiesKeepTraceQlogAndPcap) {
  const fs::path dir = TestDir();
  const Command command =
      Sim({"replay", kCleanTransferFile, "--properties", "--trace", (dir / "t.jsonl").string(),
           "--pcap", (dir / "run.pcap").string(), "--qlog", (dir / "qlog").string()});
  EXPECT_EQ(command.exit_code, kExitPass) << command.Describe();
  EXPECT_TRUE(Contains(command.out, "properties: 0 failure(s)\n")) << command.Describe();
  // A pcap with more than its 24-byte global header, a trace with lines,
  // a qlog per connection end.
  EXPECT_GT(fs::file_size(dir / "run.pcap"), 24u);
  EXPECT_GT(fs::file_size(dir / "t.jsonl"), 0u);
  size_t qlogs = 0;
  for (const auto& entry : fs::directory_iterator(dir / "qlog")) qlogs += entry.is_regular_file();
  EXPECT_GE(qlogs, 2u);
}

}  // namespace
}  // namespace p2pquic::scenarios
