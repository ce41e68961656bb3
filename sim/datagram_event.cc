#include "sim/datagram_event.h"

namespace p2pquic::sim {

const char* ToString(DatagramFate fate) {
  switch (fate) {
    case DatagramFate::kDelivered:
      return "delivered";
    case DatagramFate::kLost:
      return "lost";
    case DatagramFate::kQueueFull:
      return "queue full";
    case DatagramFate::kTooBig:
      return "too big";
    case DatagramFate::kPartitioned:
      return "partitioned";
    case DatagramFate::kBlackholed:
      return "blackholed";
    case DatagramFate::kUnroutable:
      return "unroutable";
    case DatagramFate::kNoNatMapping:
      return "no NAT mapping";
    case DatagramFate::kDuplicate:
      return "duplicate";
    case DatagramFate::kCorrupted:
      return "corrupted";
  }
  return "unknown";
}

bool IsDelivery(DatagramFate fate) {
  return fate == DatagramFate::kDelivered || fate == DatagramFate::kDuplicate ||
         fate == DatagramFate::kCorrupted;
}

}  // namespace p2pquic::sim
