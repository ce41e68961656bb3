// CidMinter: what the bytes of a CID this endpoint issues look like. The
// CidGenerator owns registration and the collision retry; a minter only
// makes candidates (quinn's ConnectionIdGenerator, QUICHE's
// ConnectionIdGeneratorInterface). The default is uniform random bytes; a
// multi-worker server mints QUIC-LB CIDs that say which worker owns the
// connection (quic_lb_cid_minter.h), so the kernel or a load balancer can
// steer a datagram by its DCID alone.
//
// Provenance says whether a CID could be one this minter made: a stateless
// reset (RFC 9000 §10.3) is only worth sending for a DCID some connection of
// ours may have issued, and a spray of junk short headers must not spend the
// reset budget that peers who lost their state need. Random CIDs cannot be
// told from junk (any CID of the right length may be ours); QUIC-LB CIDs
// can: the config bits and the host's server ID must match.
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

enum class CidProvenance : uint8_t {
  kMaybeMinted,  // This minter (or one of its group) may have made it.
  kNotMinted,    // It cannot have: wrong length, config or host.
};
const char* ToString(CidProvenance provenance);

class CidMinter {
 public:
  virtual ~CidMinter() = default;
  virtual size_t length() const = 0;
  virtual ConnectionId Mint(Random& random) const = 0;
  virtual CidProvenance Provenance(const ConnectionId& cid) const = 0;
};

// length() uniformly random bytes.
class RandomCidMinter final : public CidMinter {
 public:
  explicit RandomCidMinter(size_t length) : length_(length) {}
  size_t length() const override { return length_; }
  ConnectionId Mint(Random& random) const override;
  // kMaybeMinted for every CID of length() bytes.
  CidProvenance Provenance(const ConnectionId& cid) const override;

 private:
  size_t length_;
};

}  // namespace p2pquic
