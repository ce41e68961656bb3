// FrameExpectationChecker: judges the `frames` and `frame_order`
// expectations (FORMAT.md) against a run's FrameLog.
//
// A `connection` is named as the timeline dialed it; the runner hands the
// dialer's side (host and handle). Its original DCID, read from the dialer's
// qlog, picks the frames on either end: the dialer's, or the listener's
// connection(s) for that dial (FrameLog explains when that is more than one;
// the result's detail then says how many).
//
// Contract: the log outlives the checker.
#pragma once

#include <optional>
#include <string>

#include "scenarios/format/scenario.h"
#include "scenarios/runner/frame_log.h"
#include "scenarios/runner/run_report.h"
#include "transport/base/time.h"
#include "transport/routing/connection_handle.h"

namespace p2pquic::scenarios {

// The dialer's side of a connection the timeline named.
struct DialedConnection {
  std::string host;
  ConnectionHandle handle;
};

class FrameExpectationChecker {
 public:
  // `start` is the run's time zero, for the times results print.
  FrameExpectationChecker(const FrameLog& log, Timestamp start) : log_(log), start_(start) {}

  // `connection` is the dialed connection the expectation names (null when
  // it names none, or when the dial never made one).
  ExpectationResult Check(const FramesExpectation& expectation,
                          const DialedConnection* connection) const;
  ExpectationResult Check(const FrameOrderExpectation& expectation,
                          const DialedConnection* connection) const;

 private:
  // Which connection the frames must be on: sets `filter.original_dcid`, or
  // explains in `problem` why no frame can match. `scope` describes it.
  bool Scope(const std::string& host, const std::optional<std::string>& name,
             const DialedConnection* connection, FrameFilter* filter, std::string* scope,
             std::string* problem) const;

  const FrameLog& log_;
  Timestamp start_;
};

// "new_connection_id sent seq 3", as results and the trace show selectors.
std::string Describe(const FrameSelector& selector);

}  // namespace p2pquic::scenarios
