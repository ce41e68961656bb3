// p2pquic-sim: replays scenario files in the deterministic simulator.
//   p2pquic-sim replay FILE [--seed N] [--trace F] [--qlog DIR] [--pcap F]
//                           [--keylog F] [--frames] [--metrics] [--json]
//   p2pquic-sim check-determinism FILE [--seed N]
//   p2pquic-sim list [--dir DIR]
// Exit codes: 0 every expectation held (or deterministic); 1 a run failed
// (or two runs differed); 2 bad input (unreadable or invalid file, bad
// option, a host that cannot be built).
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "scenarios/cli/determinism_check.h"
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
};

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
  return kExitBadInput;
}
