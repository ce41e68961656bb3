// PrivateKey: a libp2p private key (RSA, Ed25519, secp256k1 or ECDSA P-256)
// that signs the way libp2p specifies (see public_key.h for the schemes), and
// its PublicKey. Move-only: it owns its OpenSSL key, and secrets should not
// be copied around. A default-constructed or moved-from PrivateKey is empty;
// Sign on it returns kEmptyKey.
//
// Randomness: Generate draws every secret bit from the injected Random, so a
// seeded Random gives the same key on every run (Ed25519: the 32-byte seed;
// secp256k1 and P-256: a scalar in [1, n-1] by rejection sampling). RSA keys
// cannot be made that way (OpenSSL draws the primes from its own DRBG);
// they come from //transport/runtime/openssl:rsa_key_generator and enter
// through FromOpenSslKey or Decode.
// Signing: Ed25519 and RSA PKCS#1 v1.5 signatures are deterministic.
// ECDSA and secp256k1 signatures take their nonce from OpenSSL's DRBG
// (OpenSSL 3.0 has no RFC 6979 mode), so their bytes differ between runs;
// secp256k1 signatures are put in low-S form, as bitcoin and js-libp2p need.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <span>
#include <vector>

#include "transport/identity/key_status.h"
#include "transport/identity/key_type.h"
#include "transport/identity/openssl_handles.h"
#include "transport/identity/public_key.h"
#include "transport/identity/signature_status.h"
#include "transport/runtime/random.h"

namespace p2pquic {

class PrivateKey {
 public:
  PrivateKey() = default;
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;
  PrivateKey(PrivateKey&&) noexcept = default;
  PrivateKey& operator=(PrivateKey&&) noexcept = default;

  // A fresh key of `type` from `random`. kRsaNeedsRuntime for kRsa.
  static KeyStatus Generate(KeyType type, Random& random, PrivateKey* out);

  // Decodes the libp2p PrivateKey protobuf (e.g. a key file's contents).
  // Errors name what was wrong; on error `out` is unchanged.
  static KeyStatus Decode(std::span<const uint8_t> protobuf, PrivateKey* out);

  // Builds a key from the protobuf's Data field for `type`:
  //   Ed25519    seed || public (64 bytes; also the bare 32-byte seed and the
  //              legacy seed || public || public), the embedded public key checked;
  //   secp256k1  a 32-byte big-endian scalar in [1, n-1];
  //   ECDSA      a DER SEC1 ECPrivateKey on P-256;
  //   RSA        a DER PKCS#1 RSAPrivateKey of kMinRsaBits..kMaxRsaBits.
  // DER keys must be consistent (public half matching the private one).
  static KeyStatus FromData(KeyType type, std::span<const uint8_t> data, PrivateKey* out);

  // Adopts an OpenSSL private key of a supported algorithm and size.
  static KeyStatus FromOpenSslKey(UniqueEvpPkey key, PrivateKey* out);

  bool empty() const { return key_ == nullptr; }
  KeyType type() const { return public_key_.type(); }
  const PublicKey& public_key() const { return public_key_; }

  // The libp2p PrivateKey protobuf (canonical: Ed25519 as seed || public).
  // `out` holds the secret; the caller should wipe it (OPENSSL_cleanse).
  KeyStatus Encode(std::vector<uint8_t>* out) const;
  // The Data field alone.
  KeyStatus EncodeData(std::vector<uint8_t>* out) const;

  SignStatus Sign(std::span<const uint8_t> message, std::vector<uint8_t>* signature) const;

  // The OpenSSL key, for TLS certificates. Null when empty.
  EVP_PKEY* openssl_key() const { return key_.get(); }

 private:
  UniqueEvpPkey key_;
  PublicKey public_key_;
};

}  // namespace p2pquic
