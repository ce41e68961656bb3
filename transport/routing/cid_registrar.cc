#include "transport/routing/cid_registrar.h"

namespace p2pquic {

const char* ToString(CidEntryResult entry) {
  switch (entry) {
    case CidEntryResult::kEntered:
      return "entered";
    case CidEntryResult::kDeferred:
      return "deferred";
    case CidEntryResult::kCollision:
      return "collision";
    case CidEntryResult::kRefused:
      return "refused";
  }
  return "?";
}

CidEntryResult ImmediateCidRegistrar::Register(ConnectionIdRegistry& registry,
                                               ConnectionHandle connection, const ConnectionId& cid,
                                               uint64_t sequence, Listener&) {
  switch (registry.IssueCid(connection, cid, sequence)) {
    case RegistryResult::kOk:
    case RegistryResult::kAlreadyDone:
      return CidEntryResult::kEntered;
    case RegistryResult::kCidCollision:
      return CidEntryResult::kCollision;
    case RegistryResult::kUnknownConnection:
    case RegistryResult::kTokenCollision:
    case RegistryResult::kCidLengthMismatch:
    case RegistryResult::kSequenceReused:
    case RegistryResult::kSequenceAlreadyRetired:
    case RegistryResult::kUnknownSequence:
    case RegistryResult::kInitialDcidTooShort:
    case RegistryResult::kLimitExceeded:
    case RegistryResult::kNotFound:
      return CidEntryResult::kRefused;
  }
  return CidEntryResult::kRefused;
}

}  // namespace p2pquic
