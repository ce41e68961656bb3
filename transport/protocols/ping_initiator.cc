#include "transport/protocols/ping_initiator.h"

#include <algorithm>

namespace p2pquic::protocols {

const char* ToString(PingInitiatorResult result) {
  switch (result) {
    case PingInitiatorResult::kOk:
      return "ok";
    case PingInitiatorResult::kBusy:
      return "a ping is already outstanding";
    case PingInitiatorResult::kNeedMore:
      return "echo incomplete";
    case PingInitiatorResult::kEchoMatched:
      return "echo matched";
    case PingInitiatorResult::kEchoMismatch:
      return "echo differs from the payload sent";
    case PingInitiatorResult::kUnexpectedData:
      return "bytes beyond the outstanding echo";
    case PingInitiatorResult::kTruncatedEcho:
      return "stream ended before the echo was complete";
  }
  return "unknown";
}

PingInitiatorResult PingInitiator::Start(const PingPayload& payload) {
  if (failure_ != PingInitiatorResult::kOk) return failure_;
  if (outstanding_) return PingInitiatorResult::kBusy;
  payload_ = payload;
  echoed_bytes_ = 0;
  outstanding_ = true;
  return PingInitiatorResult::kOk;
}

PingInitiatorResult PingInitiator::Feed(std::span<const uint8_t> in) {
  if (failure_ != PingInitiatorResult::kOk) return failure_;
  if (in.empty()) return outstanding_ ? PingInitiatorResult::kNeedMore : PingInitiatorResult::kOk;
  if (!outstanding_) return Fail(PingInitiatorResult::kUnexpectedData);
  const size_t take = std::min(in.size(), kPingPayloadBytes - echoed_bytes_);
  if (!std::equal(in.begin(), in.begin() + take, payload_.begin() + echoed_bytes_)) {
    return Fail(PingInitiatorResult::kEchoMismatch);
  }
  // The responder only echoes: more than we sent means a broken peer.
  if (take < in.size()) return Fail(PingInitiatorResult::kUnexpectedData);
  echoed_bytes_ += take;
  if (echoed_bytes_ < kPingPayloadBytes) return PingInitiatorResult::kNeedMore;
  outstanding_ = false;
  ++completed_pings_;
  return PingInitiatorResult::kEchoMatched;
}

PingInitiatorResult PingInitiator::PeerClosed() {
  if (failure_ != PingInitiatorResult::kOk) return failure_;
  return outstanding_ ? Fail(PingInitiatorResult::kTruncatedEcho) : PingInitiatorResult::kOk;
}

PingInitiatorResult PingInitiator::Fail(PingInitiatorResult result) {
  failure_ = result;
  outstanding_ = false;
  return result;
}

}  // namespace p2pquic::protocols
