#include "transport/connection_id.h"

#include "transport/hex.h"

namespace p2pquic {

std::string ConnectionId::ToHex() const { return HexEncode(bytes()); }

}  // namespace p2pquic
