// Keys the identity code must refuse or convert, made with OpenSSL's own
// generator (tests may use OpenSSL's randomness; the code under test may not).
#pragma once

#include "transport/identity/openssl_handles.h"

namespace p2pquic::test {

UniqueEvpPkey RsaKey(size_t bits);
UniqueEvpPkey EcKey(const char* curve);  // "P-256", "P-384", "secp256k1", ...
UniqueEvpPkey X25519Key();
// An RSA public key with a modulus of `bits` bits (not a real key: fast).
UniqueEvpPkey RsaPublicKeyOfBits(int bits);

}  // namespace p2pquic::test
