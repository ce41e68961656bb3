#include "transport/quic/closing_period.h"

#include <limits>

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

ClosingAnswer ClosingPeriod::OnDatagram(const NetworkPath& arrival) {
  if (phase_ == ClosingPhase::kCloseToSend || phase_ == ClosingPhase::kSilent) {
    return ClosingAnswer::kNothingSaved;
  }
  ++received_;
  if (received_ != next_answer_at_) return ClosingAnswer::kRateLimited;
  // Saturate rather than wrap: past 2^63 datagrams nothing more is answered.
  constexpr uint64_t kLimit = std::numeric_limits<uint64_t>::max() / kAnswerBackoffFactor;
  next_answer_at_ = next_answer_at_ > kLimit ? std::numeric_limits<uint64_t>::max()
                                             : next_answer_at_ * kAnswerBackoffFactor;
  answer_path_ = arrival;
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
