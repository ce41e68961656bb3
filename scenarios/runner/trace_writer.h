// TraceWriter: a run's trace as JSON lines, one object per event, each
// with the virtual time since the run's start in microseconds ("t_us") and
// the host. Events:
// datagram_in (route outcome, DCID), datagram_out, net (a datagram's fate
// on the simulated wire), connection_created/removed, handshake_completed,
// cid_issued/registered/retired, path_validation, frame (a CID-relevant
// frame sent or received), stream (progress), timeline (each scenario
// action as it runs), expectation, action_failed;
// README.md ("Replaying a scenario from a bug report") describes them.
//
// Contract: single-threaded; the stream, when given, outlives the writer.
// Without a stream nothing is formatted (a trace costs nothing unless asked).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "transport/runtime/clock.h"

namespace p2pquic::scenarios {

class TraceWriter {
 public:
  TraceWriter(const Clock& clock, Timestamp start, std::ostream* out)
      : clock_(clock), start_(start), out_(out) {}

  bool enabled() const { return out_ != nullptr; }
  // Writes `event` (an object) with "t_us" and "host" prepended.
  void Write(const std::string& host, const char* kind, nlohmann::json fields);
  uint64_t lines() const { return lines_; }

 private:
  const Clock& clock_;
  Timestamp start_;
  std::ostream* out_;
  uint64_t lines_ = 0;
};

}  // namespace p2pquic::scenarios
