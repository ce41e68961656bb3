// Robustness: the identity decoders take bytes from the network and from
// disk, so random and mutated inputs must only ever produce an error status
// (run under ASan/UBSan in CI: no crash, no overread, no leak).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/byte_mutation.h"
#include "tests/transport/identity/hex.h"
#include "tests/transport/identity/spec_key_vectors.h"
#include "transport/identity/base32.h"
#include "transport/identity/base58.h"
#include "transport/identity/peer_id.h"
#include "transport/identity/private_key.h"
#include "transport/identity/public_key.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

constexpr int kRandomInputs = 3000;
constexpr int kMutationsPerVector = 300;
// RSA private keys cost a signature each to check: fewer of those.
constexpr int kRsaPrivateMutations = 40;
constexpr size_t kMaxRandomLength = 160;

std::vector<uint8_t> RandomBytes(SeededRandom& random, size_t max_length) {
  std::vector<uint8_t> bytes(random.NextU64() % (max_length + 1));
  random.Fill(bytes);
  return bytes;
}

// Flips, overwrites, truncates or extends a valid encoding a little.
std::vector<uint8_t> Mutate(SeededRandom& random, std::vector<uint8_t> bytes) {
  return p2pquic::testing::MutateBytes(random, std::move(bytes), 3);
}

// Whatever decodes must behave like a key: encode, sign, verify.
void ExerciseDecodedPublicKey(const PublicKey& key) {
  const PeerId id = PeerId::FromPublicKey(key);
  EXPECT_TRUE(id.Matches(key));
  EXPECT_NE(key.Verify(std::vector<uint8_t>{1, 2}, std::vector<uint8_t>(64, 0)),
            SignatureStatus::kValid);
}

void ExerciseDecodedPrivateKey(const PrivateKey& key) {
  std::vector<uint8_t> signature;
  ASSERT_EQ(key.Sign(std::vector<uint8_t>{1, 2}, &signature), SignStatus::kOk);
  EXPECT_EQ(key.public_key().Verify(std::vector<uint8_t>{1, 2}, signature),
            SignatureStatus::kValid);
}

TEST(IdentityFuzzTest, RandomBytesNeverCrashTheKeyDecoders) {
  SeededRandom random(0x1de);
  for (int i = 0; i < kRandomInputs; ++i) {
    const std::vector<uint8_t> bytes = RandomBytes(random, kMaxRandomLength);
    PublicKey public_key;
    if (PublicKey::Decode(bytes, &public_key) == KeyStatus::kOk) {
      ExerciseDecodedPublicKey(public_key);
    }
    PrivateKey private_key;
    if (PrivateKey::Decode(bytes, &private_key) == KeyStatus::kOk) {
      ExerciseDecodedPrivateKey(private_key);
    }
    // The same bytes as the Data of each key type.
    for (KeyType type : {KeyType::kEd25519, KeyType::kSecp256k1, KeyType::kEcdsa, KeyType::kRsa}) {
      PublicKey::FromData(type, bytes, &public_key);
      PrivateKey::FromData(type, bytes, &private_key);
    }
  }
}

TEST(IdentityFuzzTest, MutatedSpecVectorsNeverCrashTheKeyDecoders) {
  SeededRandom random(0xbad);
  for (std::string_view hex : {spec_vectors::kEd25519PublicKey, spec_vectors::kSecp256k1PublicKey,
                               spec_vectors::kEcdsaPublicKey, spec_vectors::kRsaPublicKey}) {
    const std::vector<uint8_t> valid = test::FromHex(hex);
    for (int i = 0; i < kMutationsPerVector; ++i) {
      PublicKey key;
      if (PublicKey::Decode(Mutate(random, valid), &key) == KeyStatus::kOk) {
        ExerciseDecodedPublicKey(key);
      }
    }
  }
  for (std::string_view hex : {spec_vectors::kEd25519PrivateKey, spec_vectors::kSecp256k1PrivateKey,
                               spec_vectors::kEcdsaPrivateKey, spec_vectors::kRsaPrivateKey}) {
    const std::vector<uint8_t> valid = test::FromHex(hex);
    const int rounds =
        hex == spec_vectors::kRsaPrivateKey ? kRsaPrivateMutations : kMutationsPerVector;
    for (int i = 0; i < rounds; ++i) {
      PrivateKey key;
      if (PrivateKey::Decode(Mutate(random, valid), &key) == KeyStatus::kOk) {
        ExerciseDecodedPrivateKey(key);
      }
    }
  }
}

// Valid peer IDs with one character replaced, dropped or added (many still
// parse: most characters of a sha2-256 ID are digest), or random text.
std::string RandomPeerIdText(SeededRandom& random) {
  static const std::string kAlphabet =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0OIl/=+ \xff";
  static const std::string kValid[] = {
      "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
      "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
      "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe",
      "16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY",
  };
  const char random_char = kAlphabet[random.NextU64() % kAlphabet.size()];
  if (random.NextU64() % 4 == 0) {
    std::string text(random.NextU64() % 80, ' ');
    for (char& c : text) c = kAlphabet[random.NextU64() % kAlphabet.size()];
    return text;
  }
  std::string text = kValid[random.NextU64() % std::size(kValid)];
  const size_t at = random.NextU64() % text.size();
  switch (random.NextU64() % 3) {
    case 0:
      text[at] = random_char;
      break;
    case 1:
      text.erase(at, 1);
      break;
    default:
      text.insert(at, 1, random_char);
      break;
  }
  return text;
}

TEST(IdentityFuzzTest, RandomTextNeverCrashesPeerIdParsingAndWhatParsesRoundTrips) {
  SeededRandom random(0x9eed);
  int parsed = 0;
  for (int i = 0; i < kRandomInputs; ++i) {
    const std::string text = RandomPeerIdText(random);
    PeerId id;
    if (PeerId::Parse(text, &id) == PeerIdStatus::kOk) {
      ++parsed;
      PeerId again;
      ASSERT_EQ(PeerId::Parse(id.ToString(), &again), PeerIdStatus::kOk) << text;
      EXPECT_EQ(again, id) << text;
      ASSERT_EQ(PeerId::Parse(id.ToCidString(), &again), PeerIdStatus::kOk) << text;
      EXPECT_EQ(again, id) << text;
      PublicKey key;
      if (id.ExtractPublicKey(&key) == PeerIdStatus::kOk) {
        EXPECT_TRUE(id.Matches(key));
      }
    }
    std::vector<uint8_t> decoded;
    Base58::Decode(text, &decoded);
    Base32::Decode(text, &decoded);
  }
  EXPECT_GT(parsed, kRandomInputs / 10) << "the generator must reach valid peer IDs too";
}

TEST(IdentityFuzzTest, RandomAndMutatedBytesNeverCrashPeerIdFromBytes) {
  SeededRandom random(0x1d);
  const std::vector<uint8_t> valid =
      test::FromHex("0024" + std::string(spec_vectors::kEd25519PublicKey));
  for (int i = 0; i < kRandomInputs; ++i) {
    const std::vector<uint8_t> bytes = i % 2 == 0 ? RandomBytes(random, 48) : Mutate(random, valid);
    PeerId id;
    if (PeerId::FromBytes(bytes, &id) == PeerIdStatus::kOk) {
      EXPECT_EQ(std::vector<uint8_t>(id.bytes().begin(), id.bytes().end()), bytes);
      PublicKey key;
      if (id.ExtractPublicKey(&key) == PeerIdStatus::kOk) {
        EXPECT_TRUE(id.Matches(key));
      }
    }
  }
}

}  // namespace
}  // namespace p2pquic
