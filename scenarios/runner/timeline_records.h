// TimelineRecords: what the timeline made, by the names the scenario gives
// them: each dialed connection (who dialed whom, and what identifies the
// listener's end) and each stream a stream action opened (which end opened
// it, its transfer tag, what its protocol client reported). The timeline
// driver writes them; the expectation checker reads them.
//
// Contract: single-threaded. Records point at HostRuntimes and
// HostWorkloads, which outlive them; protocol clients' callbacks write into
// StreamRuntimes until their hosts are destroyed, so the hosts go first.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/format/scenario.h"
#include "scenarios/runner/flood_tally.h"
#include "scenarios/runner/frame_expectation_checker.h"
#include "scenarios/runner/host_runtime.h"
#include "scenarios/runner/host_workload.h"
#include "transport/host/identify_client.h"
#include "transport/host/perf_client_handler.h"
#include "transport/host/ping_client.h"

namespace p2pquic::scenarios {

struct ConnectionRuntime {
  HostRuntime* dialer = nullptr;
  HostWorkload* app = nullptr;  // The dialer's workload in the life that dialed it.
  HostRuntime* listener = nullptr;
  ConnectionHandle handle;
  // What identifies the listener's end: the DCID of the dialer's first
  // Initial, and the dialer's address as the listener sees it (its NAT's
  // outside address), both taken at the dial.
  ConnectionId original_dcid;
  SocketAddress dialer_seen_at;
  Timestamp dialed_at;  // When the dial event ran.
  bool closed_by_timeline = false;
  ConnectionSide closed_by = ConnectionSide::kDialer;  // Which end the timeline closed.
  Timestamp closed_at;                                 // When the timeline's close was applied.
  // Stream actions of each end that wait for that end's handshake, in
  // timeline order (indexed by ConnectionSide).
  std::array<std::vector<const Event*>, kConnectionSideCount> waiting;
};

struct StreamRuntime {
  Action kind = Action::kOpenStream;  // The action that opened it.
  ConnectionRuntime* connection = nullptr;
  ConnectionSide side = ConnectionSide::kDialer;  // The end that opened it.
  HostWorkload* opener = nullptr;                 // That end's workload once opened.
  uint64_t tag = 0;                               // Transfer streams: 1, 2, ... in timeline order.
  bool opened = false;
  uint64_t requested = 0;
  // What the protocol client reported (ping, identify, perf streams).
  std::optional<PingReport> ping;
  std::optional<IdentifyReport> identify;
  std::optional<PerfReport> perf;
};

struct TimelineRecords {
  std::map<std::string, ConnectionRuntime> connections;
  std::map<std::string, StreamRuntime> streams;
  uint64_t transfer_streams = 0;  // Streams opened so far (a transfer's tag).
  FloodTally floods;              // What the flood events sent and drew back.

  // The dialer's side of the named connection, if it was dialed.
  std::optional<DialedConnection> Dialed(const std::optional<std::string>& name) const {
    if (!name) return std::nullopt;
    const auto it = connections.find(*name);
    if (it == connections.end() || it->second.dialer == nullptr) return std::nullopt;
    return DialedConnection{it->second.dialer->trace_name, it->second.handle};
  }
  // The host at the other end of `stream`'s connection from its opener.
  static const HostRuntime& PeerOf(const StreamRuntime& stream) {
    return stream.side == ConnectionSide::kDialer ? *stream.connection->listener
                                                  : *stream.connection->dialer;
  }
};

}  // namespace p2pquic::scenarios
