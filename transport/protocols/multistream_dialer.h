// MultistreamDialer: the initiating side of multistream-select 1.0 on one
// stream. It proposes its protocols one at a time, in order of preference,
// until the listener echoes one (kSelected) or has answered "na" to every one
// (kNotSupported). Start() pipelines the header with the first proposal, so
// negotiation costs one round trip when the listener supports the first
// choice. Pure state machine: it never touches the stream itself.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "transport/protocols/multistream_negotiation.h"

namespace p2pquic::protocols {

class MultistreamDialer final : public MultistreamNegotiation {
 public:
  // `protocols` in order of preference: 1 to kMaxMultistreamProposals IDs,
  // each valid per IsValidProtocolId. Any other list makes Start (or the
  // first Feed) return kProtocolError with kInvalidLocalProtocols.
  explicit MultistreamDialer(std::vector<std::string> protocols);

 private:
  bool Open(std::vector<uint8_t>& output) override;
  // The listener's answer to our outstanding proposal.
  void OnNegotiationMessage(std::string_view text, std::vector<uint8_t>& output) override;

  std::vector<std::string> protocols_;
  size_t current_ = 0;  // Index of the outstanding proposal.
};

}  // namespace p2pquic::protocols
