#include "transport/runtime/openssl/rsa_key_generator.h"

#include <gtest/gtest.h>

#include <vector>

#include "transport/identity/key_limits.h"
#include "transport/identity/peer_id.h"

namespace p2pquic {
namespace {

std::vector<uint8_t> Encoded(const PrivateKey& key) {
  std::vector<uint8_t> bytes;
  EXPECT_EQ(key.Encode(&bytes), KeyStatus::kOk);
  return bytes;
}

TEST(RsaKeyGeneratorTest, GeneratesAWorkingRsaIdentity) {
  PrivateKey key;
  ASSERT_EQ(RsaKeyGenerator::Generate(RsaKeyGenerator::kDefaultBits, &key), KeyStatus::kOk);
  EXPECT_EQ(key.type(), KeyType::kRsa);
  EXPECT_EQ(EVP_PKEY_get_bits(key.openssl_key()), 2048);
  const std::vector<uint8_t> message = {'p', 'i', 'n', 'g'};
  std::vector<uint8_t> signature;
  ASSERT_EQ(key.Sign(message, &signature), SignStatus::kOk);
  EXPECT_EQ(key.public_key().Verify(message, signature), SignatureStatus::kValid);
  // RSA public keys are too big to inline: sha2-256 peer IDs.
  EXPECT_EQ(PeerId::FromPublicKey(key.public_key()).ToString().substr(0, 2), "Qm");

  PrivateKey decoded;
  ASSERT_EQ(PrivateKey::Decode(Encoded(key), &decoded), KeyStatus::kOk);
  EXPECT_EQ(decoded.public_key(), key.public_key());
}

TEST(RsaKeyGeneratorTest, DrawsFreshKeysFromOpenSslsGenerator) {
  PrivateKey a, b;
  ASSERT_EQ(RsaKeyGenerator::Generate(kMinRsaBits, &a), KeyStatus::kOk);
  ASSERT_EQ(RsaKeyGenerator::Generate(kMinRsaBits, &b), KeyStatus::kOk);
  EXPECT_FALSE(a.public_key() == b.public_key());
}

TEST(RsaKeyGeneratorTest, RefusesSizesOutsideTheSupportedRange) {
  PrivateKey key;
  EXPECT_EQ(RsaKeyGenerator::Generate(1024, &key), KeyStatus::kRsaTooSmall);
  EXPECT_EQ(RsaKeyGenerator::Generate(kMinRsaBits - 1, &key), KeyStatus::kRsaTooSmall);
  EXPECT_EQ(RsaKeyGenerator::Generate(kMaxRsaBits + 1, &key), KeyStatus::kRsaTooLarge);
  EXPECT_TRUE(key.empty());
}

}  // namespace
}  // namespace p2pquic
