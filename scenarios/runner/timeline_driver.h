// TimelineDriver: plays the scenario's timeline on the simulated hosts.
// Each event runs at its instant; Apply dispatches on the action, one
// overload per action kind. Dials and closes act at once; stream actions
// (open_stream, send, reset_stream, ping, identify, perf) wait for their
// end of the connection to be established and then run in timeline order.
// It keeps what it made in TimelineRecords and notes every action the
// world refused in the run's failed actions (and the trace).
//
// Contract: single-threaded, on the simulator's thread. Everything it is
// given outlives it. Schedule() before the run starts; OnEstablished from
// the hosts' workloads (SimulatedHosts' callback).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/format/scenario.h"
#include "scenarios/runner/flood_attack.h"
#include "scenarios/runner/simulated_hosts.h"
#include "scenarios/runner/timeline_records.h"
#include "scenarios/runner/trace_writer.h"
#include "sim/event_queue.h"
#include "sim/sim_network.h"

namespace p2pquic::scenarios {

class TimelineDriver {
 public:
  TimelineDriver(const Scenario& scenario, sim::EventQueue& queue, sim::SimNetwork& network,
                 SimulatedHosts& hosts, TimelineRecords& records, TraceWriter& writer,
                 std::vector<std::string>& failed_actions);
  TimelineDriver(const TimelineDriver&) = delete;
  TimelineDriver& operator=(const TimelineDriver&) = delete;

  // Schedules every timeline event at its instant, in timeline order.
  void Schedule();
  // A connection of `host` (in the life whose workload is `workload`)
  // completed its handshake: the stream actions waiting for it run.
  void OnEstablished(HostRuntime& host, HostWorkload& workload, ConnectionHandle handle);

 private:
  // One end of a connection, as an action sees it now.
  struct End {
    HostRuntime* host = nullptr;
    HostWorkload* workload = nullptr;
    const ConnectionRecord* record = nullptr;  // Null: that end does not exist (yet).
  };

  void Apply(const Event& event);
  void Apply(const Event& event, const DialAction& action);
  void Apply(const Event& event, const OpenStreamAction& action);
  void Apply(const Event& event, const SendAction& action);
  void Apply(const Event& event, const ResetStreamAction& action);
  void Apply(const Event& event, const PingAction& action);
  void Apply(const Event& event, const IdentifyAction& action);
  void Apply(const Event& event, const PerfAction& action);
  void Apply(const Event& event, const RebindAction& action);
  void Apply(const Event& event, const MigrateAction& action);
  void Apply(const Event& event, const PartitionAction& action);
  void Apply(const Event& event, const HealAction& action);
  void Apply(const Event& event, const BlackholeAction& action);
  void Apply(const Event& event, const SetLinkAction& action);
  void Apply(const Event& event, const DelayCidRegistrationAction& action);
  void Apply(const Event& event, const CloseAction& action);
  void Apply(const Event& event, const RestartAction& action);
  void Apply(const Event& event, const FloodAction& action);

  // Stream actions run once their end of the connection is established,
  // in order: ApplyStream queues or runs, RunStreamAction runs.
  void ApplyStream(const Event& event);
  void RunStreamAction(const Event& event, StreamRuntime& stream, const End& end);
  // What each stream action does on its established end (one overload per
  // stream action; RunStreamAction dispatches).
  void Perform(const Event& event, StreamRuntime& stream, const End& end,
               const OpenStreamAction& action);
  void Perform(const Event& event, StreamRuntime& stream, const End& end, const SendAction& action);
  void Perform(const Event& event, StreamRuntime& stream, const End& end,
               const ResetStreamAction& action);
  void Perform(const Event& event, StreamRuntime& stream, const End& end, const PingAction& action);
  void Perform(const Event& event, StreamRuntime& stream, const End& end,
               const IdentifyAction& action);
  void Perform(const Event& event, StreamRuntime& stream, const End& end, const PerfAction& action);
  // Opens a stream of `protocol` run by `handler` (ping, identify, perf).
  void OpenProtocolStream(const Event& event, StreamRuntime& stream, const End& end,
                          std::string_view protocol, std::unique_ptr<StreamHandler> handler,
                          const std::string& name);
  // The stream a stream action acts on; created by the action that opens it.
  StreamRuntime& StreamOf(const Event& event);
  End EndOf(const ConnectionRuntime& connection, ConnectionSide side);
  void Fail(const Event& event, const char* what, const std::string& reason);

  const Scenario& scenario_;
  sim::EventQueue& queue_;
  sim::SimNetwork& network_;
  SimulatedHosts& hosts_;
  TimelineRecords& records_;
  TraceWriter& writer_;
  std::vector<std::string>& failed_actions_;
  const Timestamp start_;
  // Made at the first flood event (the attacker joins the network then, so
  // a run without floods is the run it always was).
  std::unique_ptr<FloodAttack> flood_;
};

}  // namespace p2pquic::scenarios
