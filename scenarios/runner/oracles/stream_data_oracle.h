// The stream-data oracle: every transfer stream its receiver finished (FIN
// arrived) holds exactly the bytes, by count and hash, its sender sent.
// Checked once, at the end of the run, on each stream's two records.
//
// Contract: single-threaded.
#pragma once

#include <string>

#include "scenarios/runner/oracles/oracle_report.h"
#include "scenarios/runner/transfer_payload.h"
#include "transport/base/time.h"

namespace p2pquic::scenarios {

class StreamDataOracle {
 public:
  explicit StreamDataOracle(OracleReport& report) : report_(report) {}

  // Both records there, the same bytes and hash.
  static bool Same(const StreamRecord* sent, const StreamRecord* received);

  // Stream `stream` as `receiver` got it and its opener sent it (`sent`
  // null: the opener kept no record).
  void OnStreamEnded(const std::string& stream, const std::string& receiver,
                     const StreamRecord* sent, const StreamRecord& received, Timestamp now);

 private:
  OracleReport& report_;
};

}  // namespace p2pquic::scenarios
