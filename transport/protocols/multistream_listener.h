// MultistreamListener: the responding side of multistream-select 1.0 on one
// stream. It answers each proposal with an echo (selected) or "na", and "ls"
// with the list of protocols it serves. Bytes may arrive in any pieces and
// concatenated: a pipelining dialer sends header, proposal and its first
// application data at once, and whatever follows the selecting proposal is
// handed back as `leftover`. Pure state machine: it never touches the stream.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "transport/protocols/multistream_negotiation.h"

namespace p2pquic::protocols {

class MultistreamListener final : public MultistreamNegotiation {
 public:
  // `supported`: at most kMaxMultistreamListenerProtocols IDs, each valid per
  // IsValidProtocolId (empty is allowed: every proposal gets "na"). Any
  // other list makes Start (or the first Feed) return kProtocolError with
  // kInvalidLocalProtocols. More than kMaxMultistreamProposals requests is
  // an error (kTooManyProposals).
  explicit MultistreamListener(std::vector<std::string> supported);

 private:
  bool Open(std::vector<uint8_t>& output) override;
  // A proposal or "ls" from the dialer.
  void OnNegotiationMessage(std::string_view text, std::vector<uint8_t>& output) override;
  bool Supports(std::string_view protocol) const;

  std::vector<std::string> supported_;
  size_t requests_ = 0;  // Proposals and "ls" answered so far.
};

}  // namespace p2pquic::protocols
