#include "transport/identity/public_key.h"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "transport/identity/der_key_codec.h"
#include "transport/identity/ec_key_codec.h"
#include "transport/identity/key_limits.h"
#include "transport/identity/key_protobuf.h"

namespace p2pquic {
namespace {

// OpenSSL wants a non-null pointer even for an empty message.
constexpr uint8_t kNoBytes[1] = {0};

const uint8_t* DataOrEmpty(std::span<const uint8_t> bytes) {
  return bytes.empty() ? kNoBytes : bytes.data();
}

UniqueEvpPkey ShareKey(EVP_PKEY* key) {
  if (key != nullptr) EVP_PKEY_up_ref(key);
  return UniqueEvpPkey(key);
}

KeyStatus Ed25519FromData(std::span<const uint8_t> data, UniqueEvpPkey* key) {
  if (data.size() != kEd25519PublicKeyBytes) return KeyStatus::kBadLength;
  key->reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, data.data(), data.size()));
  return *key ? KeyStatus::kOk : KeyStatus::kOpenSslError;
}

KeyStatus Secp256k1FromData(std::span<const uint8_t> data, UniqueEvpPkey* key) {
  if (data.size() != kEcCompressedPointBytes) return KeyStatus::kBadLength;
  return EcKeyCodec::PublicKeyFromPoint(EcCurve::kSecp256k1, data, key);
}

// Rebuilds the P-256 key from its point, so the stored SPKI is the canonical
// one (uncompressed point, named curve) whatever spelling came in.
KeyStatus EcdsaFromData(std::span<const uint8_t> data, UniqueEvpPkey* key,
                        std::vector<uint8_t>* canonical) {
  UniqueEvpPkey parsed;
  KeyStatus status = DerKeyCodec::ParseSpki(data, &parsed);
  EcCurve curve;
  if (status == KeyStatus::kOk) status = EcKeyCodec::CurveOf(*parsed, &curve);
  if (status == KeyStatus::kOk && curve != EcCurve::kP256) status = KeyStatus::kUnsupportedCurve;
  std::vector<uint8_t> point;
  if (status == KeyStatus::kOk) status = EcKeyCodec::CompressedPoint(*parsed, &point);
  if (status == KeyStatus::kOk) status = EcKeyCodec::PublicKeyFromPoint(curve, point, key);
  if (status == KeyStatus::kOk) status = DerKeyCodec::EncodeSpki(**key, canonical);
  return status;
}

KeyStatus RsaFromData(std::span<const uint8_t> data, UniqueEvpPkey* key,
                      std::vector<uint8_t>* canonical) {
  KeyStatus status = DerKeyCodec::ParseSpki(data, key);
  if (status == KeyStatus::kOk) status = DerKeyCodec::CheckRsa(**key);
  if (status == KeyStatus::kOk) status = DerKeyCodec::EncodeSpki(**key, canonical);
  return status;
}

// The Data encoding of any supported OpenSSL key's public half.
KeyStatus PublicDataOf(const EVP_PKEY& key, KeyType* type, std::vector<uint8_t>* data) {
  switch (EVP_PKEY_get_base_id(&key)) {
    case EVP_PKEY_ED25519: {
      size_t length = kEd25519PublicKeyBytes;
      data->resize(length);
      *type = KeyType::kEd25519;
      const bool ok = EVP_PKEY_get_raw_public_key(&key, data->data(), &length) &&
                      length == kEd25519PublicKeyBytes;
      return ok ? KeyStatus::kOk : KeyStatus::kOpenSslError;
    }
    case EVP_PKEY_EC: {
      EcCurve curve;
      const KeyStatus status = EcKeyCodec::CurveOf(key, &curve);
      if (status != KeyStatus::kOk) return status;
      *type = curve == EcCurve::kSecp256k1 ? KeyType::kSecp256k1 : KeyType::kEcdsa;
      return curve == EcCurve::kSecp256k1 ? EcKeyCodec::CompressedPoint(key, data)
                                          : DerKeyCodec::EncodeSpki(key, data);
    }
    case EVP_PKEY_RSA:
      *type = KeyType::kRsa;
      return DerKeyCodec::EncodeSpki(key, data);
    default:
      return KeyStatus::kWrongAlgorithm;
  }
}

// Cheap shape checks that tell a malformed signature from a wrong one.
bool WellFormedSignature(KeyType type, const EVP_PKEY& key, std::span<const uint8_t> signature) {
  switch (type) {
    case KeyType::kEd25519:
      return signature.size() == kEd25519SignatureBytes;
    case KeyType::kRsa:
      return signature.size() == static_cast<size_t>(EVP_PKEY_get_size(&key));
    case KeyType::kSecp256k1:
    case KeyType::kEcdsa: {
      const unsigned char* cursor = signature.data();
      UniqueEcdsaSig parsed(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(signature.size())));
      ERR_clear_error();
      return parsed != nullptr && cursor == signature.data() + signature.size();
    }
  }
  return false;
}

}  // namespace

PublicKey::PublicKey(const PublicKey& other)
    : type_(other.type_), key_(ShareKey(other.key_.get())), data_(other.data_) {}

PublicKey& PublicKey::operator=(const PublicKey& other) {
  if (this != &other) {
    type_ = other.type_;
    key_ = ShareKey(other.key_.get());
    data_ = other.data_;
  }
  return *this;
}

KeyStatus PublicKey::Decode(std::span<const uint8_t> protobuf, PublicKey* out) {
  KeyType type;
  std::vector<uint8_t> data;
  const KeyStatus status =
      KeyProtobuf::Decode(KeyProtobuf::Kind::kPublicKey, protobuf, &type, &data);
  if (status != KeyStatus::kOk) return status;
  return FromData(type, data, out);
}

KeyStatus PublicKey::FromData(KeyType type, std::span<const uint8_t> data, PublicKey* out) {
  if (data.size() > kMaxEncodedKeyBytes) return KeyStatus::kTooLarge;
  PublicKey key;
  key.type_ = type;
  key.data_.assign(data.begin(), data.end());
  KeyStatus status = KeyStatus::kUnknownKeyType;
  switch (type) {
    case KeyType::kEd25519:
      status = Ed25519FromData(data, &key.key_);
      break;
    case KeyType::kSecp256k1:
      status = Secp256k1FromData(data, &key.key_);
      break;
    case KeyType::kEcdsa:
      status = EcdsaFromData(data, &key.key_, &key.data_);
      break;
    case KeyType::kRsa:
      status = RsaFromData(data, &key.key_, &key.data_);
      break;
  }
  ERR_clear_error();
  if (status == KeyStatus::kOk) *out = std::move(key);
  return status;
}

KeyStatus PublicKey::FromOpenSslKey(const EVP_PKEY& key, PublicKey* out) {
  KeyType type;
  std::vector<uint8_t> data;
  const KeyStatus status = PublicDataOf(key, &type, &data);
  ERR_clear_error();
  if (status != KeyStatus::kOk) return status;
  return FromData(type, data, out);
}

std::vector<uint8_t> PublicKey::Encode() const {
  return KeyProtobuf::Encode(KeyProtobuf::Kind::kPublicKey, type_, data_);
}

SignatureStatus PublicKey::Verify(std::span<const uint8_t> message,
                                  std::span<const uint8_t> signature) const {
  if (!key_) return SignatureStatus::kEmptyKey;
  if (!WellFormedSignature(type_, *key_, signature)) return SignatureStatus::kMalformed;
  UniqueEvpMdCtx context(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_context = nullptr;
  // Ed25519 hashes internally (pure mode); the others sign SHA-256(message).
  const EVP_MD* digest = type_ == KeyType::kEd25519 ? nullptr : EVP_sha256();
  if (!context ||
      EVP_DigestVerifyInit(context.get(), &key_context, digest, nullptr, key_.get()) <= 0 ||
      (type_ == KeyType::kRsa &&
       EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PADDING) <= 0)) {
    ERR_clear_error();
    return SignatureStatus::kOpenSslError;
  }
  const int verdict = EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                                       DataOrEmpty(message), message.size());
  ERR_clear_error();
  return verdict == 1 ? SignatureStatus::kValid : SignatureStatus::kMismatch;
}

}  // namespace p2pquic
