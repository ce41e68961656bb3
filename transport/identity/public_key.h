// PublicKey: a libp2p public key (RSA, Ed25519, secp256k1 or ECDSA P-256)
// that verifies signatures the way libp2p specifies them:
//   Ed25519    pure Ed25519 (RFC 8032) over the message;
//   secp256k1  ECDSA over SHA-256(message), DER-encoded (high and low S accepted);
//   ECDSA      ECDSA P-256 over SHA-256(message), DER-encoded;
//   RSA        RSASSA-PKCS1-v1_5 with SHA-256.
// Every PublicKey that decoded successfully is usable: construction does all
// the checking, so Encode, Data and equality cannot fail. A default-
// constructed PublicKey is empty (a placeholder to assign to); Verify on it
// returns kEmptyKey. Copies share the immutable OpenSSL key (reference
// counted), so copying is cheap and copies may be used from several threads.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <span>
#include <vector>

#include "transport/identity/key_status.h"
#include "transport/identity/key_type.h"
#include "transport/identity/openssl_handles.h"
#include "transport/identity/signature_status.h"

namespace p2pquic {

class PublicKey {
 public:
  PublicKey() = default;
  PublicKey(const PublicKey& other);
  PublicKey& operator=(const PublicKey& other);
  PublicKey(PublicKey&&) noexcept = default;
  PublicKey& operator=(PublicKey&&) noexcept = default;

  // Decodes the libp2p PublicKey protobuf (untrusted input). Errors name what
  // was wrong (see KeyStatus); on error `out` is unchanged.
  static KeyStatus Decode(std::span<const uint8_t> protobuf, PublicKey* out);

  // Builds a key from the protobuf's Data field for `type`:
  //   Ed25519 32 raw bytes; secp256k1 a 33-byte compressed point;
  //   ECDSA and RSA a DER SubjectPublicKeyInfo (RSA of kMinRsaBits..kMaxRsaBits).
  static KeyStatus FromData(KeyType type, std::span<const uint8_t> data, PublicKey* out);

  // Wraps an OpenSSL public (or private: only the public half is used) key,
  // e.g. one taken from a certificate. Checks it as FromData would.
  static KeyStatus FromOpenSslKey(const EVP_PKEY& key, PublicKey* out);

  bool empty() const { return key_ == nullptr; }
  KeyType type() const { return type_; }

  // The canonical libp2p PublicKey protobuf: what peer IDs are made of.
  std::vector<uint8_t> Encode() const;
  // The Data field alone (the per-type encoding above).
  const std::vector<uint8_t>& data() const { return data_; }

  SignatureStatus Verify(std::span<const uint8_t> message,
                         std::span<const uint8_t> signature) const;

  // The OpenSSL key, for building certificates and TLS checks. Null when empty.
  EVP_PKEY* openssl_key() const { return key_.get(); }

  // Same type and same encoded key.
  friend bool operator==(const PublicKey& a, const PublicKey& b) {
    return a.type_ == b.type_ && a.data_ == b.data_;
  }

 private:
  KeyType type_ = KeyType::kEd25519;
  UniqueEvpPkey key_;
  std::vector<uint8_t> data_;
};

}  // namespace p2pquic
