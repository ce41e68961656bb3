// The application error code the protocol handlers here reset streams with.
// libp2p assigns no stream error codes; any nonzero value tells the peer
// the stream was aborted rather than finished. Same value as the host uses
// for a failed negotiation.
#pragma once

#include <cstdint>

namespace p2pquic {

inline constexpr uint64_t kStreamAbortCode = 1;

}  // namespace p2pquic
