// ExpectationChecker: decides each of the scenario's expectations once the
// run is over, from the timeline's records, the hosts' workloads and
// endpoint counts (across restarts) and the frame log. Check dispatches
// on the expectation, one overload per kind. A delivered expectation also
// needs two samples taken during the run (the receiver's byte count at
// both ends of its window), which ScheduleSamples schedules.
//
// Contract: single-threaded, on the simulator's thread. Everything it is
// given outlives it. ScheduleSamples before the run starts, after the
// timeline's events are scheduled (a sample runs after the timeline's
// events of its instant); Check after the run.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "scenarios/format/scenario.h"
#include "scenarios/runner/frame_log.h"
#include "scenarios/runner/run_report.h"
#include "scenarios/runner/simulated_hosts.h"
#include "scenarios/runner/timeline_records.h"
#include "sim/event_queue.h"

namespace p2pquic::scenarios {

class ExpectationChecker {
 public:
  ExpectationChecker(const Scenario& scenario, const SimulatedHosts& hosts,
                     const TimelineRecords& records, const FrameLog& frames, Timestamp start);
  ExpectationChecker(const ExpectationChecker&) = delete;
  ExpectationChecker& operator=(const ExpectationChecker&) = delete;

  // Schedules every delivered expectation's two samples on `queue`.
  void ScheduleSamples(sim::EventQueue& queue);
  // Whether `expectation` (one of the scenario's) was met, and what was seen.
  ExpectationResult Check(const Expectation& expectation);

 private:
  // A delivered expectation's samples: the receiver's byte count at the
  // start and at the end of its window (nullopt until taken).
  struct DeliveredWindow {
    std::optional<uint64_t> at_from;
    std::optional<uint64_t> at_by;
  };

  ExpectationResult CheckOne(const ConnectionExpectation& c);
  ExpectationResult CheckOne(const StreamIntactExpectation& c);
  ExpectationResult CheckOne(const StreamExpectation& c);
  ExpectationResult CheckOne(const PingExpectation& c);
  ExpectationResult CheckOne(const IdentifyExpectation& c);
  ExpectationResult CheckOne(const PerfExpectation& c);
  ExpectationResult CheckOne(const FloodAnswersExpectation& c);
  ExpectationResult CheckOne(const RouteCountExpectation& c);
  ExpectationResult CheckOne(const PathValidatedExpectation& c);
  ExpectationResult CheckOne(const RegistryEmptyExpectation& c);
  ExpectationResult CheckOne(const FramesExpectation& c);
  ExpectationResult CheckOne(const FrameOrderExpectation& c);
  ExpectationResult CheckOne(const DeliveredExpectation& c);
  ExpectationResult CheckOne(const HandshakesExpectation& c);
  ExpectationResult CheckOne(const StatelessResetsExpectation& c);

  ExpectationResult CheckStreamIntact(const std::string& stream_name);
  // Payload bytes of the stream its receiver has so far (0 before any).
  uint64_t ReceivedBytes(const std::string& stream_name) const;

  const Scenario& scenario_;
  const SimulatedHosts& hosts_;
  const TimelineRecords& records_;
  const FrameLog& frames_;
  const Timestamp start_;
  std::map<const DeliveredExpectation*, DeliveredWindow> delivered_;
};

}  // namespace p2pquic::scenarios
