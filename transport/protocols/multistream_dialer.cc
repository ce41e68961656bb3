#include "transport/protocols/multistream_dialer.h"

#include <utility>

#include "transport/protocols/multistream_message.h"

namespace p2pquic::protocols {

MultistreamDialer::MultistreamDialer(std::vector<std::string> protocols)
    : protocols_(std::move(protocols)) {}

bool MultistreamDialer::Open(std::vector<uint8_t>& output) {
  if (protocols_.empty() || protocols_.size() > kMaxMultistreamProposals ||
      !AllValidProtocolIds(protocols_)) {
    return false;
  }
  AppendMultistreamMessage(kMultistreamHeader, output);
  AppendMultistreamMessage(protocols_.front(), output);
  return true;
}

void MultistreamDialer::OnNegotiationMessage(std::string_view text, std::vector<uint8_t>& output) {
  if (text == protocols_[current_]) {
    Select(protocols_[current_]);
  } else if (text != kMultistreamNotAvailable) {
    Finish(MultistreamOutcome::kProtocolError, MultistreamError::kUnexpectedMessage);
  } else if (++current_ == protocols_.size()) {
    Finish(MultistreamOutcome::kNotSupported);
  } else {
    AppendMultistreamMessage(protocols_[current_], output);
  }
}

}  // namespace p2pquic::protocols
