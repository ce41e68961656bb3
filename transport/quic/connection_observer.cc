#include "transport/quic/connection_observer.h"

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

}  // namespace p2pquic
