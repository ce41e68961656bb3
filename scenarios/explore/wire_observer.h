// WireObserver: what the explorer learns from the wire of one run: how
// many datagrams met each fate (the coverage report's fault kinds), and,
// per direction (sending host, receiving host), the fate of every
// original datagram, so a property can ask whether
// the link's loss process alone starved a transfer: whether, at an
// instant, the last kStarvingLossRun datagrams sent that way were all lost
// by the loss process. Bursty loss is a chain over datagrams, not time,
// and RFC 9002 doubles the probe timeout after each lost probe, so a run
// of a dozen lost probes can span tens of seconds. A transport that stalls
// sends nothing, or sends datagrams that arrive, and is never excused.
//
// Contract: a sim::NetworkObserver for one run; single-threaded.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "sim/network_observer.h"
#include "transport/base/time.h"

namespace p2pquic::scenarios {

class WireObserver : public sim::NetworkObserver {
 public:
  // At the generator's worst (8% loss, mean burst 3), six datagrams in a
  // row lost at the end of a healthy transfer is rarer than one in 10^3
  // per burst.
  static constexpr uint64_t kStarvingLossRun = 6;

  void OnDatagram(const sim::DatagramEvent& event) override;
  // Also hands every datagram to `next` (e.g. a pcap writer); null: none.
  void Forward(sim::NetworkObserver* next) { next_ = next; }

  // Whether some direction's last kStarvingLossRun datagrams sent before
  // `at` were all lost by the loss process.
  bool StarvedAt(Timestamp at) const;
  // Datagrams (copies included) by sim::DatagramFate.
  const std::array<uint64_t, sim::kDatagramFateCount>& fates() const { return fates_; }

 private:
  struct Sent {
    Timestamp at;
    bool lost = false;
  };
  std::map<std::pair<uint32_t, uint32_t>, std::vector<Sent>> directions_;
  std::array<uint64_t, sim::kDatagramFateCount> fates_{};
  sim::NetworkObserver* next_ = nullptr;
};

}  // namespace p2pquic::scenarios
