#include "transport/identity/key_status.h"

namespace p2pquic {

const char* ToString(KeyStatus status) {
  switch (status) {
    case KeyStatus::kOk:
      return "ok";
    case KeyStatus::kTooLarge:
      return "encoded key is larger than any supported key";
    case KeyStatus::kMalformedProtobuf:
      return "not a libp2p key protobuf";
    case KeyStatus::kMissingField:
      return "key protobuf lacks its Type or Data field";
    case KeyStatus::kUnknownKeyType:
      return "unknown key type (libp2p defines RSA=0, Ed25519=1, Secp256k1=2, ECDSA=3)";
    case KeyStatus::kBadLength:
      return "key data has the wrong length for its key type";
    case KeyStatus::kEd25519PublicMismatch:
      return "Ed25519 private key embeds a public key that is not its own";
    case KeyStatus::kInvalidPoint:
      return "public key is not a valid point on its curve";
    case KeyStatus::kInvalidScalar:
      return "private scalar is zero or not below the curve order";
    case KeyStatus::kMalformedDer:
      return "key data is not well-formed DER of the expected structure";
    case KeyStatus::kWrongAlgorithm:
      return "key data holds a key of another algorithm than its key type";
    case KeyStatus::kUnsupportedCurve:
      return "unsupported ECDSA curve (only P-256 is supported)";
    case KeyStatus::kRsaTooSmall:
      return "RSA key is smaller than 2048 bits";
    case KeyStatus::kRsaTooLarge:
      return "RSA key is larger than 8192 bits";
    case KeyStatus::kInconsistentKey:
      return "private and public parts of the key do not belong together";
    case KeyStatus::kRsaNeedsRuntime:
      return "RSA keys cannot be generated from the injected Random; use RsaKeyGenerator";
    case KeyStatus::kRandomRejected:
      return "the random source kept producing out-of-range private scalars";
    case KeyStatus::kEmptyKey:
      return "empty key (default-constructed)";
    case KeyStatus::kOpenSslError:
      return "OpenSSL failed";
  }
  return "unknown key status";
}

}  // namespace p2pquic
