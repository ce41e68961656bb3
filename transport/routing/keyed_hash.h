// KeyedHash: SipHash-1-3 under a secret 128-bit key, for hash tables whose
// keys an attacker chooses (client-chosen initial DCIDs). Without the key an
// attacker cannot aim many keys at one bucket (hash flooding).
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace p2pquic {

class Random;

class KeyedHash {
 public:
  using Key = std::array<uint8_t, 16>;

  explicit KeyedHash(const Key& key);
  static KeyedHash FromRandom(Random& random);

  uint64_t operator()(std::span<const uint8_t> data) const { return Hash(data, 0); }
  // Hashes `data` with a 64-bit value folded in (e.g. a port, a length).
  uint64_t Hash(std::span<const uint8_t> data, uint64_t extra) const;

 private:
  uint64_t k0_;
  uint64_t k1_;
};

}  // namespace p2pquic
