#include "transport/protocols/multistream_listener.h"

#include <algorithm>
#include <utility>

#include "transport/protocols/multistream_message.h"

namespace p2pquic::protocols {

MultistreamListener::MultistreamListener(std::vector<std::string> supported)
    : supported_(std::move(supported)) {}

bool MultistreamListener::Open(std::vector<uint8_t>& output) {
  if (supported_.size() > kMaxMultistreamListenerProtocols || !AllValidProtocolIds(supported_)) {
    return false;
  }
  AppendMultistreamMessage(kMultistreamHeader, output);
  return true;
}

void MultistreamListener::OnNegotiationMessage(std::string_view text,
                                               std::vector<uint8_t>& output) {
  // Every request costs an answer; a peer that never settles is cut off.
  if (++requests_ > kMaxMultistreamProposals) {
    Finish(MultistreamOutcome::kProtocolError, MultistreamError::kTooManyProposals);
  } else if (text == kMultistreamList) {
    AppendMultistreamListReply(supported_, output);
  } else if (Supports(text)) {
    AppendMultistreamMessage(text, output);
    Select(std::string(text));
  } else {
    AppendMultistreamMessage(kMultistreamNotAvailable, output);
  }
}

bool MultistreamListener::Supports(std::string_view protocol) const {
  return std::find(supported_.begin(), supported_.end(), protocol) != supported_.end();
}

}  // namespace p2pquic::protocols
