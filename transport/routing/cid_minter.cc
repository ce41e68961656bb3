#include "transport/routing/cid_minter.h"

#include <algorithm>

namespace p2pquic {

ConnectionId RandomCidMinter::Mint(Random& random) const {
  uint8_t bytes[kMaxConnectionIdLength];
  const size_t length = std::min(length_, kMaxConnectionIdLength);
  random.Fill({bytes, length});
  ConnectionId cid;
  ConnectionId::FromBytes({bytes, length}, &cid);
  return cid;
}

}  // namespace p2pquic
