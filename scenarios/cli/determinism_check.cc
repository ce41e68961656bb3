#include "scenarios/cli/determinism_check.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <nlohmann/json.hpp>
#include <vector>

extern char** environ;

namespace p2pquic::scenarios {
namespace {

// A replay's JSON report is a few KiB; anything far beyond is not ours.
constexpr size_t kMaxOutputBytes = 16 << 20;

// Runs `/proc/self/exe args...` and returns its standard output.
bool RunSelf(const std::vector<std::string>& args, std::string* output, std::string* error) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    *error = "pipe failed";
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::vector<std::string> storage = {"/proc/self/exe"};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid;
  const int spawned = posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    *error = "could not start a replay process";
    return false;
  }
  std::array<char, 4096> buffer;
  ssize_t n;
  while ((n = read(pipe_fds[0], buffer.data(), buffer.size())) > 0 &&
         output->size() < kMaxOutputBytes) {
    output->append(buffer.data(), static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
    *error = "the replay process failed (status " + std::to_string(status) + ")";
    return false;
  }
  return true;
}

bool DigestOf(const std::string& file, std::optional<uint64_t> seed, std::string* digest,
              std::string* error) {
  std::vector<std::string> args = {"replay", file, "--json"};
  if (seed) {
    args.push_back("--seed");
    args.push_back(std::to_string(*seed));
  }
  std::string output;
  if (!RunSelf(args, &output, error)) return false;
  const auto json = nlohmann::json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("digest") || !json["digest"].is_string()) {
    *error = "a replay printed no digest";
    return false;
  }
  *digest = json["digest"].get<std::string>();
  return true;
}

}  // namespace

bool CheckDeterminismInSubprocesses(const std::string& file, std::optional<uint64_t> seed,
                                    DeterminismResult* result, std::string* error) {
  if (!DigestOf(file, seed, &result->first, error) ||
      !DigestOf(file, seed, &result->second, error)) {
    return false;
  }
  result->same = result->first == result->second;
  return true;
}

}  // namespace p2pquic::scenarios
