// PathMtuFallback: a connection's answer to path MTU black holes (RFC 8899
// §4.3, RFC 9000 §14.3). ngtcp2 0.12.1's PMTUD only ever raises a path's
// datagram size; when the path later drops datagrams of that size, every
// packet and every PTO probe is lost and the connection stalls until its
// idle timeout. This class decides when that has happened and for how long
// the connection writes at QUIC's base size instead.
//
// The rule: after a timer, if datagrams go out above kBaseDatagramSize and
// kBlackHolePtos PTOs in a row have expired, the path is a black hole: the
// mode becomes kBaseFallback, Cap() holds every datagram at the base size,
// and the fallback is counted (black_holes()). After raise_interval the cap
// lifts (kProbed): ngtcp2 0.12.1 cannot restart PMTUD on the same path, so
// its own full-size packets are the probe, and a black hole still there is
// detected again on the same timer or a later one. A long outage looks the
// same (every packet lost) and also falls back; the cost is smaller
// datagrams until the raise.
//
// It knows nothing of ngtcp2: the connection samples the probed size and
// the PTO count and hands them in, reports a fallback (OnTimer returns
// kFellBack) and wakes it at raise_at().
//
// Contract: single-threaded, owned by one connection; never reads a clock.
#pragma once

#include <cstddef>
#include <cstdint>

#include "transport/base/time.h"
#include "transport/quic/connection/connection_results.h"

namespace p2pquic {

// What one OnTimer did to the path's datagram size.
enum class PathMtuStep : uint8_t {
  kUnchanged,  // No black hole, and no fallback was due to end.
  kRaised,     // A fallback ended; the probed size applies again.
  kFellBack,   // A black hole: writes are capped at the base size from now.
};

class PathMtuFallback {
 public:
  // QUIC's smallest datagram size, which every path must carry (RFC 9000
  // §14): the base size a black hole falls back to.
  static constexpr size_t kBaseDatagramSize = 1200;
  // PTOs in a row, above the base size, that mean a black hole: RFC 8899's
  // MAX_PROBES (3). Fewer would mistake a tail loss and its lost probe for one.
  static constexpr size_t kBlackHolePtos = 3;

  // `raise_interval`: how long a fallback lasts (QuicConfig::pmtu_raise_interval).
  explicit PathMtuFallback(Duration raise_interval) : raise_interval_(raise_interval) {}

  // After the connection's timers ran at `now`: ends a fallback that is due,
  // then (in either mode) falls back if `probed_size` (the size PMTUD
  // reached) is above the base size and `pto_count` (PTOs in a row) has
  // reached kBlackHolePtos. A due raise and a black hole still there give
  // kFellBack, with a fresh raise_interval.
  PathMtuStep OnTimer(Timestamp now, size_t probed_size, size_t pto_count);

  // The largest datagram to write, given the largest the connection could.
  size_t Cap(size_t limit) const;

  PathMtuMode mode() const { return mode_; }
  // When the fallback ends; Timestamp::max() while kProbed.
  Timestamp raise_at() const { return raise_at_; }
  // Black holes detected so far.
  uint64_t black_holes() const { return black_holes_; }

 private:
  Duration raise_interval_;
  PathMtuMode mode_ = PathMtuMode::kProbed;
  Timestamp raise_at_ = Timestamp::max();  // While kBaseFallback.
  uint64_t black_holes_ = 0;
};

}  // namespace p2pquic
