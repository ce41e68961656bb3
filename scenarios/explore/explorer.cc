#include "scenarios/explore/explorer.h"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "scenarios/explore/case_checker.h"
#include "scenarios/explore/failure_shrinker.h"
#include "scenarios/explore/scenario_features.h"
#include "scenarios/explore/scenario_generator.h"
#include "scenarios/format/scenario_parser.h"
#include "scenarios/format/scenario_writer.h"

namespace p2pquic::scenarios {
namespace {

using Clock = std::chrono::steady_clock;

// A job's lines: one per case ("c 0" passed, "c 1" failed), then its
// partial summary ("s {json}").
constexpr char kCaseLine = 'c';
constexpr char kSummaryLine = 's';
constexpr size_t kReadChunk = 1 << 16;
constexpr int kPollMillis = 200;

std::string Hex(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

void WriteAll(int fd, const std::string& text) {
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // The parent is gone: nothing to report to.
    written += static_cast<size_t>(n);
  }
}

// Crashes documented in scenarios/explore/KNOWN.md: a library aborting the
// process for a reason it fixed upstream. Counted, not reported as
// failures; kept in tests/scenarios/known/ with a test that they still
// happen.
constexpr std::array<std::string_view, 1> kKnownCrashes = {
    // ngtcp2 0.12.1 retires a DCID sequence it already tracks (rebinding,
    // then repeated migrations); fixed upstream in 354042ec (v1.4.0).
    "ngtcp2_conn_track_retired_dcid_seq: Unreachable",
};

bool KnownCrash(const std::string& last_words) {
  return std::any_of(kKnownCrashes.begin(), kKnownCrashes.end(), [&](std::string_view known) {
    return last_words.find(known) != std::string::npos;
  });
}

// Copies a job's stderr file to ours, removes it, and returns its last
// non-empty line (a crash's last words).
std::string PassOnLog(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    std::cerr << line << "\n";
    if (!line.empty()) last = line;
  }
  std::remove(path.c_str());
  return last;
}

}  // namespace

class Explorer::Progress {
 public:
  Progress(std::ostream& out, bool terminal, const ExploreOptions& options, uint64_t planned)
      : out_(out),
        terminal_(terminal),
        options_(options),
        planned_(planned),
        start_(Clock::now()),
        last_(start_) {}

  void OnCase(bool failed) {
    ++done_;
    if (failed) ++failed_;
    const auto now = Clock::now();
    if (terminal_ || now - last_ >= kProgressInterval) {
      last_ = now;
      Print(now);
    }
  }
  void Finish() {
    Print(Clock::now());
    if (terminal_) out_ << "\n";
    out_.flush();
  }

 private:
  void Print(Clock::time_point now) {
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
    std::ostringstream line;
    line.precision(1);
    line << std::fixed << "explore: " << done_;
    if (planned_ != 0) line << "/" << planned_;
    line << " cases, " << failed_ << " failed, " << rate << " cases/s";
    double eta = 0;
    if (planned_ != 0 && rate > 0) eta = static_cast<double>(planned_ - done_) / rate;
    if (options_.time) eta = std::max(0.0, options_.time->count() - elapsed);
    line << ", ETA " << eta << " s";
    out_ << (terminal_ ? "\r" : "") << line.str() << (terminal_ ? "\033[K" : "\n");
    out_.flush();
  }

  std::ostream& out_;
  const bool terminal_;
  const ExploreOptions& options_;
  const uint64_t planned_;
  const Clock::time_point start_;
  Clock::time_point last_;
  uint64_t done_ = 0;
  uint64_t failed_ = 0;
};

Explorer::Explorer(ExploreOptions options, std::ostream& progress, bool progress_is_terminal)
    : options_(std::move(options)), progress_out_(progress), terminal_(progress_is_terminal) {}

bool Explorer::Run(CampaignSummary* summary, std::string* error) {
  start_ = Clock::now();
  *summary = CampaignSummary{};
  summary->base_seed = options_.base_seed;
  summary->shards = {options_.shard};
  summary->cases_requested = options_.cases.value_or(0);
  summary->properties = options_.properties == PropertySet::kWithCanary ? "canary" : "exploration";
  summary->jobs = options_.jobs;
  if (!options_.out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options_.out_dir, ec);
    if (ec) {
      *error = "cannot create " + options_.out_dir + ": " + ec.message();
      return false;
    }
  }
  Progress progress(progress_out_, terminal_, options_,
                    options_.cases ? options_.shard.CasesOf(*options_.cases) : 0);
  // Cases always run in job processes, even one: a case that crashes the
  // process (an abort inside a library) is then a failure the campaign
  // reports, not the end of the campaign.
  if (!RunJobs(summary, progress, error)) return false;
  progress.Finish();
  summary->wall_seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  if (options_.shrink_failures) ShrinkFailures(summary);
  return true;
}

void Explorer::RunShare(uint64_t first_position, CampaignSummary* partial,
                        const std::function<void(uint64_t index)>& on_begin,
                        const std::function<void(uint64_t index, bool failed)>& on_case) const {
  const uint64_t jobs = std::max<uint64_t>(options_.jobs, 1);
  const uint64_t planned = options_.cases ? options_.shard.CasesOf(*options_.cases) : UINT64_MAX;
  for (uint64_t position = first_position; position < planned; position += jobs) {
    if (options_.time && std::chrono::duration<double>(Clock::now() - start_) >= *options_.time) {
      break;
    }
    const uint64_t index = options_.shard.IndexAt(position);
    on_begin(index);
    on_case(index, RunCase(index, partial));
  }
}

bool Explorer::RunCase(uint64_t index, CampaignSummary* partial) const {
  const uint64_t seed = CaseSeed(options_.base_seed, index);
  ++partial->cases_run;
  FailureReport failure;
  failure.count = 1;
  failure.first_index = index;
  failure.first_seed = seed;
  // What runs is what a file replays: the generated scenario written and
  // parsed back.
  Scenario scenario;
  ParseError parse;
  if (ParseScenario(ToJson(GenerateScenario(seed)), &scenario, &parse) != ParseStatus::kOk) {
    failure.signature = "generator:invalid-scenario";
    failure.detail = parse.json_path + ": " + parse.reason;
    partial->AddFailure(failure);
    return true;
  }
  const CaseVerdict verdict = CheckCase(scenario, options_.properties);
  partial->coverage.AddCase(verdict, ScenarioFeatures(scenario));
  bool failed = verdict.failed();
  if (verdict.failed()) {
    // Each distinct signature of the case counts: a campaign reports
    // every defect a case shows, not only its first.
    for (const CaseFailure& f : verdict.failures) {
      failure.signature = f.signature;
      failure.detail = f.detail;
      partial->AddFailure(failure);
    }
  }
  if (options_.determinism_every != 0 && index % options_.determinism_every == 0) {
    ++partial->determinism_rechecks;
    const CaseVerdict again = CheckCase(scenario, options_.properties);
    if (again.report.digest != verdict.report.digest ||
        again.report.events != verdict.report.events) {
      ++partial->determinism_mismatches;
      failed = true;
      failure.signature = "property:deterministic";
      failure.detail = "digest " + Hex(verdict.report.digest) + " then " +
                       Hex(again.report.digest) + ", events " +
                       std::to_string(verdict.report.events) + " then " +
                       std::to_string(again.report.events);
      partial->AddFailure(failure);
    }
  }
  return failed;
}

bool Explorer::RunJobs(CampaignSummary* summary, Progress& progress, std::string* error) const {
  struct Job {
    pid_t pid = -1;
    int fd = -1;
    std::string buffer;
    bool reported = false;
    std::optional<uint64_t> running;  // The case begun and not finished.
    std::string log;                  // Its stderr, copied to ours at its end.
  };
  const uint64_t stride = std::max<uint64_t>(options_.jobs, 1);
  std::vector<Job> jobs;
  // Starts a job process at `first_position` of the shard's cases (it
  // then takes every stride-th).
  auto start = [&](uint64_t first_position) {
    int fds[2];
    if (pipe(fds) != 0) {
      *error = std::string("pipe: ") + std::strerror(errno);
      return false;
    }
    // The job's stderr goes to a file, so a crash's last words (a
    // library's abort message) name the crash.
    char log_path[] = "/tmp/p2pquic-explore-job-XXXXXX";
    const int log_fd = mkstemp(log_path);
    if (log_fd < 0) {
      *error = std::string("mkstemp: ") + std::strerror(errno);
      return false;
    }
    const pid_t pid = fork();
    if (pid < 0) {
      *error = std::string("fork: ") + std::strerror(errno);
      return false;
    }
    if (pid == 0) {
      close(fds[0]);
      for (const Job& other : jobs) close(other.fd);
      dup2(log_fd, STDERR_FILENO);
      close(log_fd);
      CampaignSummary partial;
      // Each signature's count before the case: what grew is the case's.
      std::map<std::string, uint64_t> before;
      RunShare(
          first_position, &partial,
          [&](uint64_t index) {
            before.clear();
            for (const FailureReport& f : partial.failures) before[f.signature] = f.count;
            WriteAll(fds[1], "b " + std::to_string(index) + "\n");
          },
          [&](uint64_t index, bool failed) {
            // The case's failures go out at once, so a later crash of this
            // process loses none of them.
            nlohmann::json found = nlohmann::json::array();
            for (const FailureReport& f : partial.failures) {
              const auto it = before.find(f.signature);
              if (it != before.end() && it->second == f.count) continue;
              const bool first = f.first_index == index;
              found.push_back({{"signature", f.signature},
                               {"detail", first ? f.detail : ""},
                               {"seed", CaseSeed(options_.base_seed, index)}});
            }
            WriteAll(fds[1], std::string(1, kCaseLine) + (failed ? " 1 " : " 0 ") +
                                 std::to_string(index) + " " + found.dump() + "\n");
          });
      partial.failures.clear();  // Already reported case by case.
      WriteAll(fds[1], std::string(1, kSummaryLine) + " " + partial.ToJson({}).dump() + "\n");
      close(fds[1]);
      _exit(0);
    }
    close(fds[1]);
    close(log_fd);
    Job job;
    job.pid = pid;
    job.fd = fds[0];
    job.log = log_path;
    jobs.push_back(std::move(job));
    return true;
  };
  for (uint64_t j = 0; j < stride; ++j) {
    if (!start(j)) return false;
  }
  // A job ended: reap it; if it died inside a case, that case is a crash
  // failure and a new job takes the rest of its share.
  auto finish = [&](size_t i) {
    int status = 0;
    waitpid(jobs[i].pid, &status, 0);
    jobs[i].pid = -1;
    const std::string last_words = PassOnLog(jobs[i].log);
    if (jobs[i].reported) return true;
    if (!jobs[i].running) {
      *error =
          "a job process died between cases (status " + std::to_string(status) + "): " + last_words;
      return false;
    }
    const uint64_t index = *jobs[i].running;
    ++summary->cases_run;
    const uint64_t position = (index - options_.shard.index) / options_.shard.count;
    if (KnownCrash(last_words)) {
      ++summary->known_crashes;
      progress.OnCase(false);
      return start(position + stride);
    }
    FailureReport crash;
    crash.signature =
        WIFSIGNALED(status)
            ? std::string(kCrashPrefix) + WithoutNumbers(strsignal(WTERMSIG(status)))
            : std::string(kCrashPrefix) + "exit " + std::to_string(WEXITSTATUS(status));
    crash.detail = "the case's process died: " + (last_words.empty() ? "(no message)" : last_words);
    crash.count = 1;
    crash.first_index = index;
    crash.first_seed = CaseSeed(options_.base_seed, index);
    summary->AddFailure(crash);
    progress.OnCase(true);
    return start(position + stride);
  };
  std::vector<char> chunk(kReadChunk);
  for (;;) {
    std::vector<pollfd> polls;
    std::vector<size_t> owners;
    for (size_t i = 0; i < jobs.size(); ++i) {
      if (jobs[i].fd < 0) continue;
      polls.push_back({jobs[i].fd, POLLIN, 0});
      owners.push_back(i);
    }
    if (polls.empty()) break;
    if (poll(polls.data(), polls.size(), kPollMillis) < 0 && errno != EINTR) {
      *error = std::string("poll: ") + std::strerror(errno);
      return false;
    }
    for (size_t k = 0; k < polls.size(); ++k) {
      if (polls[k].revents == 0) continue;
      const size_t i = owners[k];
      const ssize_t n = read(jobs[i].fd, chunk.data(), chunk.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close(jobs[i].fd);
        jobs[i].fd = -1;
        if (!finish(i)) return false;
        continue;
      }
      jobs[i].buffer.append(chunk.data(), static_cast<size_t>(n));
      size_t newline;
      while ((newline = jobs[i].buffer.find('\n')) != std::string::npos) {
        const std::string line = jobs[i].buffer.substr(0, newline);
        jobs[i].buffer.erase(0, newline + 1);
        if (line.rfind("b ", 0) == 0) {
          jobs[i].running = std::strtoull(line.c_str() + 2, nullptr, 10);
        } else if (!line.empty() && line[0] == kCaseLine) {
          // "c F INDEX [failures]".
          std::istringstream fields(line.substr(2));
          int failed = 0;
          uint64_t index = 0;
          std::string found;
          fields >> failed >> index;
          std::getline(fields, found);
          const auto json = nlohmann::json::parse(found, nullptr, false);
          if (json.is_array()) {
            for (const auto& f : json) {
              FailureReport failure;
              failure.signature = f.value("signature", "");
              failure.detail = f.value("detail", "");
              failure.first_seed = f.value("seed", uint64_t{0});
              failure.first_index = index;
              failure.count = 1;
              summary->AddFailure(failure);
            }
          }
          jobs[i].running.reset();
          ++summary->cases_run;
          progress.OnCase(failed != 0);
        } else if (!line.empty() && line[0] == kSummaryLine) {
          CampaignSummary partial;
          std::string parse_error;
          const auto json = nlohmann::json::parse(line.substr(2), nullptr, false);
          if (!CampaignSummary::FromJson(json, &partial, &parse_error)) {
            *error = "a job's summary: " + parse_error;
            return false;
          }
          summary->determinism_rechecks += partial.determinism_rechecks;
          summary->determinism_mismatches += partial.determinism_mismatches;
          summary->coverage.Merge(partial.coverage);
          jobs[i].reported = true;
        }
      }
    }
  }
  return true;
}

void Explorer::ShrinkFailures(CampaignSummary* summary) const {
  for (FailureReport& failure : summary->failures) {
    Scenario scenario;
    ParseError parse;
    if (ParseScenario(ToJson(GenerateScenario(failure.first_seed)), &scenario, &parse) !=
        ParseStatus::kOk) {
      continue;  // The generator's own bug: the signature says so; there is no file.
    }
    Scenario minimal = scenario;
    // A determinism failure is a difference between two runs of one file:
    // the whole case is the report.
    if (failure.signature != "property:deterministic") {
      const ShrunkFailure shrunk =
          ShrinkFailure(scenario, failure.signature, options_.properties, options_.shrink);
      minimal = shrunk.minimal;
      failure.shrink = shrunk.ToJson();
    }
    minimal.description =
        "Found by p2pquic-sim explore: case " + std::to_string(failure.first_index) + " (seed " +
        std::to_string(failure.first_seed) + ") of base seed " +
        std::to_string(summary->base_seed) + ", shrunk; fails " + failure.signature;
    if (minimal.description.size() > kMaxDescriptionLength) {
      minimal.description.resize(kMaxDescriptionLength);
    }
    const std::string dir = options_.out_dir.empty() ? "." : options_.out_dir;
    const std::string path = std::filesystem::absolute(std::filesystem::path(dir) /
                                                       (SignatureSlug(failure.signature) + "-" +
                                                        Hex(failure.first_seed) + ".json"))
                                 .string();
    std::string error;
    if (!WriteScenarioFile(path, minimal, &error)) {
      failure.detail += " (" + error + ")";
      continue;
    }
    failure.file = path;
    failure.replay = ReplayCommand(path, options_.properties);
  }
}

}  // namespace p2pquic::scenarios
