// WireTrace: the trace's view of the wire. A sim::NetworkObserver that
// writes one "net" line per datagram fate (which copy, from where to
// where, its size and what the network did with it).
//
// Contract: the writer and the network outlive it; the network calls it
// on the simulator's thread.
#pragma once

#include "scenarios/runner/trace_writer.h"
#include "sim/network_observer.h"
#include "sim/sim_network.h"

namespace p2pquic::scenarios {

class WireTrace final : public sim::NetworkObserver {
 public:
  WireTrace(TraceWriter& writer, const sim::SimNetwork& network)
      : writer_(writer), network_(network) {}
  void OnDatagram(const sim::DatagramEvent& e) override;

 private:
  TraceWriter& writer_;
  const sim::SimNetwork& network_;
};

}  // namespace p2pquic::scenarios
