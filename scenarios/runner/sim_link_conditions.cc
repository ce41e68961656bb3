#include "scenarios/runner/sim_link_conditions.h"

namespace p2pquic::scenarios {
namespace {

constexpr uint64_t kBitsPerKilobit = 1000;

}  // namespace

uint64_t ToSimBandwidth(uint64_t kbps) { return kbps * kBitsPerKilobit; }

sim::LinkConditions ToSim(const LinkConditions& c) {
  sim::LinkConditions out;
  out.delay = c.delay;
  out.jitter = c.jitter;
  out.loss = c.loss;
  out.loss_burst = static_cast<double>(c.loss_burst);
  out.duplicate = c.duplicate;
  out.duplicate_delay = c.duplicate_delay;
  out.corrupt = c.corrupt;
  out.bandwidth_bps = ToSimBandwidth(c.bandwidth_kbps);
  out.queue_bytes = static_cast<size_t>(c.queue_bytes);
  out.mtu = static_cast<size_t>(c.mtu);
  return out;
}

}  // namespace p2pquic::scenarios
