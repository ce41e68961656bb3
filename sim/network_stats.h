// NetworkStats: what a SimNetwork has done with the datagrams it was given.
// Every copy is counted once, under its final fate, when it gets one, so
//   sent + duplicated == sum(fates) + copies still in flight.
#pragma once

#include <array>
#include <cstdint>
#include <numeric>

#include "sim/datagram_event.h"

namespace p2pquic::sim {

struct NetworkStats {
  uint64_t sent = 0;        // Datagrams SendTo put on the network.
  uint64_t duplicated = 0;  // Extra copies links made.
  uint64_t corrupted = 0;   // Copies with a byte flipped (delivered or dropped later).
  // Sends a socket refused with kWouldBlock (its send buffer was full). Not
  // datagrams of the network: nothing was sent, so no fate, no draw.
  uint64_t would_block = 0;
  std::array<uint64_t, kDatagramFateCount> fates{};  // Indexed by DatagramFate.

  uint64_t count(DatagramFate fate) const { return fates[static_cast<size_t>(fate)]; }
  // Copies that reached a socket: kDelivered + kDuplicate + kCorrupted.
  uint64_t delivered() const {
    return count(DatagramFate::kDelivered) + count(DatagramFate::kDuplicate) +
           count(DatagramFate::kCorrupted);
  }
  uint64_t finished() const { return std::accumulate(fates.begin(), fates.end(), uint64_t{0}); }
};

}  // namespace p2pquic::sim
