#include "tests/transport/identity/openssl_test_keys.h"

#include <openssl/core_names.h>

namespace p2pquic::test {

UniqueEvpPkey RsaKey(size_t bits) {
  return UniqueEvpPkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits));
}

UniqueEvpPkey EcKey(const char* curve) {
  return UniqueEvpPkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
}

UniqueEvpPkey X25519Key() { return UniqueEvpPkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519")); }

UniqueEvpPkey RsaPublicKeyOfBits(int bits) {
  UniqueBignum modulus(BN_new());
  UniqueBignum exponent(BN_new());
  BN_set_bit(modulus.get(), bits - 1);
  BN_set_bit(modulus.get(), 0);
  BN_set_word(exponent.get(), 65537);
  UniqueParamBld builder(OSSL_PARAM_BLD_new());
  OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get());
  OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get());
  UniqueParams params(OSSL_PARAM_BLD_to_param(builder.get()));
  UniqueEvpPkeyCtx context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* key = nullptr;
  EVP_PKEY_fromdata_init(context.get());
  EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get());
  return UniqueEvpPkey(key);
}

}  // namespace p2pquic::test
