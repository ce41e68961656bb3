#include "transport/identity/public_key.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>

#include <vector>

#include "tests/transport/identity/hex.h"
#include "tests/transport/identity/openssl_test_keys.h"
#include "tests/transport/identity/spec_key_vectors.h"
#include "transport/identity/der_key_codec.h"

namespace p2pquic {
namespace {

using test::FromHex;
using test::ToHex;

PublicKey MustDecode(std::string_view hex) {
  PublicKey key;
  EXPECT_EQ(PublicKey::Decode(FromHex(hex), &key), KeyStatus::kOk) << hex.substr(0, 16);
  return key;
}

std::vector<uint8_t> Spki(const EVP_PKEY& key) {
  std::vector<uint8_t> der;
  EXPECT_EQ(DerKeyCodec::EncodeSpki(key, &der), KeyStatus::kOk);
  return der;
}

KeyStatus FromData(KeyType type, const std::vector<uint8_t>& data) {
  PublicKey key;
  return PublicKey::FromData(type, data, &key);
}

TEST(PublicKeyTest, DecodesEverySpecVectorAndReencodesItByteForByte) {
  const std::pair<std::string_view, KeyType> vectors[] = {
      {spec_vectors::kEd25519PublicKey, KeyType::kEd25519},
      {spec_vectors::kSecp256k1PublicKey, KeyType::kSecp256k1},
      {spec_vectors::kEcdsaPublicKey, KeyType::kEcdsa},
      {spec_vectors::kRsaPublicKey, KeyType::kRsa},
  };
  for (const auto& [hex, type] : vectors) {
    const PublicKey key = MustDecode(hex);
    EXPECT_FALSE(key.empty());
    EXPECT_EQ(key.type(), type);
    EXPECT_EQ(ToHex(key.Encode()), hex) << ToString(type);
  }
}

TEST(PublicKeyTest, EqualityComparesTypeAndKey) {
  const PublicKey a = MustDecode(spec_vectors::kEd25519PublicKey);
  const PublicKey b = MustDecode(spec_vectors::kEd25519PublicKey);
  const PublicKey other = MustDecode(spec_vectors::kSecp256k1PublicKey);
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a == other);
  const PublicKey copy = a;  // Copies share the OpenSSL key.
  EXPECT_EQ(copy, a);
  EXPECT_EQ(copy.openssl_key(), a.openssl_key());
}

TEST(PublicKeyTest, RejectsRawKeysOfTheWrongLength) {
  EXPECT_EQ(FromData(KeyType::kEd25519, std::vector<uint8_t>(31, 1)), KeyStatus::kBadLength);
  EXPECT_EQ(FromData(KeyType::kEd25519, std::vector<uint8_t>(33, 1)), KeyStatus::kBadLength);
  // secp256k1 keys travel compressed (33 bytes), never uncompressed (65).
  EXPECT_EQ(FromData(KeyType::kSecp256k1, std::vector<uint8_t>(32, 2)), KeyStatus::kBadLength);
  EXPECT_EQ(FromData(KeyType::kSecp256k1, std::vector<uint8_t>(65, 4)), KeyStatus::kBadLength);
}

TEST(PublicKeyTest, RejectsSecp256k1PointsNotOnTheCurve) {
  // x = 5: x^3 + 7 has no square root mod p, so no point has this x.
  std::vector<uint8_t> off_curve(33, 0);
  off_curve[0] = 0x02;
  off_curve[32] = 5;
  EXPECT_EQ(FromData(KeyType::kSecp256k1, off_curve), KeyStatus::kInvalidPoint);
  // x >= p is no field element.
  std::vector<uint8_t> too_big(33, 0xff);
  too_big[0] = 0x03;
  EXPECT_EQ(FromData(KeyType::kSecp256k1, too_big), KeyStatus::kInvalidPoint);
  // Not a compressed-point prefix.
  std::vector<uint8_t> bad_prefix = FromHex(spec_vectors::kSecp256k1PublicKey);
  bad_prefix.erase(bad_prefix.begin(), bad_prefix.begin() + 4);  // The protobuf envelope.
  EXPECT_EQ(bad_prefix.size(), 33u);
  bad_prefix[0] = 0x05;
  EXPECT_EQ(FromData(KeyType::kSecp256k1, bad_prefix), KeyStatus::kInvalidPoint);
}

TEST(PublicKeyTest, RejectsDerKeysOfAnotherAlgorithmThanTheirType) {
  const std::vector<uint8_t> ecdsa = FromHex(spec_vectors::kEcdsaPublicKey);
  const std::vector<uint8_t> ecdsa_spki(ecdsa.begin() + 4, ecdsa.end());
  const std::vector<uint8_t> rsa = FromHex(spec_vectors::kRsaPublicKey);
  const std::vector<uint8_t> rsa_spki(rsa.begin() + 5, rsa.end());
  ASSERT_EQ(FromData(KeyType::kEcdsa, ecdsa_spki), KeyStatus::kOk);
  ASSERT_EQ(FromData(KeyType::kRsa, rsa_spki), KeyStatus::kOk);
  EXPECT_EQ(FromData(KeyType::kRsa, ecdsa_spki), KeyStatus::kWrongAlgorithm);
  EXPECT_EQ(FromData(KeyType::kEcdsa, rsa_spki), KeyStatus::kWrongAlgorithm);
  const UniqueEvpPkey x25519 = test::X25519Key();
  EXPECT_EQ(FromData(KeyType::kEcdsa, Spki(*x25519)), KeyStatus::kWrongAlgorithm);
}

TEST(PublicKeyTest, RejectsEcdsaOnCurvesOtherThanP256) {
  EXPECT_EQ(FromData(KeyType::kEcdsa, Spki(*test::EcKey("P-384"))), KeyStatus::kUnsupportedCurve);
  EXPECT_EQ(FromData(KeyType::kEcdsa, Spki(*test::EcKey("secp256k1"))),
            KeyStatus::kUnsupportedCurve);
  EXPECT_STREQ(ToString(KeyStatus::kUnsupportedCurve),
               "unsupported ECDSA curve (only P-256 is supported)");
}

TEST(PublicKeyTest, StoresEcdsaKeysInCanonicalUncompressedForm) {
  PublicKey spec = MustDecode(spec_vectors::kEcdsaPublicKey);
  UniqueEvpPkey compressed(EVP_PKEY_dup(spec.openssl_key()));
  ASSERT_TRUE(EVP_PKEY_set_utf8_string_param(
      compressed.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "compressed"));
  const std::vector<uint8_t> compressed_spki = Spki(*compressed);
  ASSERT_LT(compressed_spki.size(), spec.data().size());
  PublicKey key;
  ASSERT_EQ(PublicKey::FromData(KeyType::kEcdsa, compressed_spki, &key), KeyStatus::kOk);
  EXPECT_EQ(key, spec);
}

TEST(PublicKeyTest, RejectsMalformedDer) {
  std::vector<uint8_t> spki = FromHex(spec_vectors::kRsaPublicKey);
  spki.erase(spki.begin(), spki.begin() + 5);
  std::vector<uint8_t> trailing = spki;
  trailing.push_back(0);
  EXPECT_EQ(FromData(KeyType::kRsa, trailing), KeyStatus::kMalformedDer);
  spki.pop_back();
  EXPECT_EQ(FromData(KeyType::kRsa, spki), KeyStatus::kMalformedDer);
  EXPECT_EQ(FromData(KeyType::kEcdsa, {}), KeyStatus::kMalformedDer);
  EXPECT_EQ(FromData(KeyType::kEcdsa, {0x30, 0x03, 0x02, 0x01, 0x00}), KeyStatus::kMalformedDer);
}

TEST(PublicKeyTest, RefusesRsaKeysOutside2048To8192Bits) {
  EXPECT_EQ(FromData(KeyType::kRsa, Spki(*test::RsaKey(1024))), KeyStatus::kRsaTooSmall);
  EXPECT_EQ(FromData(KeyType::kRsa, Spki(*test::RsaPublicKeyOfBits(2047))),
            KeyStatus::kRsaTooSmall);
  EXPECT_EQ(FromData(KeyType::kRsa, Spki(*test::RsaPublicKeyOfBits(2048))), KeyStatus::kOk);
  EXPECT_EQ(FromData(KeyType::kRsa, Spki(*test::RsaPublicKeyOfBits(8192))), KeyStatus::kOk);
  EXPECT_EQ(FromData(KeyType::kRsa, Spki(*test::RsaPublicKeyOfBits(8193))),
            KeyStatus::kRsaTooLarge);
  EXPECT_STREQ(ToString(KeyStatus::kRsaTooSmall), "RSA key is smaller than 2048 bits");
}

TEST(PublicKeyTest, WrapsOpenSslKeysOfSupportedAlgorithmsOnly) {
  const PublicKey spec = MustDecode(spec_vectors::kEcdsaPublicKey);
  PublicKey wrapped;
  ASSERT_EQ(PublicKey::FromOpenSslKey(*spec.openssl_key(), &wrapped), KeyStatus::kOk);
  EXPECT_EQ(wrapped, spec);
  EXPECT_EQ(PublicKey::FromOpenSslKey(*test::X25519Key(), &wrapped), KeyStatus::kWrongAlgorithm);
  EXPECT_EQ(PublicKey::FromOpenSslKey(*test::EcKey("P-384"), &wrapped),
            KeyStatus::kUnsupportedCurve);
  EXPECT_EQ(PublicKey::FromOpenSslKey(*test::RsaKey(1024), &wrapped), KeyStatus::kRsaTooSmall);
  EXPECT_EQ(wrapped, spec) << "output touched on error";
}

TEST(PublicKeyTest, EmptyKeyVerifiesNothing) {
  const PublicKey empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.Verify(std::vector<uint8_t>{1}, std::vector<uint8_t>(64, 0)),
            SignatureStatus::kEmptyKey);
}

TEST(PublicKeyTest, DecodeLeavesOutputUnchangedOnError) {
  PublicKey key = MustDecode(spec_vectors::kEd25519PublicKey);
  EXPECT_EQ(PublicKey::Decode(FromHex("08011201aa"), &key), KeyStatus::kBadLength);
  EXPECT_EQ(key, MustDecode(spec_vectors::kEd25519PublicKey));
}

}  // namespace
}  // namespace p2pquic
