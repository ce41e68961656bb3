#include "transport/protocols/multistream_listener.h"

#include <algorithm>
#include <utility>

#include "transport/protocols/multistream_message.h"

namespace p2pquic::protocols {

MultistreamListener::MultistreamListener(std::vector<std::string> supported)
    : supported_(std::move(supported)) {}

MultistreamStep MultistreamListener::Start() {
  MultistreamStep step;
  if (phase_ == Phase::kNotStarted) Begin(step.output);
  return Summarize(std::move(step));
}

MultistreamStep MultistreamListener::Feed(std::span<const uint8_t> in) {
  MultistreamStep step;
  if (phase_ == Phase::kNotStarted) Begin(step.output);
  while (phase_ == Phase::kAwaitingHeader || phase_ == Phase::kAwaitingProposal) {
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

void MultistreamListener::Begin(std::vector<uint8_t>& output) {
  if (supported_.size() > kMaxMultistreamListenerProtocols || !AllValidProtocolIds(supported_)) {
    Finish(MultistreamOutcome::kProtocolError, MultistreamError::kInvalidLocalProtocols);
    return;
  }
  AppendMultistreamMessage(kMultistreamHeader, output);
  phase_ = Phase::kAwaitingHeader;
}

void MultistreamListener::OnMessage(std::string_view text, std::vector<uint8_t>& output) {
  if (phase_ == Phase::kAwaitingProposal) {
    OnProposal(text, output);
  } else if (text == kMultistreamHeader) {
    phase_ = Phase::kAwaitingProposal;
  } else {
    Finish(MultistreamOutcome::kProtocolError, MultistreamError::kHeaderMismatch);
  }
}

void MultistreamListener::OnProposal(std::string_view text, std::vector<uint8_t>& output) {
  // Every request costs an answer; a peer that never settles is cut off.
  if (++requests_ > kMaxMultistreamProposals) {
    Finish(MultistreamOutcome::kProtocolError, MultistreamError::kTooManyProposals);
  } else if (text == kMultistreamList) {
    AppendMultistreamListReply(supported_, output);
  } else if (Supports(text)) {
    AppendMultistreamMessage(text, output);
    selected_ = text;
    Finish(MultistreamOutcome::kSelected);
  } else {
    AppendMultistreamMessage(kMultistreamNotAvailable, output);
  }
}

bool MultistreamListener::Supports(std::string_view protocol) const {
  return std::find(supported_.begin(), supported_.end(), protocol) != supported_.end();
}

void MultistreamListener::Finish(MultistreamOutcome outcome, MultistreamError error) {
  phase_ = Phase::kFinished;
  outcome_ = outcome;
  error_ = error;
}

MultistreamStep MultistreamListener::Summarize(MultistreamStep step) const {
  step.outcome = outcome_;
  step.error = error_;
  if (outcome_ == MultistreamOutcome::kSelected) step.protocol = selected_;
  // After a failure nothing more is worth saying: the caller resets the stream.
  if (outcome_ == MultistreamOutcome::kProtocolError) step.output.clear();
  return step;
}

}  // namespace p2pquic::protocols
