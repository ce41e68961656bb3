// ExplorationProperties: what must hold for ANY scenario the explorer
// generates, beyond the oracles (which every run keeps) and a file's own
// expectations (generated files have none). Each property reports under
// its own signature (case_failure.h):
//
//   property:stream-intact:<kind>  A stream (transfer, ping, identify,
//       perf) that was not reset completes intact, unless its connection
//       ended some other way than the timeline's close, the close came
//       before the stream had time to finish (kSettleTime after the last
//       disruption and its own start, plus its bytes at the slowest
//       bandwidth of the world), or the link's loss process alone starved
//       it at the close (WireObserver).
//   property:connection-end:<what>  Every end of every connection ends
//       for a reason that matches what happened: a local close only when
//       the timeline closed that end; a peer close only when the peer sent
//       one; never a silent idle or handshake timeout after the peer's
//       CONNECTION_CLOSE or a stateless reset arrived; a stateless reset
//       only when the peer lost the connection's state (its host
//       restarted, its end was gone, or its CID registration was delayed);
//       never a local transport error (a listener's unrecoverable_packet
//       before its handshake is ngtcp2 discarding the state a corrupted
//       first Initial made, not a connection's end). After the timeline's close, the
//       other end hears it or idles out in time (still-open): its idle
//       timeout, plus one keep-alive interval when keep-alive fires first
//       (RFC 9000 §10.1), plus kDrainMargin.
//   property:flood-admission:denied  A dialer's handshake that timed out
//       while its listener was flooded, with nothing else to explain it (no
//       other disruption before it ended, no path below 1200 bytes), is a
//       failure unless the listener's settings expect it: retry never and
//       its admission refused Initials under pressure (pending slots,
//       per-source or memory limits full). Under retry auto or always every
//       unvalidated Initial past the threshold meets a Retry, which spoofed
//       sources cannot answer and a legitimate client can. Known and
//       excused (KNOWN.md): a listener with CIDs shorter than 8 bytes,
//       whose Retry SCIDs are too short for the client's next Initial.
//       connection-end also allows a dialer's INVALID_TOKEN peer close
//       after its NAT rebound or it migrated mid-handshake (RFC 9000
//       §8.1.2: its Retry token names its old address).
//   property:registry-empty  At the end every host's registry is empty
//       (the generator ends every connection in time).
//   action:<kind>:<reason>  No timeline action failed, except the refusals
//       RFC 9000 gives the transport and actions on a connection that had
//       already ended (kExpectedActionFailures).
//   canary:migration  Only with the canary: no host validates a path
//       (known false whenever a migration succeeds), to prove a campaign's
//       plumbing finds, shrinks and reports a failure end to end.
//
// Contract: stateless; Check appends to `failures`.
#pragma once

#include <vector>

#include "scenarios/explore/case_failure.h"
#include "scenarios/explore/wire_observer.h"
#include "scenarios/format/scenario.h"
#include "scenarios/runner/run_report.h"

namespace p2pquic::scenarios {

// Which properties a check applies.
enum class PropertySet : uint8_t {
  kNone,         // The file's expectations and the oracles only (replay).
  kExploration,  // Plus the properties above.
  kWithCanary,   // Plus the canary.
};

class ExplorationProperties {
 public:
  // Time a transfer gets, after its start and after the last disruption
  // of the run, before a close may find it unfinished: RFC 9002's probe
  // timeout backs off exponentially through an outage, so the first probe
  // after a heal can come seconds later.
  static constexpr Duration kSettleTime = std::chrono::seconds(20);

  static void Check(const Scenario& scenario, const RunReport& report, const WireObserver& wire,
                    PropertySet set, std::vector<CaseFailure>* failures);
};

}  // namespace p2pquic::scenarios
