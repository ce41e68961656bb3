// FrameLog: every traced frame (traced_frame.h) of one run, from every
// host, in the order the hosts saw them. The simulator runs on one thread,
// so one running ordinal orders frames across hosts too, even at the same
// virtual instant, and the order is the same in every replay of the seed.
//
// Connections are known by their qlog group_id, the client's original DCID,
// which both ends of a connection share: that is how a listener's side of a
// dialed connection is found. Two connections share one only if two dialers
// drew the same initial DCID (race scenarios with a shared random_seed) or
// a late duplicate Initial started a second connection; a query by
// original DCID then covers all of them, and MatchingConnections says so.
//
// Entries name the host they were seen on by its trace name: the host's
// name, or "<host>.w<i>" for worker i of a multi-worker host. A filter or
// count by a host's name covers all its workers; OriginalDcid keys by the
// trace name, since handles of different workers can be equal.
//
// Contract: single-threaded; entries are never removed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "scenarios/format/traced_frame.h"
#include "transport/base/time.h"
#include "transport/routing/connection_handle.h"

namespace p2pquic::scenarios {

struct FrameEntry {
  uint64_t ordinal = 0;  // Assigned by Add: 0, 1, 2, ...
  Timestamp at{};
  std::string host;
  // The connection it belongs to; invalid for a stateless reset the
  // endpoint sent (an endpoint answers an unknown CID, no connection).
  ConnectionHandle connection;
  std::string original_dcid;  // The connection's qlog group_id; empty without one.
  FrameDirection direction = FrameDirection::kSent;
  TracedFrame frame;
};

// Which entries a query takes. Unset optionals match anything.
struct FrameFilter {
  std::string host;
  std::optional<std::string> original_dcid;
  FrameDirection direction = FrameDirection::kSent;
  FrameType type = FrameType::kNewConnectionId;
  std::optional<uint64_t> sequence;  // Ignored for types without one.
};

class FrameLog {
 public:
  // Appends `entry` with the next ordinal.
  void Add(FrameEntry entry);
  // Records the original DCID of the host's connection (from its qlog header).
  void SetOriginalDcid(const std::string& host, ConnectionHandle connection,
                       const std::string& original_dcid);
  // The original DCID SetOriginalDcid recorded, or nullopt.
  std::optional<std::string> OriginalDcid(const std::string& host,
                                          ConnectionHandle connection) const;
  // How many of the host's connections had this original DCID.
  size_t MatchingConnections(const std::string& host, const std::string& original_dcid) const;

  uint64_t Count(const FrameFilter& filter) const;
  // The earliest matching entry, or null.
  const FrameEntry* First(const FrameFilter& filter) const;

  const std::vector<FrameEntry>& entries() const { return entries_; }

 private:
  static bool Matches(const FrameEntry& entry, const FrameFilter& filter);

  std::vector<FrameEntry> entries_;
  // (host, handle index, handle generation) -> original DCID.
  std::map<std::tuple<std::string, uint32_t, uint32_t>, std::string> original_dcids_;
};

}  // namespace p2pquic::scenarios
