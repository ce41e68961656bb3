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
    const ConnectionId fresh = DrawUnregistered(length_);
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
  uint8_t bytes[kMaxConnectionIdLength];
  random_.Fill({bytes, length});
  ConnectionId cid;
  ConnectionId::FromBytes({bytes, length}, &cid);
  return cid;
}

}  // namespace p2pquic
