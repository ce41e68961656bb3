// The node's stateless reset secret: HKDF-SHA256 of its identity key,
// pinned by a vector computed outside this code base (Python's hmac and
// cryptography packages, RFC 5869 by hand), so a change that would make a
// restarted node's resets unrecognisable to its peers fails here.
#include "node/stateless_reset_secret.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "transport/base/hex.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::node {
namespace {

// An Ed25519 identity whose seed is 00 01 02 ... 1f.
PrivateKey SeedKey() {
  std::array<uint8_t, 32> seed;
  for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(i);
  PrivateKey key;
  EXPECT_EQ(PrivateKey::FromData(KeyType::kEd25519, seed, &key), KeyStatus::kOk);
  return key;
}

TEST(StatelessResetSecretTest, IsHkdfSha256OfTheEncodedIdentity) {
  // HKDF-SHA256(salt = none, IKM = 08 01 12 40 || seed || public key,
  //             info = "p2pquic stateless reset secret v1", L = 32).
  ResetSecret secret;
  ASSERT_EQ(DeriveStatelessResetSecret(SeedKey(), &secret), ResetSecretStatus::kOk);
  EXPECT_EQ(HexEncode(secret), "8923eb4864acea0949e968bc7a42275387a9d3c859d1db2b9d2d792726067ec6");
}

TEST(StatelessResetSecretTest, TheSameIdentityGivesTheSameSecretAndAnotherAnother) {
  ResetSecret first, again, other;
  ASSERT_EQ(DeriveStatelessResetSecret(SeedKey(), &first), ResetSecretStatus::kOk);
  ASSERT_EQ(DeriveStatelessResetSecret(SeedKey(), &again), ResetSecretStatus::kOk);
  EXPECT_EQ(first, again);  // A restarted node: its peers recognise its resets.
  SeededRandom random(5);
  for (KeyType type : {KeyType::kEd25519, KeyType::kSecp256k1, KeyType::kEcdsa}) {
    PrivateKey key;
    ASSERT_EQ(PrivateKey::Generate(type, random, &key), KeyStatus::kOk);
    ASSERT_EQ(DeriveStatelessResetSecret(key, &other), ResetSecretStatus::kOk);
    EXPECT_NE(other, first) << ToString(type);
  }
}

TEST(StatelessResetSecretTest, AnEmptyKeyIsRefusedAndLeavesTheOutputAlone) {
  ResetSecret secret;
  secret.fill(0xee);
  EXPECT_EQ(DeriveStatelessResetSecret(PrivateKey(), &secret), ResetSecretStatus::kEmptyKey);
  ResetSecret untouched;
  untouched.fill(0xee);
  EXPECT_EQ(secret, untouched);
}

}  // namespace
}  // namespace p2pquic::node
