// ConnectionId: a QUIC connection ID of 0..20 bytes (RFC 9000 §17.2), held
// inline (21 bytes, no heap). Any ConnectionId that exists is valid: the only
// way to build one from untrusted bytes is FromBytes, which checks the length.
// Invariant: bytes past the length are zero, so equality and hashing can
// work on whole fixed-size words (no variable-length memcmp on the hot path).
#pragma once

#include <absl/hash/hash.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <utility>

namespace p2pquic {

inline constexpr size_t kMaxConnectionIdLength = 20;

enum class CidParseStatus : uint8_t {
  kOk,
  kTooLong,  // More than kMaxConnectionIdLength bytes.
};

class ConnectionId {
 public:
  ConnectionId() = default;  // The zero-length CID.

  static CidParseStatus FromBytes(std::span<const uint8_t> bytes, ConnectionId* out) {
    if (bytes.size() > kMaxConnectionIdLength) return CidParseStatus::kTooLong;
    ConnectionId cid;
    cid.length_ = static_cast<uint8_t>(bytes.size());
    std::copy(bytes.begin(), bytes.end(), cid.data_.begin());
    *out = cid;
    return CidParseStatus::kOk;
  }

  std::span<const uint8_t> bytes() const { return {data_.data(), length_}; }
  size_t size() const { return length_; }
  bool empty() const { return length_ == 0; }

  std::string ToHex() const;

  friend bool operator==(const ConnectionId& a, const ConnectionId& b) {
    return a.length_ == b.length_ &&
           std::memcmp(a.data_.data(), b.data_.data(), kMaxConnectionIdLength) == 0;
  }

  // The zero-padded bytes as three little words (8 + 8 + 4 bytes).
  void Words(uint64_t* w0, uint64_t* w1, uint32_t* w2) const {
    std::memcpy(w0, data_.data(), 8);
    std::memcpy(w1, data_.data() + 8, 8);
    std::memcpy(w2, data_.data() + 16, 4);
  }

  // Cheap hash for CIDs this endpoint chose at random: the first bytes are
  // already uniform. Attacker-chosen CIDs use KeyedHash instead.
  template <typename H>
  friend H AbslHashValue(H h, const ConnectionId& cid) {
    return H::combine_contiguous(std::move(h), cid.data_.data(), cid.length_);
  }

 private:
  uint8_t length_ = 0;
  std::array<uint8_t, kMaxConnectionIdLength> data_{};
};

// Hash for CIDs this endpoint issued itself. They are random and chosen by
// us, so an unkeyed word-wise mix spreads them well; attacker-chosen DCIDs
// only look up, and lookups cannot lengthen probe chains. Never use it for
// keys an attacker inserts (see KeyedHash).
struct LocalCidHash {
  size_t operator()(const ConnectionId& cid) const {
    uint64_t w0, w1;
    uint32_t w2;
    cid.Words(&w0, &w1, &w2);
    const uint64_t mixed = w0 ^ ((w1 ^ (uint64_t{w2} << 8) ^ cid.size()) * 0x9e3779b97f4a7c15ULL);
    return absl::Hash<uint64_t>{}(mixed);
  }
};

// A 16-byte stateless reset token (RFC 9000 §10.3).
inline constexpr size_t kStatelessResetTokenLength = 16;
using StatelessResetToken = std::array<uint8_t, kStatelessResetTokenLength>;

}  // namespace p2pquic
