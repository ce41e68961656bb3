// RsaKeyGenerator: makes RSA libp2p identity keys. The one place identity
// randomness comes from OpenSSL's own DRBG rather than the injected Random:
// OpenSSL 3.0 draws RSA primes from its DRBG and offers no way to hand it a
// byte source, so RSA keys can never be replayed from a seed. Everything
// else (Ed25519, secp256k1, ECDSA) is generated in the sans-I/O core by
// PrivateKey::Generate from the injected Random.
#pragma once

#include "transport/identity/key_status.h"
#include "transport/identity/private_key.h"

namespace p2pquic {

class RsaKeyGenerator {
 public:
  // go-libp2p's and js-libp2p's default size.
  static constexpr int kDefaultBits = 2048;

  // A fresh RSA key of `bits` bits (public exponent 65537). kRsaTooSmall or
  // kRsaTooLarge outside kMinRsaBits..kMaxRsaBits; kOpenSslError if OpenSSL
  // fails. Slow: 0.1-1 s for 2048 bits, much more for large keys.
  static KeyStatus Generate(int bits, PrivateKey* out);
};

}  // namespace p2pquic
