// DerKeyCodec: the DER forms libp2p uses inside its key protobufs, via
// OpenSSL: SubjectPublicKeyInfo (RSA and ECDSA public keys), PKCS#1
// RSAPrivateKey and SEC1 ECPrivateKey (private keys). Parsing takes untrusted
// bytes: trailing bytes and other algorithms are reported, never trusted.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <span>
#include <vector>

#include "transport/identity/key_status.h"
#include "transport/identity/openssl_handles.h"

namespace p2pquic {

class DerKeyCodec {
 public:
  // A DER SubjectPublicKeyInfo of any algorithm OpenSSL knows; the caller
  // checks the algorithm. kMalformedDer if it does not parse exactly.
  static KeyStatus ParseSpki(std::span<const uint8_t> der, UniqueEvpPkey* out);
  static KeyStatus EncodeSpki(const EVP_PKEY& key, std::vector<uint8_t>* out);

  // A DER private key in the algorithm's own format (`evp_type` EVP_PKEY_RSA:
  // PKCS#1; EVP_PKEY_EC: SEC1). kWrongAlgorithm if it decodes as another.
  static KeyStatus ParsePrivateKey(int evp_type, std::span<const uint8_t> der, UniqueEvpPkey* out);
  // The same format back. The caller owns the secret bytes in `out`.
  static KeyStatus EncodePrivateKey(const EVP_PKEY& key, std::vector<uint8_t>* out);

  // kOk for an RSA key of kMinRsaBits..kMaxRsaBits bits; kWrongAlgorithm for
  // other algorithms (RSA-PSS included: libp2p signs with PKCS#1 v1.5).
  static KeyStatus CheckRsa(const EVP_PKEY& key);
};

}  // namespace p2pquic
