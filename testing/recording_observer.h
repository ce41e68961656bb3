// RecordingObserver: keeps every DatagramEvent a SimNetwork reports, with a
// copy of its payload, so tests can assert on fates, order and addresses.
#pragma once

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "sim/network_observer.h"

namespace p2pquic::testing {

struct RecordedEvent {
  sim::DatagramEvent event;  // payload cleared: `bytes` holds its copy.
  std::vector<uint8_t> bytes;
};

class RecordingObserver final : public sim::NetworkObserver {
 public:
  void OnDatagram(const sim::DatagramEvent& event) override {
    events.push_back({event, {event.payload.begin(), event.payload.end()}});
    events.back().event.payload = {};
  }

  size_t Count(sim::DatagramFate fate) const {
    return static_cast<size_t>(std::count_if(events.begin(), events.end(),
                                             [&](const auto& e) { return e.event.fate == fate; }));
  }
  // The events of one fate, in report order.
  std::vector<RecordedEvent> Of(sim::DatagramFate fate) const {
    std::vector<RecordedEvent> out;
    for (const auto& e : events) {
      if (e.event.fate == fate) out.push_back(e);
    }
    return out;
  }
  // Every field of every event, one line each: equal runs give equal lines.
  std::vector<std::string> Lines() const {
    std::vector<std::string> lines;
    for (const auto& [e, bytes] : events) {
      std::ostringstream line;
      line << e.time.time_since_epoch().count() << ' ' << e.datagram << '/' << int{e.copy} << ' '
           << e.from_host.value << "->" << e.to_host.value << ' ' << e.from.ToString() << "->"
           << e.to.ToString() << ' ' << e.delivered_from.ToString() << "->"
           << e.delivered_to.ToString() << ' ' << e.size << ' ' << ToString(e.fate) << ' ';
      for (uint8_t b : bytes) line << int{b} << ',';
      lines.push_back(line.str());
    }
    return lines;
  }

  std::vector<RecordedEvent> events;
};

}  // namespace p2pquic::testing
