#include "sim/network_result.h"

namespace p2pquic::sim {

const char* ToString(NetworkResult result) {
  switch (result) {
    case NetworkResult::kOk:
      return "ok";
    case NetworkResult::kUnknownHost:
      return "unknown host";
    case NetworkResult::kUnspecifiedAddress:
      return "unspecified address";
    case NetworkResult::kFamilyMismatch:
      return "address family mismatch";
    case NetworkResult::kAddressTaken:
      return "address taken";
    case NetworkResult::kAddressNotOwned:
      return "address not owned by the host";
    case NetworkResult::kAddressInUse:
      return "address in use";
    case NetworkResult::kNoFreePort:
      return "no free port";
    case NetworkResult::kAlreadyMapped:
      return "already mapped";
    case NetworkResult::kNoMapping:
      return "no NAT mapping";
    case NetworkResult::kPoolExhausted:
      return "NAT address pool exhausted";
    case NetworkResult::kBadPartition:
      return "bad partition";
    case NetworkResult::kUnknownPartition:
      return "unknown partition";
    case NetworkResult::kAlreadyBlackholed:
      return "already blackholed";
    case NetworkResult::kNotBlackholed:
      return "not blackholed";
    case NetworkResult::kUnknownObserver:
      return "unknown observer";
    case NetworkResult::kBadConditions:
      return "bad link conditions";
    case NetworkResult::kBadBottleneck:
      return "bad shared bottleneck";
    case NetworkResult::kMessageTooLong:
      return "message too long";
    case NetworkResult::kDirectionTaken:
      return "direction already in a shared bottleneck";
  }
  return "unknown";
}

}  // namespace p2pquic::sim
