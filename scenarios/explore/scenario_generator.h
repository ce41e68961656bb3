// GenerateScenario: the scenarios `p2pquic-sim explore` runs. One case seed
// gives one Scenario in the format of scenarios/format/FORMAT.md, drawn from
// everything the format expresses: 1-4 clients and 1-2 servers, NAT hosts,
// several connections per client (sharing its one socket, to one or both
// servers), transfer streams both ways, ping, identify and perf, every link
// fault, asymmetric links and shared bottlenecks, partitions, blackholes,
// set_link, NAT rebinding, repeated and simultaneous migrations (across a
// server's workers too: 2-4 of them, kernel or forward steering), delayed CID
// registration on either side, restarts, closes at any moment from either
// side, non-default transport settings, scenario-wide and per host, servers'
// retry policies and floods from spoofed sources (initial replays, junk).
//
// Contract:
// - A pure function of `case_seed`: the same seed gives the same Scenario in
//   any process (the only randomness is CaseRandom, seeded with case_seed).
// - The result is valid: ParseScenario(ToJson(s)) succeeds and equals s.
// - Every connection ends before `duration`: the timeline closes it (either
//   side), or its dialer or listener restarts. `duration` is the last
//   timeline instant (blackhole ends included) plus the largest idle
//   timeout, handshake timeout and retired-CID grace of any host plus
//   kEndMarginMs, so a peer whose CONNECTION_CLOSE was lost still idles
//   out, drains, and its retired CIDs leave their grace window in time:
//   registries can be empty at the end.
// - No expectations: the explorer's oracles and properties judge a case.
// - Faults are mild enough that most transfers complete (loss <= 6%,
//   corruption <= 2%, bandwidth >= 2 Mbit/s, outages shorter than half the
//   smallest idle timeout); a link below QUIC's 1200-byte minimum MTU makes
//   the handshakes over it fail, and their connections are closed before
//   their handshake timeout.
// - Size: the mean case has about 3 hosts, 2 connections and 250 KiB of
//   payload (//tests/scenarios/explore:scenario_generator_test measures it),
//   so a campaign runs at tens of cases per second per core.
//
// Draw order (changing it changes every case): the CaseRandom seeded with
// case_seed is drawn, in this order, for
//  1. the run's `seed` (one Next());
//  2. the scenario's transport settings;
//  3. the topology: server count, client count, then per server its own
//     settings and socket send buffer, per client its NAT, own settings
//     and socket send buffer;
//  4. the connections: per client its count, then per connection its
//     server and dial time;
//  5. the links: default conditions, then per connected (client, server)
//     pair both directions' overrides, the shared bottleneck, the
//     below-1200 MTU path;
//  6. per connection (in creation order): its close kind, its workloads
//     (count, then per workload its kind, side, time and sizes), then its
//     close's side, error code and time;
//  7. the disruptions: their count, then per disruption its kind, time and
//     fields;
//  8. per server (in creation order) its workers: several or one, how
//     many, kernel or forward steering, the forward delay (four draws
//     always; a server whose cid_length cannot hold a worker keeps one).
// Two choices draw from streams of their own (a CaseRandom of the case
// seed xor a constant), so adding them changed no earlier draw: whether a
// client uses zero-length CIDs, and, per server, its address-validation
// settings (retry policy, retry_threshold) and whether (and how: payload,
// rate, sources, duration, start within the dials) it is flooded.
// Then, without drawing, late closes move later by the disruptions'
// outages, the events are ordered by time (stably, so a connection's dial
// precedes its streams and a heal follows its partition), events the
// format would refuse after a restart are dropped, migration addresses are
// resolved and `duration` is set.
#pragma once

#include <cstdint>

#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios {

// Added to the longest timeouts when `duration` is set (see the contract).
inline constexpr uint64_t kEndMarginMs = 5'000;

Scenario GenerateScenario(uint64_t case_seed);

}  // namespace p2pquic::scenarios
