// ConnectionHandle: how the registry names a connection. A handle is issued
// by ConnectionIdRegistry::OpenConnection and identifies one connection object
// for its whole life, whatever CIDs it uses (py-libp2p #1096 keyed by CID and
// promoted one connection twice). A handle to a removed connection is stale:
// its generation no longer matches and every call with it says so.
#pragma once

#include <cstdint>
#include <limits>
#include <utility>

namespace p2pquic {

struct ConnectionHandle {
  static constexpr uint32_t kInvalidIndex = std::numeric_limits<uint32_t>::max();

  uint32_t index = kInvalidIndex;
  uint32_t generation = 0;

  bool valid() const { return index != kInvalidIndex; }
  friend bool operator==(const ConnectionHandle&, const ConnectionHandle&) = default;

  template <typename H>
  friend H AbslHashValue(H h, const ConnectionHandle& c) {
    return H::combine(std::move(h), c.index, c.generation);
  }
};

enum class ConnectionPhase : uint8_t {
  kPending,      // Handshaking: reachable by its initial DCIDs and its own CIDs.
  // Handshake completed (Promote runs from ngtcp2's handshake_completed
  // callback); confirmation (HANDSHAKE_DONE) may still be a round trip away.
  kEstablished,
};

// Lifecycle of a CID this endpoint issued. "Removed" is absence.
enum class CidState : uint8_t {
  kIssued,    // Registered (and perhaps announced), not yet seen on the wire.
  kActive,    // The peer has sent to it.
  kRetiring,  // Retired; still routed until its grace window ends.
};
inline constexpr int kCidStateCount = 3;

const char* ToString(ConnectionPhase phase);
const char* ToString(CidState state);

}  // namespace p2pquic
