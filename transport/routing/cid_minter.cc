#include "transport/routing/cid_minter.h"

#include <algorithm>

namespace p2pquic {

const char* ToString(CidProvenance provenance) {
  switch (provenance) {
    case CidProvenance::kMaybeMinted:
      return "maybe-minted";
    case CidProvenance::kNotMinted:
      return "not-minted";
  }
  return "unknown";
}

CidProvenance RandomCidMinter::Provenance(const ConnectionId& cid) const {
  return cid.size() == length_ ? CidProvenance::kMaybeMinted : CidProvenance::kNotMinted;
}

ConnectionId RandomCidMinter::Mint(Random& random) const {
  uint8_t bytes[kMaxConnectionIdLength];
  const size_t length = std::min(length_, kMaxConnectionIdLength);
  random.Fill({bytes, length});
  ConnectionId cid;
  ConnectionId::FromBytes({bytes, length}, &cid);
  return cid;
}

}  // namespace p2pquic
