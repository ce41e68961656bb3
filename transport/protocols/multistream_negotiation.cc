#include "transport/protocols/multistream_negotiation.h"

#include <utility>

#include "transport/protocols/multistream_message.h"

namespace p2pquic::protocols {

MultistreamStep MultistreamNegotiation::Start() {
  MultistreamStep step;
  if (phase_ == Phase::kNotStarted) Begin(step.output);
  return Summarize(std::move(step));
}

MultistreamStep MultistreamNegotiation::Feed(std::span<const uint8_t> in) {
  MultistreamStep step;
  if (phase_ == Phase::kNotStarted) Begin(step.output);
  while (phase_ == Phase::kAwaitingHeader || phase_ == Phase::kNegotiating) {
    const MultistreamReadStatus status = reader_.Next(in);
    if (status == MultistreamReadStatus::kNeedMore) break;
    if (status == MultistreamReadStatus::kError) {
      Finish(MultistreamOutcome::kProtocolError, reader_.error());
      break;
    }
    OnMessage(reader_.text(), step.output);
  }
  if (outcome_ == MultistreamOutcome::kSelected) step.leftover.assign(in.begin(), in.end());
  return Summarize(std::move(step));
}

void MultistreamNegotiation::Begin(std::vector<uint8_t>& output) {
  if (!Open(output)) {
    output.clear();
    Finish(MultistreamOutcome::kProtocolError, MultistreamError::kInvalidLocalProtocols);
    return;
  }
  phase_ = Phase::kAwaitingHeader;
}

void MultistreamNegotiation::OnMessage(std::string_view text, std::vector<uint8_t>& output) {
  if (phase_ == Phase::kNegotiating) {
    OnNegotiationMessage(text, output);
  } else if (text == kMultistreamHeader) {
    phase_ = Phase::kNegotiating;
  } else {
    Finish(MultistreamOutcome::kProtocolError, MultistreamError::kHeaderMismatch);
  }
}

void MultistreamNegotiation::Select(std::string protocol) {
  selected_ = std::move(protocol);
  Finish(MultistreamOutcome::kSelected);
}

void MultistreamNegotiation::Finish(MultistreamOutcome outcome, MultistreamError error) {
  phase_ = Phase::kFinished;
  outcome_ = outcome;
  error_ = error;
}

MultistreamStep MultistreamNegotiation::Summarize(MultistreamStep step) const {
  step.outcome = outcome_;
  step.error = error_;
  if (outcome_ == MultistreamOutcome::kSelected) step.protocol = selected_;
  // After a failure nothing more is worth saying: the caller resets the stream.
  if (outcome_ == MultistreamOutcome::kProtocolError) step.output.clear();
  return step;
}

}  // namespace p2pquic::protocols
