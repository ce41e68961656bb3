#include "scenarios/explore/wire_observer.h"

#include <algorithm>

namespace p2pquic::scenarios {

void WireObserver::OnDatagram(const sim::DatagramEvent& event) {
  if (next_ != nullptr) next_->OnDatagram(event);
  ++fates_[static_cast<size_t>(event.fate)];
  if (event.copy != 0) return;
  directions_[{event.from_host.value, event.to_host.value}].push_back(
      Sent{event.time, event.fate == sim::DatagramFate::kLost});
}

bool WireObserver::StarvedAt(Timestamp at) const {
  for (const auto& [direction, sent] : directions_) {
    // Deliveries are reported at arrival, drops at sending, so a
    // direction's list is only roughly in time order: take the latest
    // kStarvingLossRun before `at` by their times.
    std::vector<Sent> before;
    for (const Sent& s : sent) {
      if (s.at < at) before.push_back(s);
    }
    if (before.size() < kStarvingLossRun) continue;
    std::partial_sort(before.begin(), before.begin() + kStarvingLossRun, before.end(),
                      [](const Sent& a, const Sent& b) { return a.at > b.at; });
    if (std::all_of(before.begin(), before.begin() + kStarvingLossRun,
                    [](const Sent& s) { return s.lost; })) {
      return true;
    }
  }
  return false;
}

}  // namespace p2pquic::scenarios
