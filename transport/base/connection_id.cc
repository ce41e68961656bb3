#include "transport/base/connection_id.h"

#include "transport/base/hex.h"

namespace p2pquic {

std::string ConnectionId::ToHex() const { return HexEncode(bytes()); }

}  // namespace p2pquic
