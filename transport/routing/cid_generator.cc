#include "transport/routing/cid_generator.h"

namespace p2pquic {

const char* ToString(CidDrawResult result) {
  switch (result) {
    case CidDrawResult::kRegistered:
      return "registered";
    case CidDrawResult::kExhausted:
      return "every connection ID drawn collided with one in use";
    case CidDrawResult::kRefused:
      return "the registry refused the connection ID";
  }
  return "unknown";
}

CidDrawResult CidGenerator::Draw(Registrar registrar, ConnectionId* cid, uint32_t* collisions) {
  for (int draw = 0; draw < kMaxDraws; ++draw) {
    const ConnectionId fresh = minter().Mint(random_);
    switch (registrar(fresh)) {
      case CidRegistration::kRegistered:
        *cid = fresh;
        return CidDrawResult::kRegistered;
      case CidRegistration::kCollision:
        if (collisions != nullptr) ++*collisions;
        continue;
      case CidRegistration::kRefused:
        return CidDrawResult::kRefused;
    }
  }
  return CidDrawResult::kExhausted;
}

ConnectionId CidGenerator::DrawUnregistered(size_t length) {
  return RandomCidMinter(length).Mint(random_);
}

}  // namespace p2pquic
