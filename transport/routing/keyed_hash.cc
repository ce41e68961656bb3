#include "transport/routing/keyed_hash.h"

#include <bit>
#include <cstring>

#include "transport/runtime/random.h"

namespace p2pquic {
namespace {

uint64_t LoadLittleEndian64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

struct SipState {
  uint64_t v0, v1, v2, v3;

  void Round() {
    v0 += v1;
    v1 = std::rotl(v1, 13);
    v1 ^= v0;
    v0 = std::rotl(v0, 32);
    v2 += v3;
    v3 = std::rotl(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = std::rotl(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = std::rotl(v1, 17);
    v1 ^= v2;
    v2 = std::rotl(v2, 32);
  }

  void Absorb(uint64_t m) {  // One compression round (SipHash-1-x).
    v3 ^= m;
    Round();
    v0 ^= m;
  }
};

}  // namespace

KeyedHash::KeyedHash(const Key& key)
    : k0_(LoadLittleEndian64(key.data())), k1_(LoadLittleEndian64(key.data() + 8)) {}

KeyedHash KeyedHash::FromRandom(Random& random) {
  Key key;
  random.Fill(key);
  return KeyedHash(key);
}

uint64_t KeyedHash::Hash(std::span<const uint8_t> data, uint64_t extra) const {
  SipState s{k0_ ^ 0x736f6d6570736575ULL, k1_ ^ 0x646f72616e646f6dULL, k0_ ^ 0x6c7967656e657261ULL,
             k1_ ^ 0x7465646279746573ULL};
  s.Absorb(extra);
  const size_t full_words = data.size() / 8;
  for (size_t i = 0; i < full_words; ++i) s.Absorb(LoadLittleEndian64(data.data() + 8 * i));
  uint8_t tail[8] = {};
  const size_t rest = data.size() % 8;
  if (rest != 0) std::memcpy(tail, data.data() + 8 * full_words, rest);
  uint64_t last = LoadLittleEndian64(tail);
  last |= static_cast<uint64_t>((data.size() + 8) & 0xff) << 56;
  s.Absorb(last);
  s.v2 ^= 0xff;
  for (int i = 0; i < 3; ++i) s.Round();  // Three finalisation rounds (SipHash-x-3).
  return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

}  // namespace p2pquic
