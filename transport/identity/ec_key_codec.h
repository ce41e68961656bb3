// EcKeyCodec: the elliptic-curve plumbing behind libp2p's secp256k1 and
// ECDSA (P-256) keys, on OpenSSL 3's provider API (EVP_PKEY_fromdata; no
// deprecated EC_KEY). Builds keys from raw scalars and points, reads them
// back, and puts secp256k1 signatures in the low-S form bitcoin (BIP 62) and
// noble-secp256k1 require. Inputs may be untrusted: bad scalars and points
// are reported, never trusted.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "transport/identity/key_limits.h"
#include "transport/identity/key_status.h"
#include "transport/identity/openssl_handles.h"
#include "transport/runtime/random.h"

namespace p2pquic {

enum class EcCurve : uint8_t { kSecp256k1, kP256 };

using EcScalar = std::array<uint8_t, kEcScalarBytes>;

class EcKeyCodec {
 public:
  // Draws a uniform scalar in [1, n-1] from `random` by rejection sampling
  // (deterministic for a deterministic Random). kRandomRejected if the
  // source produced only out-of-range values for kMaxScalarDraws tries.
  static constexpr int kMaxScalarDraws = 64;
  static KeyStatus RandomScalar(EcCurve curve, Random& random, EcScalar* out);

  // A key pair from a big-endian scalar; the public point is derived.
  // kBadLength unless kEcScalarBytes long, kInvalidScalar unless in [1, n-1].
  static KeyStatus KeyPairFromScalar(EcCurve curve, std::span<const uint8_t> scalar,
                                     UniqueEvpPkey* out);

  // A public key from an encoded point (compressed or uncompressed).
  // kInvalidPoint unless it is a finite point on `curve`.
  static KeyStatus PublicKeyFromPoint(EcCurve curve, std::span<const uint8_t> point,
                                      UniqueEvpPkey* out);

  // Which supported curve `key` is on: kWrongAlgorithm for a non-EC key,
  // kUnsupportedCurve for other curves.
  static KeyStatus CurveOf(const EVP_PKEY& key, EcCurve* out);

  // The public point of an EC key of a supported curve, compressed (33 bytes).
  static KeyStatus CompressedPoint(const EVP_PKEY& key, std::vector<uint8_t>* out);

  // The private scalar of an EC key, big-endian, zero-padded.
  static KeyStatus ScalarOf(const EVP_PKEY& key, EcScalar* out);

  // Rewrites a DER ECDSA signature (r, s) with s > n/2 as (r, n - s): the
  // same signature in its low-S form. kMalformedDer if it does not parse.
  static KeyStatus NormalizeLowS(EcCurve curve, std::vector<uint8_t>* der_signature);
};

}  // namespace p2pquic
