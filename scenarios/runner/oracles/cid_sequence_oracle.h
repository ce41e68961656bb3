// The cid-sequence oracle: a connection issues its CIDs in ascending
// sequence order, and every NEW_CONNECTION_ID it sends carries a CID its
// registry issued to it, with the sequence number the registry holds
// (QuicConnection mirrors ngtcp2's counter, which ngtcp2 assigns only after
// get_new_connection_id returns: this is what keeps the mirror honest).
// The frames are read from qlog, so that half runs only in runs that
// record frames.
//
// Contract: single-threaded.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "scenarios/format/traced_frame.h"
#include "scenarios/runner/oracles/cid_ledger.h"
#include "scenarios/runner/oracles/oracle_report.h"
#include "transport/base/time.h"

namespace p2pquic::scenarios {

class CidSequenceOracle {
 public:
  explicit CidSequenceOracle(OracleReport& report) : report_(report) {}

  void OnCidIssued(const std::string& host, ConnectionHandle connection, const ConnectionId& cid,
                   uint64_t sequence, Timestamp now);
  // The host restarted: its new registry hands out handles from the start
  // again, so what its earlier lives' connections issued no longer counts.
  void OnHostRestarted(const std::string& host) { last_issued_.erase(host); }
  // A frame `connection` sent or received; only sent NEW_CONNECTION_IDs
  // are checked (one check each) against the host's `ledger`.
  void OnFrame(const std::string& host, const CidLedger& ledger, ConnectionHandle connection,
               FrameDirection direction, const TracedFrame& frame, Timestamp now);

 private:
  OracleReport& report_;
  // The last sequence each connection issued, by host, then by (handle
  // index, generation).
  std::map<std::string, std::map<std::pair<uint32_t, uint32_t>, uint64_t>> last_issued_;
};

}  // namespace p2pquic::scenarios
