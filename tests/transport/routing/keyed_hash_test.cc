#include "transport/routing/keyed_hash.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <set>
#include <vector>

#include "transport/runtime/random.h"

namespace p2pquic {
namespace {

// --- Reference SipHash-c-d -------------------------------------------------
// Straight from Aumasson and Bernstein, "SipHash: a fast short-input PRF"
// (2012), section 2: the message is padded to a multiple of 8 bytes with
// zeros and a final byte holding its length mod 256, split into
// little-endian words m_i; each word is absorbed as v3 ^= m; c SipRounds;
// v0 ^= m; then v2 ^= 0xff, d SipRounds, and the output is v0^v1^v2^v3.

uint64_t Rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

uint64_t ReadLe64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

void SipRound(uint64_t& v0, uint64_t& v1, uint64_t& v2, uint64_t& v3) {
  v0 += v1;
  v2 += v3;
  v1 = Rotl(v1, 13);
  v3 = Rotl(v3, 16);
  v1 ^= v0;
  v3 ^= v2;
  v0 = Rotl(v0, 32);
  v2 += v1;
  v0 += v3;
  v1 = Rotl(v1, 17);
  v3 = Rotl(v3, 21);
  v1 ^= v2;
  v3 ^= v0;
  v2 = Rotl(v2, 32);
}

uint64_t ReferenceSipHash(int c, int d, const std::array<uint8_t, 16>& key,
                          const std::vector<uint8_t>& message) {
  const uint64_t k0 = ReadLe64(key.data());
  const uint64_t k1 = ReadLe64(key.data() + 8);
  uint64_t v0 = k0 ^ 0x736f6d6570736575u;  // "somepseu"
  uint64_t v1 = k1 ^ 0x646f72616e646f6du;  // "dorandom"
  uint64_t v2 = k0 ^ 0x6c7967656e657261u;  // "lygenera"
  uint64_t v3 = k1 ^ 0x7465646279746573u;  // "tedbytes"

  std::vector<uint8_t> padded = message;
  while (padded.size() % 8 != 7) padded.push_back(0);
  padded.push_back(static_cast<uint8_t>(message.size() & 0xff));

  for (size_t i = 0; i < padded.size(); i += 8) {
    const uint64_t m = ReadLe64(padded.data() + i);
    v3 ^= m;
    for (int r = 0; r < c; ++r) SipRound(v0, v1, v2, v3);
    v0 ^= m;
  }
  v2 ^= 0xff;
  for (int r = 0; r < d; ++r) SipRound(v0, v1, v2, v3);
  return v0 ^ v1 ^ v2 ^ v3;
}

// KeyedHash::Hash(data, extra) is SipHash-1-3 over (extra as 8 little-endian
// bytes || data).
uint64_t ReferenceKeyedHash(const std::array<uint8_t, 16>& key, const std::vector<uint8_t>& data,
                            uint64_t extra) {
  std::vector<uint8_t> message;
  for (int i = 0; i < 8; ++i) message.push_back(static_cast<uint8_t>(extra >> (8 * i)));
  message.insert(message.end(), data.begin(), data.end());
  return ReferenceSipHash(1, 3, key, message);
}

std::array<uint8_t, 16> SequentialKey() {
  std::array<uint8_t, 16> key;
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i);
  return key;
}

std::vector<uint8_t> Sequence(size_t n, uint8_t start = 0) {
  std::vector<uint8_t> bytes(n);
  for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<uint8_t>(start + i);
  return bytes;
}

TEST(KeyedHashTest, ReferenceSipHash24MatchesOfficialTestVectors) {
  // From the SipHash paper, appendix A, and vectors.h of the reference code:
  // key 00..0f.
  const std::array<uint8_t, 16> key = SequentialKey();
  EXPECT_EQ(ReferenceSipHash(2, 4, key, Sequence(15)), 0xa129ca6149be45e5u);
  EXPECT_EQ(ReferenceSipHash(2, 4, key, {}), 0x726fdb47dd0e0e31u);
}

TEST(KeyedHashTest, MatchesReferenceSipHash13OverExtraThenData) {
  const std::vector<std::array<uint8_t, 16>> keys = {
      SequentialKey(),
      {},
      {0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
       0x00},
  };
  const uint64_t extras[] = {0, 1, 443, 0x0123456789abcdefu, ~uint64_t{0}};
  for (const auto& key : keys) {
    const KeyedHash hash(key);
    for (size_t length = 0; length <= 40; ++length) {
      const std::vector<uint8_t> data = Sequence(length, 0x30);
      for (uint64_t extra : extras) {
        ASSERT_EQ(hash.Hash(data, extra), ReferenceKeyedHash(key, data, extra))
            << "length " << length << " extra " << extra;
      }
    }
  }
}

TEST(KeyedHashTest, CallOperatorIsHashWithZeroExtra) {
  const KeyedHash hash(SequentialKey());
  for (size_t length : {0, 1, 8, 20}) {
    const std::vector<uint8_t> data = Sequence(length, 7);
    EXPECT_EQ(hash(data), hash.Hash(data, 0));
    EXPECT_EQ(hash(data), ReferenceKeyedHash(SequentialKey(), data, 0));
  }
}

TEST(KeyedHashTest, SameKeySameInputGivesSameHash) {
  const KeyedHash a(SequentialKey());
  const KeyedHash b(SequentialKey());
  const std::vector<uint8_t> data = Sequence(20, 0x80);
  EXPECT_EQ(a.Hash(data, 5), b.Hash(data, 5));
  EXPECT_EQ(a.Hash(data, 5), a.Hash(data, 5));
}

TEST(KeyedHashTest, DifferentKeysGiveDifferentHashes) {
  const std::vector<uint8_t> data = Sequence(20);
  std::set<uint64_t> hashes;
  // Flip each key bit in turn: every one changes the hash.
  for (size_t bit = 0; bit < 128; ++bit) {
    std::array<uint8_t, 16> key = SequentialKey();
    key[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    hashes.insert(KeyedHash(key).Hash(data, 0));
  }
  hashes.insert(KeyedHash(SequentialKey()).Hash(data, 0));
  EXPECT_EQ(hashes.size(), 129u);
}

TEST(KeyedHashTest, ExtraChangesTheHash) {
  const KeyedHash hash(SequentialKey());
  const std::vector<uint8_t> data = Sequence(8);
  std::set<uint64_t> hashes;
  for (uint64_t extra = 0; extra < 64; ++extra) hashes.insert(hash.Hash(data, extra));
  hashes.insert(hash.Hash(data, uint64_t{1} << 63));
  EXPECT_EQ(hashes.size(), 65u);
}

TEST(KeyedHashTest, EveryPrefixLengthHashesDistinctly) {
  // Lengths 0..40 of one buffer, including all-zero bytes, where only the
  // length distinguishes the inputs.
  const KeyedHash hash(SequentialKey());
  for (const std::vector<uint8_t>& buffer : {std::vector<uint8_t>(40, 0), Sequence(40, 1)}) {
    std::set<uint64_t> hashes;
    for (size_t length = 0; length <= buffer.size(); ++length) {
      hashes.insert(hash(std::span<const uint8_t>(buffer.data(), length)));
    }
    EXPECT_EQ(hashes.size(), 41u);
  }
}

TEST(KeyedHashTest, HashesOnlyTheGivenSpan) {
  const KeyedHash hash(SequentialKey());
  std::vector<uint8_t> a = Sequence(32);
  std::vector<uint8_t> b = Sequence(32);
  b[20] ^= 0xff;  // Outside the hashed prefix.
  EXPECT_EQ(hash(std::span<const uint8_t>(a.data(), 20)),
            hash(std::span<const uint8_t>(b.data(), 20)));
  b[19] ^= 0xff;  // Inside it.
  EXPECT_NE(hash(std::span<const uint8_t>(a.data(), 20)),
            hash(std::span<const uint8_t>(b.data(), 20)));
}

class PatternRandom final : public Random {
 public:
  void Fill(std::span<uint8_t> out) override {
    for (uint8_t& b : out) b = next_++;
  }

 private:
  uint8_t next_ = 0;
};

TEST(KeyedHashTest, FromRandomUsesSixteenRandomBytesAsTheKey) {
  PatternRandom random;  // Yields 00, 01, 02, ...
  const KeyedHash from_random = KeyedHash::FromRandom(random);
  const KeyedHash from_key(SequentialKey());
  const std::vector<uint8_t> data = Sequence(13);
  EXPECT_EQ(from_random.Hash(data, 9), from_key.Hash(data, 9));
}

}  // namespace
}  // namespace p2pquic
