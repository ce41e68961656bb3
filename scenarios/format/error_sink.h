// ErrorSink: where the scenario parser's readers report, keeping only the
// first error. Reading continues harmlessly after a failure (every reader
// does nothing once one has failed), so parse functions stay straight-line
// and check failed() only where a later step needs an earlier value.
#pragma once

#include <string>
#include <utility>

#include "scenarios/format/parse_error.h"

namespace p2pquic::scenarios {

class ErrorSink {
 public:
  bool failed() const { return failed_; }
  const ParseError& error() const { return error_; }

  // Records `reason` at `json_path` unless an error is already recorded.
  void Fail(std::string json_path, std::string reason) {
    if (failed_) return;
    failed_ = true;
    error_ = ParseError{std::move(json_path), std::move(reason)};
  }

 private:
  bool failed_ = false;
  ParseError error_;
};

}  // namespace p2pquic::scenarios
