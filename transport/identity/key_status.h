// KeyStatus: why a libp2p key could not be decoded, built or generated.
// Every decoder of untrusted bytes reports one of these; none crashes.
#pragma once

#include <cstdint>

namespace p2pquic {

enum class KeyStatus : uint8_t {
  kOk,
  kTooLarge,               // Input over kMaxEncodedKeyBytes.
  kMalformedProtobuf,      // Not a PublicKey/PrivateKey protobuf.
  kMissingField,           // The protobuf lacks its required Type or Data.
  kUnknownKeyType,         // Type is not RSA, Ed25519, Secp256k1 or ECDSA.
  kBadLength,              // Raw key data of the wrong size for its type.
  kEd25519PublicMismatch,  // A private key whose embedded public key is not its own.
  kInvalidPoint,           // Not a valid point on the key's curve.
  kInvalidScalar,          // A private scalar of 0 or >= the curve order.
  kMalformedDer,           // Not well-formed DER of the expected structure (or trailing bytes).
  kWrongAlgorithm,         // Well-formed DER, but a key of another algorithm.
  kUnsupportedCurve,       // ECDSA on a curve other than P-256.
  kRsaTooSmall,            // RSA modulus below kMinRsaBits.
  kRsaTooLarge,            // RSA modulus above kMaxRsaBits.
  kInconsistentKey,        // Private and public halves do not belong together.
  kRsaNeedsRuntime,        // RSA cannot be generated from Random: use RsaKeyGenerator.
  kRandomRejected,         // The Random kept producing out-of-range scalars.
  kEmptyKey,               // A default-constructed key was used.
  kOpenSslError,           // OpenSSL failed (out of memory, or an internal error).
};

const char* ToString(KeyStatus status);

}  // namespace p2pquic
