#include "bench/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace p2pquic::bench {

std::string SelfPath() {
  char path[4096];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : "";
}

std::string SelfDir() {
  const std::string self = SelfPath();
  const size_t slash = self.rfind('/');
  return slash == std::string::npos ? "." : self.substr(0, slash);
}

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr size_t kReadChunk = 64 << 10;
// How often Wait looks at the child while it runs (only the helpers' exits
// are waited for this way; timed commands end on end of output instead).
constexpr auto kWaitPollInterval = milliseconds(2);
// A child gets this long to exit after SIGTERM before SIGKILL.
constexpr auto kTerminateGrace = milliseconds(3000);

int RemainingMs(steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

void CloseFd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

}  // namespace

std::unique_ptr<Subprocess> Subprocess::Spawn(const std::vector<std::string>& argv,
                                              const Options& options, std::string* error) {
  // Close-on-exec, so no other child inherits them and EOF arrives when
  // this child exits; dup2 onto 0/1/2 clears the flag for this child only.
  int out[2] = {-1, -1};
  int in[2] = {-1, -1};
  if (pipe2(out, O_CLOEXEC) != 0 || (options.pipe_stdin && pipe2(in, O_CLOEXEC) != 0)) {
    *error = std::string("pipe: ") + std::strerror(errno);
    CloseFd(&out[0]);
    CloseFd(&out[1]);
    return nullptr;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (options.output_path.empty()) {
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, options.output_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  if (options.merge_stderr)
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  if (options.pipe_stdin) {
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rv = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  CloseFd(&out[1]);
  CloseFd(&in[0]);
  if (rv != 0) {
    *error = "cannot start " + argv[0] + ": " + std::strerror(rv);
    CloseFd(&out[0]);
    CloseFd(&in[1]);
    return nullptr;
  }
  // Our end of stdin must not block us if the child stops reading.
  if (in[1] >= 0) fcntl(in[1], F_SETFL, O_NONBLOCK);
  return std::unique_ptr<Subprocess>(new Subprocess(pid, out[0], in[1]));
}

Subprocess::Subprocess(pid_t pid, int stdout_fd, int stdin_fd)
    : pid_(pid), stdout_fd_(stdout_fd), stdin_fd_(stdin_fd) {}

Subprocess::~Subprocess() {
  CloseStdin();
  if (!Wait(milliseconds(0)).has_value()) {
    Signal(SIGTERM);
    if (!Wait(kTerminateGrace).has_value()) {
      Signal(SIGKILL);
      Wait(kTerminateGrace);
    }
  }
  CloseFd(&stdout_fd_);
}

bool Subprocess::Fill(milliseconds timeout) {
  if (eof_) return false;
  pollfd pfd{stdout_fd_, POLLIN, 0};
  const int ready = poll(&pfd, 1, static_cast<int>(timeout.count()));
  if (ready <= 0) return true;  // Timeout (or EINTR): nothing yet, not the end.
  char chunk[kReadChunk];
  const ssize_t n = read(stdout_fd_, chunk, sizeof(chunk));
  if (n > 0) {
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  eof_ = true;
  return false;
}

bool Subprocess::TakeLine(std::string* line) {
  const size_t newline = buffer_.find('\n');
  if (newline == std::string::npos) return false;
  line->assign(buffer_, 0, newline);
  buffer_.erase(0, newline + 1);
  return true;
}

bool Subprocess::ReadLine(std::string* line, milliseconds timeout) {
  const auto deadline = steady_clock::now() + timeout;
  while (true) {
    if (TakeLine(line)) return true;
    const int left = RemainingMs(deadline);
    if (!Fill(milliseconds(left))) return TakeLine(line);
    if (left == 0 && buffer_.find('\n') == std::string::npos) return false;
  }
}

bool Subprocess::ReadAll(std::string* out, milliseconds timeout) {
  const auto deadline = steady_clock::now() + timeout;
  while (Fill(milliseconds(RemainingMs(deadline)))) {
    if (RemainingMs(deadline) == 0) {
      *out = buffer_;
      return false;
    }
  }
  *out = std::move(buffer_);
  buffer_.clear();
  return true;
}

bool Subprocess::WriteLine(const std::string& line) {
  if (stdin_fd_ < 0) return false;
  const std::string text = line + "\n";
  return write(stdin_fd_, text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

void Subprocess::CloseStdin() { CloseFd(&stdin_fd_); }

void Subprocess::Signal(int signal) {
  if (!status_.has_value()) kill(pid_, signal);
}

std::optional<int> Subprocess::Wait(milliseconds timeout) {
  const auto deadline = steady_clock::now() + timeout;
  while (!status_.has_value()) {
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_ || (done < 0 && errno != EINTR)) {
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
      break;
    }
    if (steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(kWaitPollInterval);
  }
  return status_;
}

CommandResult RunCommand(const std::vector<std::string>& argv, milliseconds timeout) {
  CommandResult result;
  std::string error;
  const auto start = steady_clock::now();
  Subprocess::Options options;
  options.merge_stderr = true;
  std::unique_ptr<Subprocess> child = Subprocess::Spawn(argv, options, &error);
  if (child == nullptr) {
    result.output = error;
    return result;
  }
  result.started = true;
  // End of output is the child's exit (it holds the only write end), so the
  // elapsed time does not depend on Wait's polling.
  result.timed_out = !child->ReadAll(&result.output, timeout);
  result.elapsed = steady_clock::now() - start;
  if (result.timed_out) return result;  // The destructor terminates it.
  result.exit_status = child->Wait(kTerminateGrace).value_or(-1);
  return result;
}

}  // namespace p2pquic::bench
