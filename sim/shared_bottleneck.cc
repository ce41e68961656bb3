#include "sim/shared_bottleneck.h"

namespace p2pquic::sim {

std::string SharedBottleneck::CheckInvariants() const {
  if (directions_.empty()) return "a shared bottleneck without directions";
  if (bandwidth_bps_ == 0) return "a shared bottleneck without a bandwidth";
  if (queued_bytes() > queue_bytes_) return "a shared bottleneck holds more than its queue";
  return serializer_.CheckInvariants();
}

}  // namespace p2pquic::sim
