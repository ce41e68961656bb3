// TokenBucket: a rate limit that allows a burst. Tokens refill continuously
// at `per_second` up to `burst`; each answer takes one. The bucket starts
// full. A bucket whose rate is 0 never holds a token (the answer is off).
//
// Contract: time only moves forward for one bucket; an earlier `now` than
// the last one refills nothing (a clock that steps back cannot mint
// tokens). Check() refills and says whether a token is there; Take() spends
// it and may only follow a Check() that returned kAvailable (so that two
// buckets, a prefix's and the endpoint's, can be checked before either is
// spent).
#pragma once

#include <cstdint>

#include "transport/base/time.h"

namespace p2pquic {

class TokenBucket {
 public:
  struct Limit {
    uint32_t per_second = 0;
    uint32_t burst = 0;
  };
  enum class Level : uint8_t { kAvailable, kEmpty };

  TokenBucket() = default;
  explicit TokenBucket(const Limit& limit) { Reset(limit); }

  // Sets the limit and fills the bucket (an unused bucket is full).
  void Reset(const Limit& limit);
  // Refills for the time since the last Check and reports the level.
  Level Check(Timestamp now);
  void Take();

 private:
  Limit limit_;
  double tokens_ = 0;
  Timestamp refilled_at_ = Timestamp{};
};

}  // namespace p2pquic
