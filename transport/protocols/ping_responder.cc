#include "transport/protocols/ping_responder.h"

#include <algorithm>

namespace p2pquic::protocols {

const char* ToString(PingResponderResult result) {
  switch (result) {
    case PingResponderResult::kClean:
      return "clean";
    case PingResponderResult::kPartialPayload:
      return "stream ended inside a ping payload";
  }
  return "unknown";
}

std::vector<uint8_t> PingResponder::Feed(std::span<const uint8_t> in) {
  std::vector<uint8_t> echo;
  echo.reserve((partial_bytes_ + in.size()) / kPingPayloadBytes * kPingPayloadBytes);
  while (!in.empty()) {
    const size_t take = std::min(in.size(), kPingPayloadBytes - partial_bytes_);
    std::copy_n(in.begin(), take, partial_.begin() + partial_bytes_);
    partial_bytes_ += take;
    in = in.subspan(take);
    if (partial_bytes_ < kPingPayloadBytes) break;
    echo.insert(echo.end(), partial_.begin(), partial_.end());
    partial_bytes_ = 0;
    ++echoed_payloads_;
  }
  return echo;
}

PingResponderResult PingResponder::Finish() const {
  return partial_bytes_ == 0 ? PingResponderResult::kClean : PingResponderResult::kPartialPayload;
}

}  // namespace p2pquic::protocols
