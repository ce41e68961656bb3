#include "sim/sim_link.h"

namespace p2pquic::sim {

std::string SimLink::CheckInvariants() const {
  if (std::string broken = serializer_.CheckInvariants(); !broken.empty()) return broken;
  return loss_.CheckInvariants();
}

}  // namespace p2pquic::sim
