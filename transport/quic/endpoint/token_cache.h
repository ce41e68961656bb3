// TokenCache: the NEW_TOKEN tokens servers gave this endpoint (RFC 9000
// §8.1.3), one per server address, so that the next Dial to that address
// carries it and the server counts our address as validated (no Retry).
//
// Keyed by the server's full address (IP and port): a token is only worth
// something to the server that minted it (or one sharing its secret), and
// the address is all a client knows of it. The newest token for an address
// replaces the one held. Take removes it: RFC 9000 §8.1.3 says a client
// SHOULD NOT reuse a NEW_TOKEN token (reuse lets an observer link its
// connections), and each connection brings a fresh one.
//
// Bounded: at most `capacity` addresses; a new address past it evicts the
// one stored longest ago (a returning client is usually a recent one).
//
// Contract: single-threaded; tokens are opaque bytes of at most
// kMaxTokenBytes (a longer one is refused, not truncated).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "transport/base/socket_address.h"

namespace p2pquic {

enum class TokenStoreResult : uint8_t {
  kStored,
  kReplaced,    // The address held a token; the new one replaced it.
  kEvicted,     // Stored, and the oldest address's token made room.
  kEmpty,       // An empty token: nothing to store.
  kTooLong,     // Longer than kMaxTokenBytes.
  kNoCapacity,  // Capacity 0: the cache is off.
};
const char* ToString(TokenStoreResult result);

class TokenCache {
 public:
  // A token a server sends is small (ngtcp2's regular tokens are 57
  // bytes); this bounds what a hostile server can make us hold.
  static constexpr size_t kMaxTokenBytes = 512;

  explicit TokenCache(size_t capacity) : capacity_(capacity) {}

  TokenStoreResult Store(const SocketAddress& server, std::span<const uint8_t> token);
  // The token held for `server` (removed from the cache), or empty.
  std::vector<uint8_t> Take(const SocketAddress& server);

  size_t size() const { return tokens_.size(); }
  size_t capacity() const { return capacity_; }

 private:
  size_t capacity_;
  absl::flat_hash_map<SocketAddress, std::vector<uint8_t>> tokens_;
  // Addresses in the order they were first stored; may hold addresses
  // already taken (skipped when evicting).
  std::deque<SocketAddress> order_;
};

}  // namespace p2pquic
