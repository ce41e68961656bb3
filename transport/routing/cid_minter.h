// CidMinter: what the bytes of a CID this endpoint issues look like. The
// CidGenerator owns registration and the collision retry; a minter only
// makes candidates (quinn's ConnectionIdGenerator, QUICHE's
// ConnectionIdGeneratorInterface). The default is uniform random bytes; a
// multi-worker server mints QUIC-LB CIDs that say which worker owns the
// connection (quic_lb_cid_minter.h), so the kernel or a load balancer can
// steer a datagram by its DCID alone.
//
// Contract: Mint returns a CID of exactly length() bytes (0..20) and draws
// every unpredictable byte from `random` (the sans-I/O rule: no randomness
// of its own). A minter is immutable once built, so one may serve several
// generators and threads.
#pragma once

#include <cstddef>

#include "transport/base/connection_id.h"
#include "transport/runtime/random.h"

namespace p2pquic {

class CidMinter {
 public:
  virtual ~CidMinter() = default;
  virtual size_t length() const = 0;
  virtual ConnectionId Mint(Random& random) const = 0;
};

// length() uniformly random bytes.
class RandomCidMinter final : public CidMinter {
 public:
  explicit RandomCidMinter(size_t length) : length_(length) {}
  size_t length() const override { return length_; }
  ConnectionId Mint(Random& random) const override;

 private:
  size_t length_;
};

}  // namespace p2pquic
