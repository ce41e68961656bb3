// Owning handles for OpenSSL objects: std::unique_ptr with the matching free
// function, so every early return releases what it holds. Scalars use
// BN_clear_free, which wipes the secret before freeing it.
#pragma once

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>

namespace p2pquic {

template <auto Free>
struct OpenSslFree {
  template <typename T>
  void operator()(T* object) const {
    Free(object);
  }
};

using UniqueEvpPkey = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY_free>>;
using UniqueEvpPkeyCtx = std::unique_ptr<EVP_PKEY_CTX, OpenSslFree<EVP_PKEY_CTX_free>>;
using UniqueEvpMdCtx = std::unique_ptr<EVP_MD_CTX, OpenSslFree<EVP_MD_CTX_free>>;
using UniqueBignum = std::unique_ptr<BIGNUM, OpenSslFree<BN_clear_free>>;
using UniqueBnCtx = std::unique_ptr<BN_CTX, OpenSslFree<BN_CTX_free>>;
using UniqueEcGroup = std::unique_ptr<EC_GROUP, OpenSslFree<EC_GROUP_free>>;
using UniqueEcPoint = std::unique_ptr<EC_POINT, OpenSslFree<EC_POINT_free>>;
using UniqueEcdsaSig = std::unique_ptr<ECDSA_SIG, OpenSslFree<ECDSA_SIG_free>>;
using UniqueParamBld = std::unique_ptr<OSSL_PARAM_BLD, OpenSslFree<OSSL_PARAM_BLD_free>>;
using UniqueParams = std::unique_ptr<OSSL_PARAM, OpenSslFree<OSSL_PARAM_free>>;

}  // namespace p2pquic
