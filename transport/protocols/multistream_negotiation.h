// MultistreamNegotiation: what both sides of multistream-select 1.0 share:
// the opening, reading messages from bytes in any pieces, the header check,
// finishing, and summarising each call as a MultistreamStep. The dialer
// and the listener supply only their half of the conversation.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "transport/protocols/multistream_reader.h"
#include "transport/protocols/multistream_step.h"

namespace p2pquic::protocols {

class MultistreamNegotiation {
 public:
  virtual ~MultistreamNegotiation() = default;

  // The bytes to write when the stream opens. A second call returns the
  // current outcome and no bytes.
  MultistreamStep Start();
  // Bytes read from the stream, in any pieces: the answers to write and the
  // outcome. Called before Start, it does Start's work too (its output
  // leads). Once kSelected every call returns all of `in` as `leftover`;
  // once kNotSupported or kProtocolError, input is ignored.
  MultistreamStep Feed(std::span<const uint8_t> in);
  MultistreamOutcome outcome() const { return outcome_; }

 protected:
  MultistreamNegotiation() = default;
  MultistreamNegotiation(const MultistreamNegotiation&) = default;
  MultistreamNegotiation(MultistreamNegotiation&&) = default;
  MultistreamNegotiation& operator=(const MultistreamNegotiation&) = default;
  MultistreamNegotiation& operator=(MultistreamNegotiation&&) = default;

  // The side's opening bytes; false if its own protocol list is invalid.
  virtual bool Open(std::vector<uint8_t>& output) = 0;
  // A message after the peer's header.
  virtual void OnNegotiationMessage(std::string_view text, std::vector<uint8_t>& output) = 0;

  void Select(std::string protocol);
  void Finish(MultistreamOutcome outcome, MultistreamError error = MultistreamError::kNone);

 private:
  enum class Phase : uint8_t { kNotStarted, kAwaitingHeader, kNegotiating, kFinished };

  void Begin(std::vector<uint8_t>& output);
  void OnMessage(std::string_view text, std::vector<uint8_t>& output);
  MultistreamStep Summarize(MultistreamStep step) const;

  MultistreamReader reader_;
  Phase phase_ = Phase::kNotStarted;
  MultistreamOutcome outcome_ = MultistreamOutcome::kPending;
  MultistreamError error_ = MultistreamError::kNone;
  std::string selected_;
};

}  // namespace p2pquic::protocols
