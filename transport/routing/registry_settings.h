// RegistrySettings: every limit and policy of ConnectionIdRegistry.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "transport/base/time.h"

namespace p2pquic {

// Source of nanosecond readings for debug operation timings. The registry
// never reads a clock itself (sans-I/O); a runtime hands one in.
class OperationTimer {
 public:
  virtual ~OperationTimer() = default;
  virtual uint64_t NowNanos() = 0;
};

// RFC 9000 §7.2: a client's first Initial DCID is at least 8 bytes.
inline constexpr size_t kMinInitialDcidLength = 8;
// RFC 9000 §10.3: a stateless reset is at least 21 bytes (5 + 16).
inline constexpr size_t kMinStatelessResetLength = 21;

struct RegistrySettings {
  // Length of the CIDs this endpoint issues; short headers are parsed with
  // it. 0 means zero-length CIDs: routing by 4-tuple only.
  size_t local_cid_length = 8;
  // How long a retired CID still routes (late, reordered packets). quinn
  // uses 0, quic-go 3xPTO, s2n-quic 3xSRTT; we default to 3x the initial
  // PTO of RFC 9002 (333 ms). Zero removes retired CIDs at once.
  Duration retired_cid_grace = std::chrono::milliseconds(999);
  // CIDs a connection may hold at once (issued + active + retiring).
  size_t max_cids_per_connection = 16;
  // Client-chosen DCIDs per connection (the first, and one after Retry).
  size_t max_initial_dcids_per_connection = 2;
  // 4-tuples per connection (one per validated path).
  size_t max_addresses_per_connection = 4;
  // Peer stateless reset tokens per connection.
  size_t max_reset_tokens_per_connection = 16;
  // When set, operation timings are recorded into stats (debug only).
  OperationTimer* debug_timer = nullptr;
};

}  // namespace p2pquic
