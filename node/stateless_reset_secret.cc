#include "node/stateless_reset_secret.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>

#include <algorithm>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace p2pquic::node {
namespace {

struct KdfFree {
  void operator()(EVP_KDF* kdf) const { EVP_KDF_free(kdf); }
};
struct KdfCtxFree {
  void operator()(EVP_KDF_CTX* ctx) const { EVP_KDF_CTX_free(ctx); }
};

// Wipes the encoded key however the derivation ends.
struct WipedBytes {
  std::vector<uint8_t> bytes;
  ~WipedBytes() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

}  // namespace

const char* ToString(ResetSecretStatus status) {
  switch (status) {
    case ResetSecretStatus::kOk:
      return "ok";
    case ResetSecretStatus::kEmptyKey:
      return "no identity key";
    case ResetSecretStatus::kEncodeFailed:
      return "the identity key could not be encoded";
    case ResetSecretStatus::kKdfFailed:
      return "HKDF failed";
  }
  return "unknown";
}

namespace {

// HKDF-SHA256 of the identity's encoding with `label` as info, into `out`
// (left unchanged unless kOk).
ResetSecretStatus DeriveFromIdentity(const PrivateKey& identity, std::string_view label,
                                     std::span<uint8_t> out) {
  if (identity.empty()) return ResetSecretStatus::kEmptyKey;
  WipedBytes key;
  if (identity.Encode(&key.bytes) != KeyStatus::kOk || key.bytes.empty()) {
    return ResetSecretStatus::kEncodeFailed;
  }
  const std::unique_ptr<EVP_KDF, KdfFree> kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr));
  if (kdf == nullptr) return ResetSecretStatus::kKdfFailed;
  const std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (ctx == nullptr) return ResetSecretStatus::kKdfFailed;
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, key.bytes.data(), key.bytes.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(label.data()),
                                        label.size()),
      OSSL_PARAM_construct_end(),
  };
  std::vector<uint8_t> secret(out.size());
  if (EVP_KDF_derive(ctx.get(), secret.data(), secret.size(), params) != 1) {
    OPENSSL_cleanse(secret.data(), secret.size());
    return ResetSecretStatus::kKdfFailed;
  }
  std::copy(secret.begin(), secret.end(), out.begin());
  OPENSSL_cleanse(secret.data(), secret.size());
  return ResetSecretStatus::kOk;
}

}  // namespace

ResetSecretStatus DeriveStatelessResetSecret(const PrivateKey& identity, ResetSecret* out) {
  return DeriveFromIdentity(identity, kStatelessResetSecretLabel, *out);
}

ResetSecretStatus DeriveTokenSecret(const PrivateKey& identity, TokenSecret* out) {
  return DeriveFromIdentity(identity, kTokenSecretLabel, *out);
}

}  // namespace p2pquic::node
