#include "transport/quic/connection/closing_period.h"

namespace p2pquic {

const char* ToString(ClosingPhase phase) {
  switch (phase) {
    case ClosingPhase::kCloseToSend:
      return "close to send";
    case ClosingPhase::kSilent:
      return "silent";
    case ClosingPhase::kSaved:
      return "saved";
    case ClosingPhase::kAnswerDue:
      return "answer due";
  }
  return "unknown";
}

void ClosingPeriod::Save(std::span<const uint8_t> datagram) {
  saved_.assign(datagram.begin(), datagram.end());
  phase_ = ClosingPhase::kSaved;
}

void ClosingPeriod::SaveNothing() {
  saved_.clear();
  phase_ = ClosingPhase::kSilent;
}

ClosingAnswer ClosingPeriod::OnDatagram(const NetworkPath& arrival, Timestamp now) {
  if (phase_ == ClosingPhase::kCloseToSend || phase_ == ClosingPhase::kSilent) {
    return ClosingAnswer::kNothingSaved;
  }
  ++received_;
  answer_path_ = arrival;  // An answer due from earlier goes to the latest sender.
  if (phase_ == ClosingPhase::kAnswerDue) return ClosingAnswer::kAnswer;
  if (now < next_answer_at_) return ClosingAnswer::kRateLimited;
  // A closing period lasts a few PTOs, so the doubling gap stays far from
  // Duration's range: after 40 answers it would be 2^40 ms, 35 years.
  next_answer_at_ = now + gap_;
  gap_ *= kAnswerBackoffFactor;
  phase_ = ClosingPhase::kAnswerDue;
  return ClosingAnswer::kAnswer;
}

bool ClosingPeriod::TakeAnswer(NetworkPath* path, std::span<const uint8_t>* datagram) {
  if (phase_ != ClosingPhase::kAnswerDue) return false;
  phase_ = ClosingPhase::kSaved;
  ++answers_;
  *path = answer_path_;
  *datagram = saved_;
  return true;
}

}  // namespace p2pquic
