// Results of signing and of checking a signature with a libp2p key.
#pragma once

#include <cstdint>

namespace p2pquic {

enum class SignStatus : uint8_t {
  kOk,
  kEmptyKey,      // A default-constructed PrivateKey.
  kOpenSslError,  // OpenSSL failed (out of memory, or an internal error).
};

const char* ToString(SignStatus status);

enum class SignatureStatus : uint8_t {
  kValid,
  kMalformed,     // Not shaped like a signature of this key type (length, DER).
  kMismatch,      // Well-formed, but not a signature of this message by this key.
  kEmptyKey,      // A default-constructed PublicKey.
  kOpenSslError,  // OpenSSL failed before checking; treat as not valid.
};

const char* ToString(SignatureStatus status);

}  // namespace p2pquic
