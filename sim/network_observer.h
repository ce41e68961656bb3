// NetworkObserver: told the fate of every copy of every datagram a
// SimNetwork carries (see DatagramEvent for which event comes when).
//
// Contract: called synchronously from inside the network (SendTo or the
// arrival event), before a delivered datagram reaches its socket; events come
// in the order the network decides fates. An observer must not add or remove
// observers from inside OnDatagram.
#pragma once

#include "sim/datagram_event.h"

namespace p2pquic::sim {

class NetworkObserver {
 public:
  virtual ~NetworkObserver() = default;
  virtual void OnDatagram(const DatagramEvent& event) = 0;
};

}  // namespace p2pquic::sim
