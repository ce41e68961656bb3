// The run: one scenario replayed once. Run wires the parts together (the
// simulated world and its hosts, the timeline driver, the expectation
// checker, the oracles) and owns what they share; RunScenario gives it a
// thread and the deterministic process random source.
#include "scenarios/runner/scenario_runner.h"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "metrics/endpoint_metrics_exporter.h"
#include "metrics/registry_metrics_exporter.h"
#include "scenarios/runner/expectation_checker.h"
#include "scenarios/runner/frame_log.h"
#include "scenarios/runner/oracles/oracles.h"
#include "scenarios/runner/outcome_collector.h"
#include "scenarios/runner/run_time.h"
#include "scenarios/runner/simulated_hosts.h"
#include "scenarios/runner/stream_ends.h"
#include "scenarios/runner/timeline_driver.h"
#include "scenarios/runner/timeline_records.h"
#include "scenarios/runner/trace_writer.h"
#include "scenarios/runner/wire_trace.h"
#include "sim/deterministic_process.h"
#include "sim/event_queue.h"
#include "sim/sim_clock.h"
#include "sim/sim_network.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::scenarios {
namespace {

// Oracles audit every registry this often (and at every removal).
constexpr Duration kAuditInterval = std::chrono::milliseconds(100);

bool WantsFrames(const Scenario& scenario, const RunOptions& options) {
  if (options.frames == FrameRecording::kAlways || options.trace != nullptr) return true;
  for (const Expectation& e : scenario.expect) {
    if (e.kind() == ExpectationKind::kFrames || e.kind() == ExpectationKind::kFrameOrder) {
      return true;
    }
  }
  return false;
}

class Run {
 public:
  Run(const Scenario& scenario, const RunOptions& options, uint64_t seed)
      : scenario_(scenario),
        options_(options),
        queue_(kRunStart),
        clock_(queue_),
        network_random_(seed),
        network_(queue_, network_random_),
        writer_(clock_, kRunStart, options.trace),
        wire_trace_(writer_, network_),
        hosts_(scenario, options, seed, network_, clock_, oracles_, writer_,
               WantsFrames(scenario, options) ? &frames_ : nullptr,
               [this](HostRuntime& host, HostWorkload& workload, ConnectionHandle handle) {
                 driver_.OnEstablished(host, workload, handle);
               }),
        driver_(scenario, queue_, network_, hosts_, records_, writer_, failed_actions_),
        checker_(scenario, hosts_, records_, frames_, start_) {}

  // Hosts go first: destroying one ends its streams, whose handlers report
  // into the run's stream records.
  ~Run() { hosts_.Clear(); }

  bool Setup(std::string* error);
  void Execute(RunReport* report);
  const Clock& clock() const { return clock_; }

 private:
  // The order events are scheduled in at one instant: the timeline's
  // events, then the audit, then the delivered expectations' samples.
  void Schedule();
  void Audit();
  // The stream-data oracle sees every transfer stream that arrived somewhere.
  void CheckStreams();
  void Evaluate(RunReport* report);
  std::string Metrics() const;

  const Scenario& scenario_;
  const RunOptions& options_;
  sim::EventQueue queue_;
  sim::SimClock clock_;
  Timestamp start_ = queue_.Now();
  SeededRandom network_random_;
  sim::SimNetwork network_;
  Oracles oracles_;
  TraceWriter writer_;
  WireTrace wire_trace_;
  FrameLog frames_;
  std::vector<std::string> failed_actions_;
  // Declared before the hosts, so destroyed after them even without ~Run.
  TimelineRecords records_;
  SimulatedHosts hosts_;
  TimelineDriver driver_;
  ExpectationChecker checker_;
};

bool Run::Setup(std::string* error) {
  if (!hosts_.Setup(error)) return false;
  if (writer_.enabled()) network_.AddObserver(&wire_trace_);
  if (options_.wire != nullptr) network_.AddObserver(options_.wire);
  Schedule();
  return true;
}

void Run::Schedule() {
  driver_.Schedule();
  queue_.Schedule(start_ + kAuditInterval, [this] { Audit(); });
  checker_.ScheduleSamples(queue_);
}

void Run::Audit() {
  oracles_.CheckRegistries(queue_.Now());
  if (queue_.Now() + kAuditInterval <= start_ + scenario_.duration) {
    queue_.Schedule(queue_.Now() + kAuditInterval, [this] { Audit(); });
  }
}

void Run::Execute(RunReport* report) {
  const auto wall_start = std::chrono::steady_clock::now();
  const bool settled = queue_.RunUntil(start_ + scenario_.duration, options_.max_events);
  report->wall_time = std::chrono::steady_clock::now() - wall_start;
  if (!settled) {
    failed_actions_.push_back(At(queue_.Now() - start_) + " run: stopped after " +
                              std::to_string(options_.max_events) + " events (never settled)");
  }
  oracles_.CheckRegistries(queue_.Now());
  for (const auto& [name, host] : hosts_.all()) {
    if (host->host == nullptr) continue;
    if (const auto target = host->endpoint().pending_migration()) {
      failed_actions_.push_back(
          At(queue_.Now() - start_) + " migrate: " + name + " never moved to " +
          target->ToString() +
          " (the move was still deferred: handshake not confirmed or no spare connection ID)");
    }
  }
  CheckStreams();
  report->outcomes = OutcomeCollector(hosts_, records_, frames_, oracles_, start_).Collect();
  Evaluate(report);
  report->failed_actions = failed_actions_;
  report->violations = oracles_.violations();
  for (OracleViolation& v : report->violations) v.at = Timestamp(v.at - start_);  // Run time.
  report->violation_count = oracles_.violation_count();
  report->oracle_checks = oracles_.checks();
  report->digest = network_.digest();
  report->virtual_time = queue_.Now() - start_;
  report->events = queue_.executed();
  report->datagrams_sent = network_.stats().sent;
  report->datagrams_duplicated = network_.stats().duplicated;
  report->datagrams_delivered = network_.stats().delivered();
  report->trace_lines = writer_.lines();
  if (options_.metrics) report->metrics_text = Metrics();
  bool met = true;
  for (const ExpectationResult& e : report->expectations) met = met && e.met;
  report->passed = met && report->violation_count == 0 && report->failed_actions.empty();
}

void Run::CheckStreams() {
  for (const auto& [name, stream] : records_.streams) {
    if (stream.kind != Action::kOpenStream) continue;
    const StreamEnds ends = StreamEnds::Of(stream, hosts_.all());
    if (ends.received == nullptr) continue;
    oracles_.OnStreamEnded(name, ends.receiver, ends.sent, *ends.received, queue_.Now());
  }
}

void Run::Evaluate(RunReport* report) {
  for (const Expectation& expectation : scenario_.expect) {
    ExpectationResult result = checker_.Check(expectation);
    writer_.Write("", "expectation",
                  {{"what", result.what}, {"met", result.met}, {"detail", result.detail}});
    report->expectations.push_back(std::move(result));
  }
}

std::string Run::Metrics() const {
  std::string text;
  for (const auto& [name, runtime] : hosts_.all()) {
    // One block per worker of a multi-worker host, named by its trace name.
    for (const HostRuntime* host : static_cast<const HostRuntime&>(*runtime).Workers()) {
      prometheus::Registry registry;
      metrics::RegistryMetricsExporter registry_exporter(registry);
      metrics::EndpointMetricsExporter endpoint_exporter(registry);
      if (host->host == nullptr) continue;
      registry_exporter.Export(host->endpoint().registry().stats());
      endpoint_exporter.Export(host->endpoint().stats(), host->endpoint().connection_count());
      text += "# host " + host->trace_name + "\n" +
              prometheus::TextSerializer().Serialize(registry.Collect());
    }
  }
  return text;
}

}  // namespace

const char* ToString(RunStatus status) {
  switch (status) {
    case RunStatus::kCompleted:
      return "completed";
    case RunStatus::kSetupFailed:
      return "setup failed";
    case RunStatus::kNotDeterministic:
      return "the process random source could not be seeded";
  }
  return "unknown";
}

RunStatus RunScenario(const Scenario& scenario, const RunOptions& options, RunReport* report,
                      std::string* error) {
  const uint64_t seed = options.seed.value_or(scenario.seed);
  *report = RunReport{};
  report->scenario = scenario.name;
  report->seed = seed;
  RunStatus status = RunStatus::kCompleted;
  // A thread of its own: GnuTLS seeds a generator per thread, once.
  std::thread thread([&] {
    Run run(scenario, options, seed);
    const sim::InstallResult installed = sim::DeterministicProcess::Install(seed, run.clock());
    if (installed != sim::InstallResult::kInstalled) {
      status = RunStatus::kNotDeterministic;
      *error = sim::ToString(installed);
      return;
    }
    if (!run.Setup(error)) {
      status = RunStatus::kSetupFailed;
    } else {
      run.Execute(report);
    }
    sim::DeterministicProcess::Uninstall();
  });
  thread.join();
  return status;
}

}  // namespace p2pquic::scenarios
