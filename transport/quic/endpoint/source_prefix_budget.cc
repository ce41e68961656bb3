#include "transport/quic/endpoint/source_prefix_budget.h"

#include <algorithm>
#include <array>

namespace p2pquic {
namespace {

// ::ffff:0:0/96, the IPv4-mapped IPv6 range (RFC 4291 §2.5.5.2).
constexpr std::array<uint8_t, 12> kIpv4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

// Family tags folded into the hash so an IPv4 /24 and an IPv6 /48 whose
// bytes agree land in unrelated slots.
constexpr uint64_t kIpv4Tag = 4;
constexpr uint64_t kIpv6Tag = 6;
constexpr uint64_t kUnspecifiedTag = 0;

}  // namespace

SourcePrefixBudget::SourcePrefixBudget(const TokenBucket::Limit& limit, const KeyedHash& hash)
    : hash_(hash), slots_(kSourcePrefixSlots, TokenBucket(limit)) {}

TokenBucket& SourcePrefixBudget::BucketFor(const SocketAddress& source) {
  const std::span<const uint8_t> bytes = source.address_bytes();
  uint64_t h;
  if (source.family() == AddressFamily::kIpv4) {
    h = hash_.Hash(bytes.first(kIpv4PrefixBits / 8), kIpv4Tag);
  } else if (source.family() == AddressFamily::kIpv6 &&
             std::equal(kIpv4MappedPrefix.begin(), kIpv4MappedPrefix.end(), bytes.begin())) {
    h = hash_.Hash(bytes.subspan(kIpv4MappedPrefix.size(), kIpv4PrefixBits / 8), kIpv4Tag);
  } else if (source.family() == AddressFamily::kIpv6) {
    h = hash_.Hash(bytes.first(kIpv6PrefixBits / 8), kIpv6Tag);
  } else {
    h = hash_.Hash({}, kUnspecifiedTag);
  }
  return slots_[h % slots_.size()];
}

}  // namespace p2pquic
