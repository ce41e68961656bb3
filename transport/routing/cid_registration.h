// CidRegistration: what registering a new CID of ours came to, as the
// registrar (the endpoint's registry) answers the CID generator.
#pragma once

#include <cstdint>

namespace p2pquic {

enum class CidRegistration : uint8_t {
  kRegistered,  // The registry holds it now: it may be announced.
  kCollision,   // The registry already holds that CID: draw another.
  kRefused,     // Refused for another reason (e.g. the connection's CID limit).
};

}  // namespace p2pquic
