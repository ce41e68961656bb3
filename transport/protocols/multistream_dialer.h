// MultistreamDialer: the initiating side of multistream-select 1.0 on one
// stream. It proposes its protocols one at a time, in order of preference,
// until the listener echoes one (kSelected) or has answered "na" to every one
// (kNotSupported). Start() pipelines the header with the first proposal, so
// negotiation costs one round trip when the listener supports the first
// choice. Pure state machine: it never touches the stream itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "transport/protocols/multistream_reader.h"
#include "transport/protocols/multistream_step.h"

namespace p2pquic::protocols {

class MultistreamDialer {
 public:
  // `protocols` in order of preference: 1 to kMaxMultistreamProposals IDs,
  // each valid per IsValidProtocolId. Any other list makes Start (or the
  // first Feed) return kProtocolError with kInvalidLocalProtocols.
  explicit MultistreamDialer(std::vector<std::string> protocols);

  // The bytes to write when the stream opens: the header and the first
  // proposal. A second call returns the current outcome and no bytes.
  MultistreamStep Start();

  // Bytes read from the stream, in any pieces. Returns what to write back
  // (the next proposal after an "na") and the outcome. Called before Start,
  // it does Start's work too (its output leads). Once kSelected, every call
  // returns all of `in` as `leftover`; once kNotSupported or kProtocolError,
  // input is ignored and the same outcome is returned.
  MultistreamStep Feed(std::span<const uint8_t> in);

  MultistreamOutcome outcome() const { return outcome_; }

 private:
  enum class Phase : uint8_t { kNotStarted, kAwaitingHeader, kAwaitingReply, kFinished };

  void Begin(std::vector<uint8_t>& output);
  void OnMessage(std::string_view text, std::vector<uint8_t>& output);
  void OnReply(std::string_view text, std::vector<uint8_t>& output);
  void Finish(MultistreamOutcome outcome, MultistreamError error = MultistreamError::kNone);
  MultistreamStep Summarize(MultistreamStep step) const;

  std::vector<std::string> protocols_;
  size_t current_ = 0;  // Index of the outstanding proposal.
  MultistreamReader reader_;
  Phase phase_ = Phase::kNotStarted;
  MultistreamOutcome outcome_ = MultistreamOutcome::kPending;
  MultistreamError error_ = MultistreamError::kNone;
};

}  // namespace p2pquic::protocols
