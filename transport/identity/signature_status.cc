#include "transport/identity/signature_status.h"

namespace p2pquic {

const char* ToString(SignStatus status) {
  switch (status) {
    case SignStatus::kOk:
      return "ok";
    case SignStatus::kEmptyKey:
      return "cannot sign with an empty key";
    case SignStatus::kOpenSslError:
      return "OpenSSL failed to sign";
  }
  return "unknown sign status";
}

const char* ToString(SignatureStatus status) {
  switch (status) {
    case SignatureStatus::kValid:
      return "valid";
    case SignatureStatus::kMalformed:
      return "signature is malformed for this key type";
    case SignatureStatus::kMismatch:
      return "signature does not match the message and key";
    case SignatureStatus::kEmptyKey:
      return "cannot verify with an empty key";
    case SignatureStatus::kOpenSslError:
      return "OpenSSL failed while verifying (not valid)";
  }
  return "unknown signature status";
}

}  // namespace p2pquic
