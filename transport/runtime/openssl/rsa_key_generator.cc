#include "transport/runtime/openssl/rsa_key_generator.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "transport/identity/key_limits.h"
#include "transport/identity/openssl_handles.h"

namespace p2pquic {

KeyStatus RsaKeyGenerator::Generate(int bits, PrivateKey* out) {
  if (bits < kMinRsaBits) return KeyStatus::kRsaTooSmall;
  if (bits > kMaxRsaBits) return KeyStatus::kRsaTooLarge;
  UniqueEvpPkeyCtx context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* generated = nullptr;
  if (!context || EVP_PKEY_keygen_init(context.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(context.get(), bits) <= 0 ||
      EVP_PKEY_keygen(context.get(), &generated) <= 0) {
    ERR_clear_error();
    return KeyStatus::kOpenSslError;
  }
  return PrivateKey::FromOpenSslKey(UniqueEvpPkey(generated), out);
}

}  // namespace p2pquic
