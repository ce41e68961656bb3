// RunOutcomes: how every connection, stream and host of one run ended, as
// facts rather than verdicts. A scenario's expectations ask about the ones
// they name; the explorer's properties (scenarios/explore/) judge all of
// them for a generated case, and its coverage report counts what the run
// reached (routing outcomes, oracle checks, frame kinds).
//
// Plain values in run time (since the run started), filled by the
// runner's OutcomeCollector after the run; nothing here points into the
// run, so a report outlives it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/format/scenario.h"
#include "scenarios/format/traced_frame.h"
#include "scenarios/runner/oracles/oracle_report.h"
#include "transport/base/time.h"
#include "transport/quic/connection/close_cause.h"
#include "transport/routing/registry_result.h"

namespace p2pquic::scenarios {

// One end of a dialed connection.
enum class EndState : uint8_t {
  kAbsent,        // This end never existed (the listener got no Initial of it).
  kHandshaking,   // Alive at the end of the run, handshake not complete.
  kEstablished,   // Alive at the end of the run.
  kEnded,         // Closed: `cause`, `reason` and `at` say how and when.
  kLostWithHost,  // Its host restarted: gone at `at` without a word to the peer.
};
const char* ToString(EndState state);

struct EndOutcome {
  EndState state = EndState::kAbsent;
  bool established = false;  // Its handshake completed at some point.
  CloseCause cause = CloseCause::kLocalClose;
  std::string reason;
  Duration at{};  // When it ended.
  // What the frame log saw arrive on this end before it ended (only when
  // the run read frames): the peer's CONNECTION_CLOSE, a stateless reset
  // this end recognised.
  bool close_received = false;
  bool reset_received = false;
};

struct ConnectionOutcomeRecord {
  std::string name;
  std::string dialer;
  std::string listener;
  std::array<EndOutcome, kConnectionSideCount> ends;  // By ConnectionSide.
  bool closed_by_timeline = false;
  ConnectionSide closed_by = ConnectionSide::kDialer;  // When closed_by_timeline.
  Duration closed_at{};                                // When the timeline's close was applied.
  // Connections the listener made for this dial: more than one when the
  // dialer's first Initials reached it from two addresses (its NAT rebound
  // mid-handshake), each looking like a new client (when the run read
  // frames; else 1). The timeline's listener-side close acts on one.
  size_t listener_connections = 1;
};

// How a ping, identify or perf client finished.
enum class ProtocolResult : uint8_t {
  kNotApplicable,  // A transfer stream: see `transfer`.
  kNotOpened,      // Its connection never got ready for it.
  kPending,        // Opened, no report by the end of the run.
  kSucceeded,      // The client reported success (every ping echoed, the answer, the bytes).
  kFailed,         // The client reported an error.
};
const char* ToString(ProtocolResult result);

struct StreamOutcomeRecord {
  std::string name;
  std::string connection;
  Action kind = Action::kOpenStream;  // open_stream, ping, identify or perf.
  ConnectionSide side = ConnectionSide::kDialer;
  bool opened = false;
  StreamOutcome transfer = StreamOutcome::kUnfinished;  // Transfer streams only.
  uint64_t requested = 0;                               // Transfer bytes asked for.
  uint64_t delivered = 0;                               // Transfer bytes the receiver got.
  ProtocolResult protocol = ProtocolResult::kNotApplicable;
  std::string detail;  // The client's error, if any.
};

struct HostOutcomeRecord {
  std::string name;
  // At the end of the run, its registry held nothing (no connection, CID,
  // initial DCID, tuple or reset token); `registry` says what it held.
  bool registry_empty = true;
  std::string registry;
  uint32_t restarts = 0;
  uint64_t stateless_resets_sent = 0;
  uint64_t path_validations = 0;
  // Initials its admission refused because its pending handshakes were at
  // their limits (max_pending_handshakes, max_unvalidated_per_source, the
  // memory cap), across restarts: what a flood at a host with retry never
  // makes its legitimate clients meet.
  uint64_t initials_refused_under_pressure = 0;
  std::array<uint64_t, kRouteOutcomeCount> routes{};  // Across restarts.
};

struct RunOutcomes {
  std::vector<ConnectionOutcomeRecord> connections;  // By name.
  std::vector<StreamOutcomeRecord> streams;          // By name.
  std::vector<HostOutcomeRecord> hosts;              // By name.
  // Frames every host sent and received, by FrameType (when the run read frames).
  std::array<uint64_t, kFrameTypeCount> frames_sent{};
  std::array<uint64_t, kFrameTypeCount> frames_received{};
  std::array<uint64_t, kOracleCheckCount> oracle_checks{};  // By OracleCheck.
};

}  // namespace p2pquic::scenarios
