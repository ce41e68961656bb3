#include "transport/quic/endpoint/token_cache.h"

#include <algorithm>

namespace p2pquic {

const char* ToString(TokenStoreResult result) {
  switch (result) {
    case TokenStoreResult::kStored:
      return "stored";
    case TokenStoreResult::kReplaced:
      return "replaced";
    case TokenStoreResult::kEvicted:
      return "stored, oldest evicted";
    case TokenStoreResult::kEmpty:
      return "empty token";
    case TokenStoreResult::kTooLong:
      return "token longer than TokenCache::kMaxTokenBytes";
    case TokenStoreResult::kNoCapacity:
      return "token cache has capacity 0";
  }
  return "?";
}

TokenStoreResult TokenCache::Store(const SocketAddress& server, std::span<const uint8_t> token) {
  if (token.empty()) return TokenStoreResult::kEmpty;
  if (token.size() > kMaxTokenBytes) return TokenStoreResult::kTooLong;
  if (capacity_ == 0) return TokenStoreResult::kNoCapacity;
  auto held = tokens_.find(server);
  if (held != tokens_.end()) {
    held->second.assign(token.begin(), token.end());
    return TokenStoreResult::kReplaced;
  }
  TokenStoreResult result = TokenStoreResult::kStored;
  // A stale entry for this address (its token was taken) must not evict
  // the new token early.
  std::erase(order_, server);
  // Each pass removes one entry of order_, so this ends within its size.
  while (tokens_.size() >= capacity_ && !order_.empty()) {
    if (tokens_.erase(order_.front()) > 0) result = TokenStoreResult::kEvicted;
    order_.pop_front();
  }
  // Taken addresses leave stale entries in order_: drop them once they
  // outnumber the live ones, so order_ stays within twice the capacity.
  if (order_.size() >= 2 * capacity_) {
    std::deque<SocketAddress> live;
    for (const SocketAddress& a : order_) {
      if (tokens_.contains(a)) live.push_back(a);
    }
    order_.swap(live);
  }
  tokens_.emplace(server, std::vector<uint8_t>(token.begin(), token.end()));
  order_.push_back(server);
  return result;
}

std::vector<uint8_t> TokenCache::Take(const SocketAddress& server) {
  auto held = tokens_.find(server);
  if (held == tokens_.end()) return {};
  std::vector<uint8_t> token = std::move(held->second);
  tokens_.erase(held);
  return token;
}

}  // namespace p2pquic
