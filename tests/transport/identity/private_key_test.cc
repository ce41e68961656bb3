#include "transport/identity/private_key.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/transport/identity/hex.h"
#include "tests/transport/identity/openssl_test_keys.h"
#include "tests/transport/identity/spec_key_vectors.h"
#include "transport/identity/der_key_codec.h"
#include "transport/identity/ec_key_codec.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

using test::FromHex;
using test::ToHex;

constexpr KeyType kAllTypes[] = {KeyType::kEd25519, KeyType::kSecp256k1, KeyType::kEcdsa,
                                 KeyType::kRsa};

const std::vector<uint8_t> kMessage = {'l', 'i', 'b', 'p', '2', 'p'};

PrivateKey MustDecode(std::string_view hex) {
  PrivateKey key;
  EXPECT_EQ(PrivateKey::Decode(FromHex(hex), &key), KeyStatus::kOk) << hex.substr(0, 16);
  return key;
}

std::string_view SpecPrivateKey(KeyType type) {
  switch (type) {
    case KeyType::kEd25519:
      return spec_vectors::kEd25519PrivateKey;
    case KeyType::kSecp256k1:
      return spec_vectors::kSecp256k1PrivateKey;
    case KeyType::kEcdsa:
      return spec_vectors::kEcdsaPrivateKey;
    case KeyType::kRsa:
      return spec_vectors::kRsaPrivateKey;
  }
  return {};
}

std::string_view SpecPublicKey(KeyType type) {
  switch (type) {
    case KeyType::kEd25519:
      return spec_vectors::kEd25519PublicKey;
    case KeyType::kSecp256k1:
      return spec_vectors::kSecp256k1PublicKey;
    case KeyType::kEcdsa:
      return spec_vectors::kEcdsaPublicKey;
    case KeyType::kRsa:
      return spec_vectors::kRsaPublicKey;
  }
  return {};
}

std::vector<uint8_t> Sign(const PrivateKey& key, const std::vector<uint8_t>& message) {
  std::vector<uint8_t> signature;
  EXPECT_EQ(key.Sign(message, &signature), SignStatus::kOk);
  return signature;
}

std::vector<uint8_t> Encoded(const PrivateKey& key) {
  std::vector<uint8_t> bytes;
  EXPECT_EQ(key.Encode(&bytes), KeyStatus::kOk);
  return bytes;
}

KeyStatus FromData(KeyType type, const std::vector<uint8_t>& data) {
  PrivateKey key;
  return PrivateKey::FromData(type, data, &key);
}

// The spec asks implementations to check they derive the listed public key.
TEST(PrivateKeyTest, SpecVectorsDecodeDeriveTheirPublicKeyAndReencodeByteForByte) {
  for (KeyType type : kAllTypes) {
    const PrivateKey key = MustDecode(SpecPrivateKey(type));
    EXPECT_EQ(key.type(), type);
    EXPECT_EQ(ToHex(key.public_key().Encode()), SpecPublicKey(type)) << ToString(type);
    EXPECT_EQ(ToHex(Encoded(key)), test::ToHex(FromHex(SpecPrivateKey(type)))) << ToString(type);
  }
}

// RFC 8032 §7.1, TEST 1 (empty message).
TEST(PrivateKeyTest, Ed25519MatchesRfc8032TestVector1) {
  PrivateKey key;
  ASSERT_EQ(PrivateKey::FromData(
                KeyType::kEd25519,
                FromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"), &key),
            KeyStatus::kOk);
  EXPECT_EQ(ToHex(key.public_key().data()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const std::vector<uint8_t> signature = Sign(key, {});
  EXPECT_EQ(ToHex(signature),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e"
            "39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_EQ(key.public_key().Verify({}, signature), SignatureStatus::kValid);
}

TEST(PrivateKeyTest, SignaturesOfEveryTypeVerifyAndTamperingIsCaught) {
  for (KeyType type : kAllTypes) {
    SCOPED_TRACE(ToString(type));
    const PrivateKey key = MustDecode(SpecPrivateKey(type));
    const std::vector<uint8_t> signature = Sign(key, kMessage);
    EXPECT_EQ(key.public_key().Verify(kMessage, signature), SignatureStatus::kValid);

    std::vector<uint8_t> other_message = kMessage;
    other_message.back() ^= 1;
    EXPECT_EQ(key.public_key().Verify(other_message, signature), SignatureStatus::kMismatch);

    std::vector<uint8_t> tampered = signature;
    tampered.back() ^= 1;
    EXPECT_EQ(key.public_key().Verify(kMessage, tampered), SignatureStatus::kMismatch);

    std::vector<uint8_t> truncated = signature;
    truncated.pop_back();
    EXPECT_EQ(key.public_key().Verify(kMessage, truncated), SignatureStatus::kMalformed);
    EXPECT_EQ(key.public_key().Verify(kMessage, {}), SignatureStatus::kMalformed);
  }
}

TEST(PrivateKeyTest, SignatureOfOneKeyDoesNotVerifyUnderAnother) {
  SeededRandom random(7);
  for (KeyType type : {KeyType::kEd25519, KeyType::kSecp256k1, KeyType::kEcdsa}) {
    PrivateKey a, b;
    ASSERT_EQ(PrivateKey::Generate(type, random, &a), KeyStatus::kOk);
    ASSERT_EQ(PrivateKey::Generate(type, random, &b), KeyStatus::kOk);
    EXPECT_EQ(b.public_key().Verify(kMessage, Sign(a, kMessage)), SignatureStatus::kMismatch)
        << ToString(type);
  }
}

TEST(PrivateKeyTest, SignsTheEmptyMessageWithEveryType) {
  for (KeyType type : kAllTypes) {
    const PrivateKey key = MustDecode(SpecPrivateKey(type));
    EXPECT_EQ(key.public_key().Verify({}, Sign(key, {})), SignatureStatus::kValid)
        << ToString(type);
  }
}

TEST(PrivateKeyTest, Ed25519AndRsaSignaturesAreDeterministic) {
  for (KeyType type : {KeyType::kEd25519, KeyType::kRsa}) {
    const PrivateKey key = MustDecode(SpecPrivateKey(type));
    EXPECT_EQ(Sign(key, kMessage), Sign(key, kMessage)) << ToString(type);
  }
}

TEST(PrivateKeyTest, Secp256k1SignaturesAreLowS) {
  const PrivateKey key = MustDecode(spec_vectors::kSecp256k1PrivateKey);
  for (int i = 0; i < 64; ++i) {
    std::vector<uint8_t> signature = Sign(key, kMessage);
    const std::vector<uint8_t> before = signature;
    ASSERT_EQ(EcKeyCodec::NormalizeLowS(EcCurve::kSecp256k1, &signature), KeyStatus::kOk);
    EXPECT_EQ(signature, before) << "a high-S signature left Sign";
  }
}

TEST(PrivateKeyTest, GenerationIsDeterministicFromTheInjectedRandom) {
  for (KeyType type : {KeyType::kEd25519, KeyType::kSecp256k1, KeyType::kEcdsa}) {
    SeededRandom first(42), second(42), other(43);
    PrivateKey a, b, c;
    ASSERT_EQ(PrivateKey::Generate(type, first, &a), KeyStatus::kOk);
    ASSERT_EQ(PrivateKey::Generate(type, second, &b), KeyStatus::kOk);
    ASSERT_EQ(PrivateKey::Generate(type, other, &c), KeyStatus::kOk);
    EXPECT_EQ(a.type(), type);
    EXPECT_EQ(Encoded(a), Encoded(b)) << ToString(type);
    EXPECT_NE(Encoded(a), Encoded(c)) << ToString(type);
    EXPECT_EQ(a.public_key().Verify(kMessage, Sign(a, kMessage)), SignatureStatus::kValid);
  }
}

TEST(PrivateKeyTest, Ed25519SeedIsTheFirst32BytesDrawn) {
  SeededRandom random(9), same(9);
  PrivateKey key;
  ASSERT_EQ(PrivateKey::Generate(KeyType::kEd25519, random, &key), KeyStatus::kOk);
  std::vector<uint8_t> seed(32);
  same.Fill(seed);
  std::vector<uint8_t> data;
  ASSERT_EQ(key.EncodeData(&data), KeyStatus::kOk);
  EXPECT_EQ(std::vector<uint8_t>(data.begin(), data.begin() + 32), seed);
}

TEST(PrivateKeyTest, GeneratedKeysRoundTripThroughTheProtobuf) {
  SeededRandom random(11);
  for (KeyType type : {KeyType::kEd25519, KeyType::kSecp256k1, KeyType::kEcdsa}) {
    PrivateKey key, decoded;
    ASSERT_EQ(PrivateKey::Generate(type, random, &key), KeyStatus::kOk);
    ASSERT_EQ(PrivateKey::Decode(Encoded(key), &decoded), KeyStatus::kOk) << ToString(type);
    EXPECT_EQ(decoded.public_key(), key.public_key());
    EXPECT_EQ(Encoded(decoded), Encoded(key));
  }
}

TEST(PrivateKeyTest, RsaCannotBeGeneratedFromTheInjectedRandom) {
  SeededRandom random(1);
  PrivateKey key;
  EXPECT_EQ(PrivateKey::Generate(KeyType::kRsa, random, &key), KeyStatus::kRsaNeedsRuntime);
  EXPECT_TRUE(key.empty());
}

TEST(PrivateKeyTest, AcceptsEveryEd25519PrivateKeyForm) {
  const std::vector<uint8_t> full = FromHex(spec_vectors::kEd25519PrivateKey);
  const std::vector<uint8_t> seed_and_public(full.begin() + 4, full.end());
  const std::vector<uint8_t> seed(seed_and_public.begin(), seed_and_public.begin() + 32);
  std::vector<uint8_t> legacy = seed_and_public;
  legacy.insert(legacy.end(), seed_and_public.begin() + 32, seed_and_public.end());
  const PublicKey expected = MustDecode(spec_vectors::kEd25519PrivateKey).public_key();
  for (const std::vector<uint8_t>& data : {seed, seed_and_public, legacy}) {
    PrivateKey key;
    ASSERT_EQ(PrivateKey::FromData(KeyType::kEd25519, data, &key), KeyStatus::kOk) << data.size();
    EXPECT_EQ(key.public_key(), expected);
    EXPECT_EQ(Encoded(key), full) << "re-encoded as seed || public";
  }
}

TEST(PrivateKeyTest, RejectsEd25519KeysWhoseEmbeddedPublicKeyIsNotTheirs) {
  std::vector<uint8_t> data = FromHex(spec_vectors::kEd25519PrivateKey);
  data.erase(data.begin(), data.begin() + 4);
  std::vector<uint8_t> wrong_public = data;
  wrong_public.back() ^= 1;
  EXPECT_EQ(FromData(KeyType::kEd25519, wrong_public), KeyStatus::kEd25519PublicMismatch);
  std::vector<uint8_t> legacy_mismatch = data;
  legacy_mismatch.insert(legacy_mismatch.end(), data.begin() + 32, data.end());
  legacy_mismatch.back() ^= 1;
  EXPECT_EQ(FromData(KeyType::kEd25519, legacy_mismatch), KeyStatus::kEd25519PublicMismatch);
  EXPECT_EQ(FromData(KeyType::kEd25519, std::vector<uint8_t>(40, 1)), KeyStatus::kBadLength);
}

TEST(PrivateKeyTest, RejectsSecp256k1ScalarsOutsideOneToOrderMinusOne) {
  const std::vector<uint8_t> order =
      FromHex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  std::vector<uint8_t> order_minus_one = order;
  order_minus_one.back() -= 1;
  EXPECT_EQ(FromData(KeyType::kSecp256k1, std::vector<uint8_t>(32, 0)), KeyStatus::kInvalidScalar);
  EXPECT_EQ(FromData(KeyType::kSecp256k1, order), KeyStatus::kInvalidScalar);
  EXPECT_EQ(FromData(KeyType::kSecp256k1, std::vector<uint8_t>(32, 0xff)),
            KeyStatus::kInvalidScalar);
  EXPECT_EQ(FromData(KeyType::kSecp256k1, order_minus_one), KeyStatus::kOk);
  EXPECT_EQ(FromData(KeyType::kSecp256k1, std::vector<uint8_t>(31, 1)), KeyStatus::kBadLength);
}

TEST(PrivateKeyTest, RejectsEcdsaKeysWhosePublicPointIsNotTheirs) {
  std::vector<uint8_t> der = FromHex(spec_vectors::kEcdsaPrivateKey);
  der.erase(der.begin(), der.begin() + 4);
  // SEC1: 30 77 02 01 01 04 20 <scalar>: swap in another valid scalar.
  ASSERT_EQ(ToHex(std::vector<uint8_t>(der.begin(), der.begin() + 7)), "30770201010420");
  std::fill(der.begin() + 7, der.begin() + 7 + 32, 0x01);
  EXPECT_EQ(FromData(KeyType::kEcdsa, der), KeyStatus::kInconsistentKey);
}

TEST(PrivateKeyTest, RejectsEcdsaPrivateKeysOnOtherCurves) {
  std::vector<uint8_t> der;
  ASSERT_EQ(DerKeyCodec::EncodePrivateKey(*test::EcKey("secp256k1"), &der), KeyStatus::kOk);
  EXPECT_EQ(FromData(KeyType::kEcdsa, der), KeyStatus::kUnsupportedCurve);
  ASSERT_EQ(DerKeyCodec::EncodePrivateKey(*test::EcKey("P-384"), &der), KeyStatus::kOk);
  EXPECT_EQ(FromData(KeyType::kEcdsa, der), KeyStatus::kUnsupportedCurve);
}

TEST(PrivateKeyTest, RejectsDerOfTheWrongAlgorithmOrShape) {
  std::vector<uint8_t> ecdsa = FromHex(spec_vectors::kEcdsaPrivateKey);
  ecdsa.erase(ecdsa.begin(), ecdsa.begin() + 4);
  std::vector<uint8_t> rsa = FromHex(spec_vectors::kRsaPrivateKey);
  rsa.erase(rsa.begin(), rsa.begin() + 5);
  ASSERT_EQ(FromData(KeyType::kRsa, rsa), KeyStatus::kOk);
  EXPECT_EQ(FromData(KeyType::kRsa, ecdsa), KeyStatus::kMalformedDer);
  EXPECT_EQ(FromData(KeyType::kEcdsa, rsa), KeyStatus::kMalformedDer);
  std::vector<uint8_t> trailing = ecdsa;
  trailing.push_back(0);
  EXPECT_EQ(FromData(KeyType::kEcdsa, trailing), KeyStatus::kMalformedDer);
  EXPECT_EQ(FromData(KeyType::kRsa, {}), KeyStatus::kMalformedDer);
}

TEST(PrivateKeyTest, RejectsRsaKeysWhoseHalvesDoNotMatch) {
  std::vector<uint8_t> rsa = FromHex(spec_vectors::kRsaPrivateKey);
  rsa.erase(rsa.begin(), rsa.begin() + 5);
  // PKCS#1: 30 82 09 2a 02 01 00 02 82 02 01 00 <modulus>: change the modulus.
  ASSERT_EQ(ToHex(std::vector<uint8_t>(rsa.begin(), rsa.begin() + 12)), "3082092a0201000282020100");
  rsa[100] ^= 0x01;
  EXPECT_EQ(FromData(KeyType::kRsa, rsa), KeyStatus::kInconsistentKey);
}

TEST(PrivateKeyTest, RefusesSmallRsaKeys) {
  std::vector<uint8_t> der;
  ASSERT_EQ(DerKeyCodec::EncodePrivateKey(*test::RsaKey(1024), &der), KeyStatus::kOk);
  EXPECT_EQ(FromData(KeyType::kRsa, der), KeyStatus::kRsaTooSmall);
  PrivateKey key;
  EXPECT_EQ(PrivateKey::FromOpenSslKey(test::RsaKey(1024), &key), KeyStatus::kRsaTooSmall);
}

TEST(PrivateKeyTest, AdoptsOnlySupportedOpenSslKeys) {
  PrivateKey key;
  EXPECT_EQ(PrivateKey::FromOpenSslKey(nullptr, &key), KeyStatus::kEmptyKey);
  EXPECT_EQ(PrivateKey::FromOpenSslKey(test::X25519Key(), &key), KeyStatus::kWrongAlgorithm);
  EXPECT_EQ(PrivateKey::FromOpenSslKey(test::EcKey("P-384"), &key), KeyStatus::kUnsupportedCurve);
  ASSERT_EQ(PrivateKey::FromOpenSslKey(test::EcKey("P-256"), &key), KeyStatus::kOk);
  EXPECT_EQ(key.type(), KeyType::kEcdsa);
  ASSERT_EQ(PrivateKey::FromOpenSslKey(test::EcKey("secp256k1"), &key), KeyStatus::kOk);
  EXPECT_EQ(key.type(), KeyType::kSecp256k1);
}

TEST(PrivateKeyTest, DecodeReportsEnvelopeErrorsAndLeavesOutputAlone) {
  PrivateKey key = MustDecode(spec_vectors::kEd25519PrivateKey);
  EXPECT_EQ(PrivateKey::Decode(FromHex("ffff"), &key), KeyStatus::kMalformedProtobuf);
  EXPECT_EQ(PrivateKey::Decode(FromHex("08051200"), &key), KeyStatus::kUnknownKeyType);
  EXPECT_EQ(PrivateKey::Decode(FromHex("0802"), &key), KeyStatus::kMissingField);
  EXPECT_EQ(ToHex(key.public_key().Encode()), spec_vectors::kEd25519PublicKey);
}

TEST(PrivateKeyTest, EmptyAndMovedFromKeysCannotSign) {
  PrivateKey key = MustDecode(spec_vectors::kEd25519PrivateKey);
  PrivateKey moved = std::move(key);
  std::vector<uint8_t> signature;
  EXPECT_TRUE(key.empty());  // NOLINT(bugprone-use-after-move): the contract under test.
  EXPECT_EQ(key.Sign(kMessage, &signature), SignStatus::kEmptyKey);
  EXPECT_EQ(PrivateKey().Sign(kMessage, &signature), SignStatus::kEmptyKey);
  EXPECT_EQ(PrivateKey().Encode(&signature), KeyStatus::kEmptyKey);
  EXPECT_EQ(moved.Sign(kMessage, &signature), SignStatus::kOk);
}

}  // namespace
}  // namespace p2pquic
