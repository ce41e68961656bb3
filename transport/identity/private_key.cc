#include "transport/identity/private_key.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>

#include "transport/identity/der_key_codec.h"
#include "transport/identity/ec_key_codec.h"
#include "transport/identity/key_limits.h"
#include "transport/identity/key_protobuf.h"

namespace p2pquic {
namespace {

constexpr uint8_t kNoBytes[1] = {0};

const uint8_t* DataOrEmpty(std::span<const uint8_t> bytes) {
  return bytes.empty() ? kNoBytes : bytes.data();
}

// What an RSA key signs to prove its halves belong together (a pairwise
// consistency test: one private operation, not a primality proof).
constexpr uint8_t kConsistencyMessage[] = {'p', '2', 'p', 'q', 'u', 'i', 'c'};

SignStatus SignWith(EVP_PKEY& key, KeyType type, std::span<const uint8_t> message,
                    std::vector<uint8_t>* signature) {
  UniqueEvpMdCtx context(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_context = nullptr;
  const EVP_MD* digest = type == KeyType::kEd25519 ? nullptr : EVP_sha256();
  size_t length = 0;
  if (!context || EVP_DigestSignInit(context.get(), &key_context, digest, nullptr, &key) <= 0 ||
      (type == KeyType::kRsa &&
       EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PADDING) <= 0) ||
      EVP_DigestSign(context.get(), nullptr, &length, DataOrEmpty(message), message.size()) <= 0) {
    return SignStatus::kOpenSslError;
  }
  std::vector<uint8_t> produced(length);
  if (EVP_DigestSign(context.get(), produced.data(), &length, DataOrEmpty(message),
                     message.size()) <= 0) {
    return SignStatus::kOpenSslError;
  }
  produced.resize(length);
  if (type == KeyType::kSecp256k1 &&
      EcKeyCodec::NormalizeLowS(EcCurve::kSecp256k1, &produced) != KeyStatus::kOk) {
    return SignStatus::kOpenSslError;
  }
  *signature = std::move(produced);
  return SignStatus::kOk;
}

KeyStatus Ed25519FromSeed(std::span<const uint8_t> seed, UniqueEvpPkey* key) {
  key->reset(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  return *key ? KeyStatus::kOk : KeyStatus::kOpenSslError;
}

bool ValidEd25519Length(size_t length) {
  return length == kEd25519SeedBytes || length == kEd25519PrivateKeyBytes ||
         length == kEd25519LegacyPrivateKeyBytes;
}

// Seed, optionally followed by the public key (once, or twice in the legacy
// form); every embedded copy must be the seed's own public key.
KeyStatus Ed25519FromData(std::span<const uint8_t> data, UniqueEvpPkey* key) {
  if (!ValidEd25519Length(data.size())) return KeyStatus::kBadLength;
  const KeyStatus status = Ed25519FromSeed(data.first(kEd25519SeedBytes), key);
  if (status != KeyStatus::kOk) return status;
  std::array<uint8_t, kEd25519PublicKeyBytes> derived;
  size_t length = derived.size();
  if (!EVP_PKEY_get_raw_public_key(key->get(), derived.data(), &length)) {
    return KeyStatus::kOpenSslError;
  }
  for (size_t offset = kEd25519SeedBytes; offset < data.size(); offset += derived.size()) {
    const auto embedded = data.subspan(offset, derived.size());
    if (!std::equal(embedded.begin(), embedded.end(), derived.begin())) {
      return KeyStatus::kEd25519PublicMismatch;
    }
  }
  return KeyStatus::kOk;
}

KeyStatus CheckPairwise(EVP_PKEY& key) {
  UniqueEvpPkeyCtx context(EVP_PKEY_CTX_new_from_pkey(nullptr, &key, nullptr));
  if (!context) return KeyStatus::kOpenSslError;
  return EVP_PKEY_pairwise_check(context.get()) == 1 ? KeyStatus::kOk : KeyStatus::kInconsistentKey;
}

KeyStatus EcdsaFromData(std::span<const uint8_t> data, UniqueEvpPkey* key) {
  KeyStatus status = DerKeyCodec::ParsePrivateKey(EVP_PKEY_EC, data, key);
  EcCurve curve;
  if (status == KeyStatus::kOk) status = EcKeyCodec::CurveOf(**key, &curve);
  if (status == KeyStatus::kOk && curve != EcCurve::kP256) status = KeyStatus::kUnsupportedCurve;
  // Checks the scalar range, the point, and that the point is the scalar's.
  if (status == KeyStatus::kOk) status = CheckPairwise(**key);
  return status;
}

// A full RSA key check tests both primes (seconds for large keys); signing
// and verifying once proves the halves match, which is what we rely on.
KeyStatus CheckRsaPairwise(EVP_PKEY& key) {
  std::vector<uint8_t> signature;
  PublicKey public_key;
  if (SignWith(key, KeyType::kRsa, kConsistencyMessage, &signature) != SignStatus::kOk ||
      PublicKey::FromOpenSslKey(key, &public_key) != KeyStatus::kOk ||
      public_key.Verify(kConsistencyMessage, signature) != SignatureStatus::kValid) {
    return KeyStatus::kInconsistentKey;
  }
  return KeyStatus::kOk;
}

KeyStatus RsaFromData(std::span<const uint8_t> data, UniqueEvpPkey* key) {
  KeyStatus status = DerKeyCodec::ParsePrivateKey(EVP_PKEY_RSA, data, key);
  if (status == KeyStatus::kOk) status = DerKeyCodec::CheckRsa(**key);
  if (status == KeyStatus::kOk) status = CheckRsaPairwise(**key);
  return status;
}

KeyStatus EcFromRandom(EcCurve curve, Random& random, UniqueEvpPkey* key) {
  EcScalar scalar;
  KeyStatus status = EcKeyCodec::RandomScalar(curve, random, &scalar);
  if (status == KeyStatus::kOk) status = EcKeyCodec::KeyPairFromScalar(curve, scalar, key);
  OPENSSL_cleanse(scalar.data(), scalar.size());
  return status;
}

KeyStatus Ed25519FromRandom(Random& random, UniqueEvpPkey* key) {
  std::array<uint8_t, kEd25519SeedBytes> seed;
  random.Fill(seed);
  const KeyStatus status = Ed25519FromSeed(seed, key);
  OPENSSL_cleanse(seed.data(), seed.size());
  return status;
}

KeyStatus Ed25519Data(const EVP_PKEY& key, std::vector<uint8_t>* out) {
  std::vector<uint8_t> data(kEd25519PrivateKeyBytes);
  size_t seed_length = kEd25519SeedBytes;
  size_t public_length = kEd25519PublicKeyBytes;
  const bool ok =
      EVP_PKEY_get_raw_private_key(&key, data.data(), &seed_length) &&
      EVP_PKEY_get_raw_public_key(&key, data.data() + kEd25519SeedBytes, &public_length) &&
      seed_length == kEd25519SeedBytes && public_length == kEd25519PublicKeyBytes;
  if (ok) {
    *out = std::move(data);
  } else {
    OPENSSL_cleanse(data.data(), data.size());
  }
  return ok ? KeyStatus::kOk : KeyStatus::kOpenSslError;
}

KeyStatus Secp256k1Data(const EVP_PKEY& key, std::vector<uint8_t>* out) {
  EcScalar scalar;
  const KeyStatus status = EcKeyCodec::ScalarOf(key, &scalar);
  if (status == KeyStatus::kOk) out->assign(scalar.begin(), scalar.end());
  OPENSSL_cleanse(scalar.data(), scalar.size());
  return status;
}

// The algorithm and size checks every adopted or decoded key passes.
KeyStatus CheckSupported(const EVP_PKEY& key) {
  switch (EVP_PKEY_get_base_id(&key)) {
    case EVP_PKEY_ED25519:
      return KeyStatus::kOk;
    case EVP_PKEY_EC: {
      EcCurve curve;
      return EcKeyCodec::CurveOf(key, &curve);
    }
    case EVP_PKEY_RSA:
      return DerKeyCodec::CheckRsa(key);
    default:
      return KeyStatus::kWrongAlgorithm;
  }
}

}  // namespace

KeyStatus PrivateKey::Generate(KeyType type, Random& random, PrivateKey* out) {
  UniqueEvpPkey key;
  KeyStatus status = KeyStatus::kRsaNeedsRuntime;
  switch (type) {
    case KeyType::kEd25519:
      status = Ed25519FromRandom(random, &key);
      break;
    case KeyType::kSecp256k1:
      status = EcFromRandom(EcCurve::kSecp256k1, random, &key);
      break;
    case KeyType::kEcdsa:
      status = EcFromRandom(EcCurve::kP256, random, &key);
      break;
    case KeyType::kRsa:
      break;
  }
  ERR_clear_error();
  if (status != KeyStatus::kOk) return status;
  return FromOpenSslKey(std::move(key), out);
}

KeyStatus PrivateKey::Decode(std::span<const uint8_t> protobuf, PrivateKey* out) {
  KeyType type;
  std::vector<uint8_t> data;
  KeyStatus status = KeyProtobuf::Decode(KeyProtobuf::Kind::kPrivateKey, protobuf, &type, &data);
  if (status == KeyStatus::kOk) status = FromData(type, data, out);
  OPENSSL_cleanse(data.data(), data.size());
  return status;
}

KeyStatus PrivateKey::FromData(KeyType type, std::span<const uint8_t> data, PrivateKey* out) {
  if (data.size() > kMaxEncodedKeyBytes) return KeyStatus::kTooLarge;
  UniqueEvpPkey key;
  KeyStatus status = KeyStatus::kUnknownKeyType;
  switch (type) {
    case KeyType::kEd25519:
      status = Ed25519FromData(data, &key);
      break;
    case KeyType::kSecp256k1:
      status = data.size() == kEcScalarBytes
                   ? EcKeyCodec::KeyPairFromScalar(EcCurve::kSecp256k1, data, &key)
                   : KeyStatus::kBadLength;
      break;
    case KeyType::kEcdsa:
      status = EcdsaFromData(data, &key);
      break;
    case KeyType::kRsa:
      status = RsaFromData(data, &key);
      break;
  }
  ERR_clear_error();
  if (status != KeyStatus::kOk) return status;
  return FromOpenSslKey(std::move(key), out);
}

KeyStatus PrivateKey::FromOpenSslKey(UniqueEvpPkey key, PrivateKey* out) {
  if (!key) return KeyStatus::kEmptyKey;
  PrivateKey adopted;
  KeyStatus status = CheckSupported(*key);
  if (status == KeyStatus::kOk) status = PublicKey::FromOpenSslKey(*key, &adopted.public_key_);
  ERR_clear_error();
  if (status != KeyStatus::kOk) return status;
  adopted.key_ = std::move(key);
  *out = std::move(adopted);
  return KeyStatus::kOk;
}

KeyStatus PrivateKey::EncodeData(std::vector<uint8_t>* out) const {
  if (!key_) return KeyStatus::kEmptyKey;
  KeyStatus status = KeyStatus::kOpenSslError;
  switch (type()) {
    case KeyType::kEd25519:
      status = Ed25519Data(*key_, out);
      break;
    case KeyType::kSecp256k1:
      status = Secp256k1Data(*key_, out);
      break;
    case KeyType::kEcdsa:
    case KeyType::kRsa:
      status = DerKeyCodec::EncodePrivateKey(*key_, out);
      break;
  }
  ERR_clear_error();
  return status;
}

KeyStatus PrivateKey::Encode(std::vector<uint8_t>* out) const {
  std::vector<uint8_t> data;
  const KeyStatus status = EncodeData(&data);
  if (status == KeyStatus::kOk) {
    *out = KeyProtobuf::Encode(KeyProtobuf::Kind::kPrivateKey, type(), data);
  }
  OPENSSL_cleanse(data.data(), data.size());
  return status;
}

SignStatus PrivateKey::Sign(std::span<const uint8_t> message,
                            std::vector<uint8_t>* signature) const {
  if (!key_) return SignStatus::kEmptyKey;
  const SignStatus status = SignWith(*key_, type(), message, signature);
  ERR_clear_error();
  return status;
}

}  // namespace p2pquic
