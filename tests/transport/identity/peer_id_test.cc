#include "transport/identity/peer_id.h"

#include <absl/container/flat_hash_set.h>
#include <gtest/gtest.h>

#include <unordered_set>
#include <vector>

#include "tests/transport/identity/hex.h"
#include "tests/transport/identity/spec_key_vectors.h"
#include "transport/identity/base32.h"
#include "transport/identity/base58.h"
#include "transport/identity/private_key.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

using test::FromHex;
using test::ToHex;

// From the peer-ids spec's "String representation" examples.
constexpr std::string_view kSpecEd25519PeerId =
    "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
constexpr std::string_view kSpecSha256PeerId = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
constexpr std::string_view kSpecSha256PeerIdAsCid =
    "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe";

PublicKey Key(std::string_view hex) {
  PublicKey key;
  EXPECT_EQ(PublicKey::Decode(FromHex(hex), &key), KeyStatus::kOk);
  return key;
}

PeerId Parsed(std::string_view text) {
  PeerId id;
  EXPECT_EQ(PeerId::Parse(text, &id), PeerIdStatus::kOk) << text;
  return id;
}

PeerIdStatus ParseStatus(std::string_view text) {
  PeerId id;
  return PeerId::Parse(text, &id);
}

PeerIdStatus BytesStatus(const std::vector<uint8_t>& bytes) {
  PeerId id;
  return PeerId::FromBytes(bytes, &id);
}

std::string CidText(char prefix, std::vector<uint8_t> cid) {
  return std::string(1, prefix) + (prefix == 'b' ? Base32::Encode(cid) : Base58::Encode(cid));
}

TEST(PeerIdTest, DerivesThePeerIdsOfTheSpecKeyVectors) {
  EXPECT_EQ(PeerId::FromPublicKey(Key(spec_vectors::kEd25519PublicKey)).ToString(),
            spec_vectors::kEd25519PeerId);
  EXPECT_EQ(PeerId::FromPublicKey(Key(spec_vectors::kSecp256k1PublicKey)).ToString(),
            spec_vectors::kSecp256k1PeerId);
  EXPECT_EQ(PeerId::FromPublicKey(Key(spec_vectors::kEcdsaPublicKey)).ToString(),
            spec_vectors::kEcdsaPeerId);
  EXPECT_EQ(PeerId::FromPublicKey(Key(spec_vectors::kRsaPublicKey)).ToString(),
            spec_vectors::kRsaPeerId);
}

TEST(PeerIdTest, InlinesSmallKeysAndHashesLargeOnes) {
  // Ed25519 (36 encoded bytes) and secp256k1 (37) fit in 42: identity multihash.
  for (std::string_view hex :
       {spec_vectors::kEd25519PublicKey, spec_vectors::kSecp256k1PublicKey}) {
    const PublicKey key = Key(hex);
    const PeerId id = PeerId::FromPublicKey(key);
    const std::vector<uint8_t> encoded = key.Encode();
    ASSERT_LE(encoded.size(), kMaxInlineKeyBytes);
    std::vector<uint8_t> expected = {0x00, static_cast<uint8_t>(encoded.size())};
    expected.insert(expected.end(), encoded.begin(), encoded.end());
    EXPECT_EQ(std::vector<uint8_t>(id.bytes().begin(), id.bytes().end()), expected);
  }
  // ECDSA (95) and RSA (hundreds): sha2-256 multihash, 0x12 0x20 + 32 bytes.
  for (std::string_view hex : {spec_vectors::kEcdsaPublicKey, spec_vectors::kRsaPublicKey}) {
    const PeerId id = PeerId::FromPublicKey(Key(hex));
    ASSERT_EQ(id.bytes().size(), 34u);
    EXPECT_EQ(id.bytes()[0], 0x12);
    EXPECT_EQ(id.bytes()[1], 0x20);
    EXPECT_EQ(id.ToString().substr(0, 2), "Qm");
  }
}

TEST(PeerIdTest, ParsesAndExtractsTheKeyOfTheSpecEd25519Example) {
  const PeerId id = Parsed(kSpecEd25519PeerId);
  EXPECT_EQ(id.ToString(), kSpecEd25519PeerId);
  PublicKey key;
  ASSERT_EQ(id.ExtractPublicKey(&key), PeerIdStatus::kOk);
  EXPECT_EQ(key.type(), KeyType::kEd25519);
  EXPECT_TRUE(id.Matches(key));
  EXPECT_EQ(PeerId::FromPublicKey(key), id);
}

TEST(PeerIdTest, ParsesTheSpecSha256ExampleInBothForms) {
  const PeerId base58 = Parsed(kSpecSha256PeerId);
  const PeerId cid = Parsed(kSpecSha256PeerIdAsCid);
  EXPECT_EQ(base58, cid);
  EXPECT_EQ(cid.ToString(), kSpecSha256PeerId);
  EXPECT_EQ(base58.ToCidString(), kSpecSha256PeerIdAsCid);
  PublicKey key;
  EXPECT_EQ(base58.ExtractPublicKey(&key), PeerIdStatus::kKeyNotInlined);
}

TEST(PeerIdTest, ParsesCidsInBase58AndRoundTripsIdentityCids) {
  const PeerId id = Parsed(kSpecEd25519PeerId);
  std::vector<uint8_t> cid = {0x01, 0x72};
  cid.insert(cid.end(), id.bytes().begin(), id.bytes().end());
  EXPECT_EQ(Parsed(CidText('z', cid)), id);
  EXPECT_EQ(Parsed(id.ToCidString()), id);
  EXPECT_EQ(id.ToCidString().substr(0, 4), "bafz");
}

TEST(PeerIdTest, MatchesOnlyItsOwnKey) {
  const PeerId id = PeerId::FromPublicKey(Key(spec_vectors::kRsaPublicKey));
  EXPECT_TRUE(id.Matches(Key(spec_vectors::kRsaPublicKey)));
  EXPECT_FALSE(id.Matches(Key(spec_vectors::kEcdsaPublicKey)));
  EXPECT_FALSE(id.Matches(PublicKey()));
  EXPECT_FALSE(PeerId().Matches(Key(spec_vectors::kRsaPublicKey)));
  EXPECT_TRUE(PeerId::FromPublicKey(PublicKey()).empty());
}

TEST(PeerIdTest, GeneratedKeysGetMatchingPeerIdsThatRoundTripThroughText) {
  SeededRandom random(3);
  for (KeyType type : {KeyType::kEd25519, KeyType::kSecp256k1, KeyType::kEcdsa}) {
    PrivateKey key;
    ASSERT_EQ(PrivateKey::Generate(type, random, &key), KeyStatus::kOk);
    const PeerId id = PeerId::FromPublicKey(key.public_key());
    EXPECT_TRUE(id.Matches(key.public_key()));
    EXPECT_EQ(Parsed(id.ToString()), id);
    EXPECT_EQ(Parsed(id.ToCidString()), id);
  }
}

TEST(PeerIdTest, EqualIdsHashEqually) {
  std::unordered_set<PeerId> ids = {Parsed(kSpecSha256PeerId), Parsed(kSpecSha256PeerIdAsCid),
                                    Parsed(kSpecEd25519PeerId)};
  EXPECT_EQ(ids.size(), 2u);
  absl::flat_hash_set<PeerId> absl_ids = {Parsed(kSpecSha256PeerId),
                                          Parsed(kSpecSha256PeerIdAsCid)};
  EXPECT_EQ(absl_ids.size(), 1u);
}

TEST(PeerIdTest, RejectsTextThatIsNoPeerId) {
  EXPECT_EQ(ParseStatus(""), PeerIdStatus::kEmpty);
  EXPECT_EQ(ParseStatus(std::string(kMaxPeerIdTextLength + 1, '1')), PeerIdStatus::kTooLong);
  EXPECT_EQ(ParseStatus("12D3KooW0"), PeerIdStatus::kBadBase58);
  EXPECT_EQ(ParseStatus("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5l"),
            PeerIdStatus::kBadBase58);
  EXPECT_EQ(ParseStatus("xyz"), PeerIdStatus::kUnsupportedMultibase);
  EXPECT_EQ(ParseStatus("BAFZBEIE5745RPV2M6TJYUUGYWY4D5EWRQGQQHFNF445HE3OMZPJBX5XQXE"),
            PeerIdStatus::kUnsupportedMultibase);
  EXPECT_EQ(ParseStatus("bafz1"), PeerIdStatus::kBadBase32);
  EXPECT_EQ(ParseStatus("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5"),
            PeerIdStatus::kMalformedMultihash);
  EXPECT_STREQ(ToString(PeerIdStatus::kUnsupportedMultibase),
               "not a peer ID: expected base58btc ('12D3KooW...', 'Qm...') or a CIDv1 ('bafz...')");
}

TEST(PeerIdTest, RejectsCidsOfOtherVersionsAndCodecs) {
  const PeerId id = Parsed(kSpecSha256PeerId);
  std::vector<uint8_t> v2 = {0x02, 0x72};
  v2.insert(v2.end(), id.bytes().begin(), id.bytes().end());
  EXPECT_EQ(ParseStatus(CidText('b', v2)), PeerIdStatus::kNotCidV1);
  std::vector<uint8_t> dag_pb = {0x01, 0x70};
  dag_pb.insert(dag_pb.end(), id.bytes().begin(), id.bytes().end());
  EXPECT_EQ(ParseStatus(CidText('b', dag_pb)), PeerIdStatus::kNotLibp2pKey);
  EXPECT_EQ(ParseStatus(CidText('z', dag_pb)), PeerIdStatus::kNotLibp2pKey);
}

TEST(PeerIdTest, RejectsMultihashesOtherThanIdentityAndSha256) {
  std::vector<uint8_t> digest31(31, 7), digest32(32, 7), sha1(20, 7), key43(43, 7);
  auto with = [](std::vector<uint8_t> prefix, const std::vector<uint8_t>& body) {
    prefix.insert(prefix.end(), body.begin(), body.end());
    return prefix;
  };
  EXPECT_EQ(BytesStatus(with({0x12, 0x20}, digest32)), PeerIdStatus::kOk);
  EXPECT_EQ(BytesStatus({}), PeerIdStatus::kEmpty);
  EXPECT_EQ(BytesStatus(with({0x12, 0x20}, digest31)), PeerIdStatus::kMalformedMultihash);
  EXPECT_EQ(BytesStatus(with({0x12, 0x1f}, digest31)), PeerIdStatus::kBadDigestLength);
  EXPECT_EQ(BytesStatus(with({0x11, 0x14}, sha1)), PeerIdStatus::kUnsupportedHash);
  EXPECT_EQ(BytesStatus(with({0x00, 0x2b}, key43)), PeerIdStatus::kInlineKeyTooLong);
  EXPECT_EQ(BytesStatus({0x80}), PeerIdStatus::kMalformedMultihash);
  EXPECT_EQ(BytesStatus({0x12, 0x80, 0x00}), PeerIdStatus::kMalformedMultihash);
}

TEST(PeerIdTest, ExtractPublicKeyReportsInlinedBytesThatAreNoKey) {
  PeerId id;
  ASSERT_EQ(PeerId::FromBytes(FromHex("0004"
                                      "08011200"),
                              &id),
            PeerIdStatus::kOk);
  PublicKey key;
  KeyStatus why = KeyStatus::kOk;
  EXPECT_EQ(id.ExtractPublicKey(&key, &why), PeerIdStatus::kBadInlinedKey);
  EXPECT_EQ(why, KeyStatus::kBadLength);
  EXPECT_TRUE(key.empty());
  EXPECT_EQ(PeerId().ExtractPublicKey(&key), PeerIdStatus::kEmpty);
}

TEST(PeerIdTest, ExtractPublicKeyRefusesANonCanonicalKeyEncoding) {
  // The spec Ed25519 key with an extra unknown field: it decodes, but its own
  // peer ID is the canonical one, not this.
  std::vector<uint8_t> encoded = FromHex(spec_vectors::kEd25519PublicKey);
  encoded.push_back(0x18);
  encoded.push_back(0x01);
  std::vector<uint8_t> multihash = {0x00, static_cast<uint8_t>(encoded.size())};
  multihash.insert(multihash.end(), encoded.begin(), encoded.end());
  PeerId id;
  ASSERT_EQ(PeerId::FromBytes(multihash, &id), PeerIdStatus::kOk);
  PublicKey key;
  EXPECT_EQ(id.ExtractPublicKey(&key), PeerIdStatus::kNonCanonicalInlinedKey);
  EXPECT_TRUE(key.empty());
}

TEST(PeerIdTest, ParseLeavesOutputUnchangedOnError) {
  PeerId id = Parsed(kSpecSha256PeerId);
  EXPECT_NE(PeerId::Parse("Qm0", &id), PeerIdStatus::kOk);
  EXPECT_EQ(id.ToString(), kSpecSha256PeerId);
}

}  // namespace
}  // namespace p2pquic
