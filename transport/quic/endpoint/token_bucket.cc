#include "transport/quic/endpoint/token_bucket.h"

#include <algorithm>
#include <cassert>
#include <chrono>

namespace p2pquic {

void TokenBucket::Reset(const Limit& limit) {
  limit_ = limit;
  tokens_ = limit.per_second == 0 ? 0 : limit.burst;
  refilled_at_ = Timestamp{};
}

TokenBucket::Level TokenBucket::Check(Timestamp now) {
  if (now > refilled_at_) {
    const double elapsed = std::chrono::duration<double>(now - refilled_at_).count();
    tokens_ = std::min<double>(limit_.burst, tokens_ + elapsed * limit_.per_second);
    refilled_at_ = now;
  }
  return tokens_ >= 1 ? Level::kAvailable : Level::kEmpty;
}

void TokenBucket::Take() {
  assert(tokens_ >= 1);
  tokens_ -= 1;
}

}  // namespace p2pquic
