#include "transport/protocols/multistream_dialer.h"

#include <utility>

#include "transport/protocols/multistream_message.h"

namespace p2pquic::protocols {

MultistreamDialer::MultistreamDialer(std::vector<std::string> protocols)
    : protocols_(std::move(protocols)) {}

MultistreamStep MultistreamDialer::Start() {
  MultistreamStep step;
  if (phase_ == Phase::kNotStarted) Begin(step.output);
  return Summarize(std::move(step));
}

MultistreamStep MultistreamDialer::Feed(std::span<const uint8_t> in) {
  MultistreamStep step;
  if (phase_ == Phase::kNotStarted) Begin(step.output);
  while (phase_ == Phase::kAwaitingHeader || phase_ == Phase::kAwaitingReply) {
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

void MultistreamDialer::Begin(std::vector<uint8_t>& output) {
  if (protocols_.empty() || protocols_.size() > kMaxMultistreamProposals ||
      !AllValidProtocolIds(protocols_)) {
    Finish(MultistreamOutcome::kProtocolError, MultistreamError::kInvalidLocalProtocols);
    return;
  }
  AppendMultistreamMessage(kMultistreamHeader, output);
  AppendMultistreamMessage(protocols_.front(), output);
  phase_ = Phase::kAwaitingHeader;
}

void MultistreamDialer::OnMessage(std::string_view text, std::vector<uint8_t>& output) {
  if (phase_ == Phase::kAwaitingReply) {
    OnReply(text, output);
  } else if (text == kMultistreamHeader) {
    phase_ = Phase::kAwaitingReply;
  } else {
    Finish(MultistreamOutcome::kProtocolError, MultistreamError::kHeaderMismatch);
  }
}

void MultistreamDialer::OnReply(std::string_view text, std::vector<uint8_t>& output) {
  if (text == protocols_[current_]) {
    Finish(MultistreamOutcome::kSelected);
  } else if (text != kMultistreamNotAvailable) {
    Finish(MultistreamOutcome::kProtocolError, MultistreamError::kUnexpectedMessage);
  } else if (++current_ == protocols_.size()) {
    Finish(MultistreamOutcome::kNotSupported);
  } else {
    AppendMultistreamMessage(protocols_[current_], output);
  }
}

void MultistreamDialer::Finish(MultistreamOutcome outcome, MultistreamError error) {
  phase_ = Phase::kFinished;
  outcome_ = outcome;
  error_ = error;
}

MultistreamStep MultistreamDialer::Summarize(MultistreamStep step) const {
  step.outcome = outcome_;
  step.error = error_;
  if (outcome_ == MultistreamOutcome::kSelected) step.protocol = protocols_[current_];
  // After a failure nothing more is worth saying: the caller resets the stream.
  if (outcome_ == MultistreamOutcome::kProtocolError) step.output.clear();
  return step;
}

}  // namespace p2pquic::protocols
