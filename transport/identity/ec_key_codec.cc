#include "transport/identity/ec_key_codec.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>

#include <string_view>

namespace p2pquic {
namespace {

// Longest curve-name string OpenSSL reports for the curves we accept.
constexpr size_t kMaxGroupNameLength = 64;

int NidOf(EcCurve curve) {
  return curve == EcCurve::kSecp256k1 ? NID_secp256k1 : NID_X9_62_prime256v1;
}

const char* GroupNameOf(EcCurve curve) {
  return curve == EcCurve::kSecp256k1 ? SN_secp256k1 : SN_X9_62_prime256v1;
}

UniqueEcGroup GroupOf(EcCurve curve) {
  return UniqueEcGroup(EC_GROUP_new_by_curve_name(NidOf(curve)));
}

// True for a scalar in [1, order - 1].
bool InScalarRange(const BIGNUM& scalar, const EC_GROUP& group) {
  return !BN_is_zero(&scalar) && BN_cmp(&scalar, EC_GROUP_get0_order(&group)) < 0;
}

// Builds an EVP_PKEY from a group, an uncompressed public point and,
// for a key pair, the private scalar.
KeyStatus BuildKey(EcCurve curve, std::span<const uint8_t> point, const BIGNUM* scalar,
                   UniqueEvpPkey* out) {
  UniqueParamBld builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                       GroupNameOf(curve), 0) ||
      !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size()) ||
      (scalar != nullptr &&
       !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, scalar))) {
    return KeyStatus::kOpenSslError;
  }
  UniqueParams params(OSSL_PARAM_BLD_to_param(builder.get()));
  UniqueEvpPkeyCtx context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  const int selection = scalar != nullptr ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) <= 0 ||
      EVP_PKEY_fromdata(context.get(), &key, selection, params.get()) <= 0) {
    return KeyStatus::kOpenSslError;
  }
  out->reset(key);
  return KeyStatus::kOk;
}

// Encodes `point` in `form` into `out` (sized for the uncompressed form).
size_t EncodePoint(const EC_GROUP& group, const EC_POINT& point, point_conversion_form_t form,
                   uint8_t (&out)[kEcUncompressedPointBytes]) {
  return EC_POINT_point2oct(&group, &point, form, out, sizeof(out), nullptr);
}

KeyStatus KeyPairFromBignum(EcCurve curve, const EC_GROUP& group, const BIGNUM& scalar,
                            UniqueEvpPkey* out) {
  UniqueEcPoint point(EC_POINT_new(&group));
  uint8_t encoded[kEcUncompressedPointBytes];
  if (!point || !EC_POINT_mul(&group, point.get(), &scalar, nullptr, nullptr, nullptr) ||
      EncodePoint(group, *point, POINT_CONVERSION_UNCOMPRESSED, encoded) != sizeof(encoded)) {
    return KeyStatus::kOpenSslError;
  }
  return BuildKey(curve, encoded, &scalar, out);
}

}  // namespace

KeyStatus EcKeyCodec::RandomScalar(EcCurve curve, Random& random, EcScalar* out) {
  UniqueEcGroup group = GroupOf(curve);
  UniqueBignum candidate(BN_secure_new());
  if (!group || !candidate) return KeyStatus::kOpenSslError;
  EcScalar bytes;
  KeyStatus status = KeyStatus::kRandomRejected;
  for (int draw = 0; draw < kMaxScalarDraws && status == KeyStatus::kRandomRejected; ++draw) {
    random.Fill(bytes);
    if (BN_bin2bn(bytes.data(), bytes.size(), candidate.get()) == nullptr) {
      status = KeyStatus::kOpenSslError;
    } else if (InScalarRange(*candidate, *group)) {
      *out = bytes;
      status = KeyStatus::kOk;
    }
  }
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return status;
}

KeyStatus EcKeyCodec::KeyPairFromScalar(EcCurve curve, std::span<const uint8_t> scalar,
                                        UniqueEvpPkey* out) {
  if (scalar.size() != kEcScalarBytes) return KeyStatus::kBadLength;
  UniqueEcGroup group = GroupOf(curve);
  UniqueBignum number(BN_secure_new());
  if (!group || !number || BN_bin2bn(scalar.data(), scalar.size(), number.get()) == nullptr) {
    return KeyStatus::kOpenSslError;
  }
  BN_set_flags(number.get(), BN_FLG_CONSTTIME);
  if (!InScalarRange(*number, *group)) return KeyStatus::kInvalidScalar;
  const KeyStatus status = KeyPairFromBignum(curve, *group, *number, out);
  if (status != KeyStatus::kOk) ERR_clear_error();
  return status;
}

KeyStatus EcKeyCodec::PublicKeyFromPoint(EcCurve curve, std::span<const uint8_t> point,
                                         UniqueEvpPkey* out) {
  UniqueEcGroup group = GroupOf(curve);
  UniqueEcPoint decoded(group ? EC_POINT_new(group.get()) : nullptr);
  if (!decoded) return KeyStatus::kOpenSslError;
  // oct2point rejects points off the curve (for compressed ones, an x with
  // no square root); the point at infinity is a valid encoding but no key.
  if (point.empty() ||
      !EC_POINT_oct2point(group.get(), decoded.get(), point.data(), point.size(), nullptr) ||
      EC_POINT_is_at_infinity(group.get(), decoded.get())) {
    ERR_clear_error();
    return KeyStatus::kInvalidPoint;
  }
  uint8_t uncompressed[kEcUncompressedPointBytes];
  if (EncodePoint(*group, *decoded, POINT_CONVERSION_UNCOMPRESSED, uncompressed) !=
      sizeof(uncompressed)) {
    return KeyStatus::kOpenSslError;
  }
  return BuildKey(curve, uncompressed, nullptr, out);
}

KeyStatus EcKeyCodec::CurveOf(const EVP_PKEY& key, EcCurve* out) {
  if (EVP_PKEY_get_base_id(&key) != EVP_PKEY_EC) return KeyStatus::kWrongAlgorithm;
  char name[kMaxGroupNameLength] = {};
  size_t length = 0;
  if (!EVP_PKEY_get_utf8_string_param(&key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name),
                                      &length)) {
    // Explicit curve parameters have no name: not a curve we accept.
    ERR_clear_error();
    return KeyStatus::kUnsupportedCurve;
  }
  int nid = OBJ_sn2nid(name);
  if (nid == NID_undef) nid = EC_curve_nist2nid(name);
  if (nid == NID_secp256k1) {
    *out = EcCurve::kSecp256k1;
  } else if (nid == NID_X9_62_prime256v1) {
    *out = EcCurve::kP256;
  } else {
    return KeyStatus::kUnsupportedCurve;
  }
  return KeyStatus::kOk;
}

KeyStatus EcKeyCodec::CompressedPoint(const EVP_PKEY& key, std::vector<uint8_t>* out) {
  EcCurve curve;
  const KeyStatus curve_status = CurveOf(key, &curve);
  if (curve_status != KeyStatus::kOk) return curve_status;
  uint8_t encoded[kEcUncompressedPointBytes];
  size_t length = 0;
  UniqueEcGroup group = GroupOf(curve);
  UniqueEcPoint point(group ? EC_POINT_new(group.get()) : nullptr);
  if (!point ||
      !EVP_PKEY_get_octet_string_param(&key, OSSL_PKEY_PARAM_PUB_KEY, encoded, sizeof(encoded),
                                       &length) ||
      !EC_POINT_oct2point(group.get(), point.get(), encoded, length, nullptr)) {
    ERR_clear_error();
    return KeyStatus::kOpenSslError;
  }
  const size_t compressed = EncodePoint(*group, *point, POINT_CONVERSION_COMPRESSED, encoded);
  if (compressed != kEcCompressedPointBytes) return KeyStatus::kOpenSslError;
  out->assign(encoded, encoded + compressed);
  return KeyStatus::kOk;
}

KeyStatus EcKeyCodec::ScalarOf(const EVP_PKEY& key, EcScalar* out) {
  BIGNUM* raw = nullptr;
  if (!EVP_PKEY_get_bn_param(&key, OSSL_PKEY_PARAM_PRIV_KEY, &raw)) {
    ERR_clear_error();
    return KeyStatus::kOpenSslError;
  }
  UniqueBignum scalar(raw);
  if (BN_bn2binpad(scalar.get(), out->data(), out->size()) != static_cast<int>(out->size())) {
    return KeyStatus::kOpenSslError;
  }
  return KeyStatus::kOk;
}

KeyStatus EcKeyCodec::NormalizeLowS(EcCurve curve, std::vector<uint8_t>* der_signature) {
  const unsigned char* cursor = der_signature->data();
  UniqueEcdsaSig signature(
      d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der_signature->size())));
  if (!signature) {
    ERR_clear_error();
    return KeyStatus::kMalformedDer;
  }
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(signature.get(), &r, &s);
  UniqueEcGroup group = GroupOf(curve);
  if (!group) return KeyStatus::kOpenSslError;
  const BIGNUM* order = EC_GROUP_get0_order(group.get());
  UniqueBignum half_order(BN_dup(order));
  if (!half_order || !BN_rshift1(half_order.get(), half_order.get())) {
    return KeyStatus::kOpenSslError;
  }
  if (BN_cmp(s, half_order.get()) <= 0) return KeyStatus::kOk;
  UniqueBignum low_s(BN_new());
  UniqueBignum same_r(BN_dup(r));
  if (!low_s || !same_r || !BN_sub(low_s.get(), order, s) ||
      !ECDSA_SIG_set0(signature.get(), same_r.get(), low_s.get())) {
    return KeyStatus::kOpenSslError;
  }
  same_r.release();  // Owned by `signature` now.
  low_s.release();
  unsigned char* encoded = nullptr;
  const int length = i2d_ECDSA_SIG(signature.get(), &encoded);
  if (length <= 0) return KeyStatus::kOpenSslError;
  der_signature->assign(encoded, encoded + length);
  OPENSSL_free(encoded);
  return KeyStatus::kOk;
}

}  // namespace p2pquic
