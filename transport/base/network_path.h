// NetworkPath: the two ends of a UDP path as QUIC sees them.
#pragma once

#include "transport/base/socket_address.h"

namespace p2pquic {

struct NetworkPath {
  SocketAddress local;
  SocketAddress remote;
  friend bool operator==(const NetworkPath&, const NetworkPath&) = default;
};

}  // namespace p2pquic
