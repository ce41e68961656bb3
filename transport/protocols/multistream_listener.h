// MultistreamListener: the responding side of multistream-select 1.0 on one
// stream. It answers each proposal with an echo (selected) or "na", and "ls"
// with the list of protocols it serves. Bytes may arrive in any pieces and
// concatenated: a pipelining dialer sends header, proposal and its first
// application data at once, and whatever follows the selecting proposal is
// handed back as `leftover`. Pure state machine: it never touches the stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "transport/protocols/multistream_reader.h"
#include "transport/protocols/multistream_step.h"

namespace p2pquic::protocols {

class MultistreamListener {
 public:
  // `supported`: at most kMaxMultistreamListenerProtocols IDs, each valid per
  // IsValidProtocolId (empty is allowed: every proposal gets "na"). Any
  // other list makes Start (or the first Feed) return kProtocolError with
  // kInvalidLocalProtocols.
  explicit MultistreamListener(std::vector<std::string> supported);

  // The bytes to write when the stream opens: the header. It need not wait
  // for the dialer's header. A second call returns no bytes.
  MultistreamStep Start();

  // Bytes read from the stream. Returns the answers to write (in order) and
  // the outcome; more than kMaxMultistreamProposals requests is an error.
  // Called before Start, it does Start's work too. Once kSelected, every call
  // returns all of `in` as `leftover`; once kProtocolError, input is ignored.
  MultistreamStep Feed(std::span<const uint8_t> in);

  MultistreamOutcome outcome() const { return outcome_; }

 private:
  enum class Phase : uint8_t { kNotStarted, kAwaitingHeader, kAwaitingProposal, kFinished };

  void Begin(std::vector<uint8_t>& output);
  void OnMessage(std::string_view text, std::vector<uint8_t>& output);
  void OnProposal(std::string_view text, std::vector<uint8_t>& output);
  bool Supports(std::string_view protocol) const;
  void Finish(MultistreamOutcome outcome, MultistreamError error = MultistreamError::kNone);
  MultistreamStep Summarize(MultistreamStep step) const;

  std::vector<std::string> supported_;
  std::string selected_;
  size_t requests_ = 0;  // Proposals and "ls" answered so far.
  MultistreamReader reader_;
  Phase phase_ = Phase::kNotStarted;
  MultistreamOutcome outcome_ = MultistreamOutcome::kPending;
  MultistreamError error_ = MultistreamError::kNone;
};

}  // namespace p2pquic::protocols
