#include "transport/quic/connection/connection_observer.h"

namespace p2pquic {

const char* ToString(PathValidation result) {
  switch (result) {
    case PathValidation::kSucceeded:
      return "succeeded";
    case PathValidation::kFailed:
      return "failed";
    case PathValidation::kAborted:
      return "aborted";
  }
  return "unknown";
}

const char* ToString(PeerCidUse use) {
  switch (use) {
    case PeerCidUse::kActivated:
      return "activated";
    case PeerCidUse::kDeactivated:
      return "deactivated";
  }
  return "unknown";
}

}  // namespace p2pquic
