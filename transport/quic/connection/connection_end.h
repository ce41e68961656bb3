// ConnectionEnd: how a connection ended, as an Endpoint tells its delegate
// and tracer when it removes the connection.
#pragma once

#include <string>

#include "transport/base/connection_id.h"
#include "transport/quic/connection/close_cause.h"

namespace p2pquic {

struct ConnectionEnd {
  CloseCause cause = CloseCause::kLocalClose;
  // For people: "closed locally with code 0", "idle timeout", ...
  std::string reason;
  // The DCID of the client's first Initial: the same on both ends, so the
  // two peers' records (and qlogs, which name a connection by it) of one
  // connection can be matched. Empty if the connection could not be created.
  ConnectionId original_dcid;
};

}  // namespace p2pquic
