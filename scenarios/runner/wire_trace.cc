#include "scenarios/runner/wire_trace.h"

namespace p2pquic::scenarios {

void WireTrace::OnDatagram(const sim::DatagramEvent& e) {
  writer_.Write(network_.HostName(e.from_host), "net",
                {{"n", e.datagram},
                 {"copy", e.copy},
                 {"from", e.delivered_from.ToString()},
                 {"to", e.delivered_to.ToString()},
                 {"size", e.size},
                 {"fate", sim::ToString(e.fate)}});
}

}  // namespace p2pquic::scenarios
