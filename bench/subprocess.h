// Subprocess: a child process for the transport bench (the js peer, the
// ngtcp2 example binaries, and this binary in a helper role), with its
// stdout (and optionally stderr) on a pipe and optionally its stdin on one.
//
// Reads never block without a bound: every wait takes a timeout, so a hung
// child cannot hang the bench. The destructor terminates a child that is
// still running (SIGTERM, then SIGKILL) and reaps it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace p2pquic::bench {

// This binary's path (/proc/self/exe), "" when unreadable; and its
// directory ("." when unreadable), where its .runfiles tree is.
std::string SelfPath();
std::string SelfDir();

class Subprocess {
 public:
  struct Options {
    bool pipe_stdin = false;
    // Merge stderr into the stdout pipe (to show a failing tool's message);
    // otherwise stderr is inherited.
    bool merge_stderr = false;
    // Send stdout (and merged stderr) to this file instead of the pipe, for
    // a long-running child whose output nobody reads (a full pipe would
    // stall it).
    std::string output_path;
  };

  // Starts argv[0] (a path; no PATH search). On failure returns null and
  // sets `*error`.
  static std::unique_ptr<Subprocess> Spawn(const std::vector<std::string>& argv,
                                           const Options& options, std::string* error);
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }

  // Waits up to `timeout` for one line of stdout (without its newline).
  // False on timeout or end of output.
  bool ReadLine(std::string* line, std::chrono::milliseconds timeout);
  // A line if one is complete now; never waits.
  bool TryReadLine(std::string* line) { return ReadLine(line, std::chrono::milliseconds(0)); }
  // Everything up to end of output; false if `timeout` passes first.
  bool ReadAll(std::string* out, std::chrono::milliseconds timeout);
  // The child closed its stdout (usually: it exited).
  bool output_ended() const { return eof_; }

  bool WriteLine(const std::string& line);
  void CloseStdin();
  void Signal(int signal);
  // The exit status once the child has exited within `timeout`; nullopt if
  // it has not (it keeps running), -signal if a signal killed it.
  std::optional<int> Wait(std::chrono::milliseconds timeout);

 private:
  Subprocess(pid_t pid, int stdout_fd, int stdin_fd);
  // Appends what arrives within `timeout` to buffer_; false at end of output.
  bool Fill(std::chrono::milliseconds timeout);
  bool TakeLine(std::string* line);

  pid_t pid_;
  int stdout_fd_;
  int stdin_fd_;
  std::string buffer_;
  bool eof_ = false;
  std::optional<int> status_;
};

// Runs a command to completion, capturing stdout and stderr together.
struct CommandResult {
  bool started = false;
  bool timed_out = false;
  int exit_status = -1;
  std::string output;
  std::chrono::steady_clock::duration elapsed{};  // Spawn to end of output.
};
CommandResult RunCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

}  // namespace p2pquic::bench
