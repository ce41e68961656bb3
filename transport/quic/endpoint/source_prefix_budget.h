// SourcePrefixBudget: one token bucket per source prefix, in a table of
// fixed size, so one sender (or one spoofed range) cannot spend the answers
// everyone else's packets are owed.
//
// The prefix: IPv4 /24 (the longest prefix routed between networks, and the
// least a sprayer usually holds); IPv6 /48 (the usual site assignment and the
// longest prefix routed between networks: a sprayer holding one /48 gets one
// bucket, not the 256 it would get at /56, while subscribers an ISP gives a
// /56 each share their /48's bucket). An IPv4-mapped IPv6 address
// (::ffff:a.b.c.d, a dual-stack socket's view of an IPv4 peer) counts as
// its IPv4 /24.
//
// Memory: kSourcePrefixSlots buckets whatever the senders, allocated by the
// constructor and never grown. A slot is chosen by a keyed hash (KeyedHash,
// whose key the owner keeps secret) of the prefix. Collision behaviour: prefixes that land in one
// slot SHARE its bucket; nothing is evicted and no slot remembers which prefix it holds. Without
// the key a sprayer cannot aim its prefixes at a victim's slot, so a sprayer using k prefixes
// shares a bucket with a given other prefix with probability about k / kSourcePrefixSlots.
//
// Contract: single-threaded; `now` non-decreasing (see TokenBucket).
#pragma once

#include <cstddef>
#include <vector>

#include "transport/base/socket_address.h"
#include "transport/base/time.h"
#include "transport/quic/endpoint/token_bucket.h"
#include "transport/routing/keyed_hash.h"

namespace p2pquic {

// Buckets in one SourcePrefixBudget (1024 * 24 bytes = 24 KiB): a sprayer
// using 10 prefixes shares a given peer's bucket with probability under 1%,
// and a simulation with hundreds of endpoints does not notice the memory.
inline constexpr size_t kSourcePrefixSlots = 1024;
// IPv4 prefix length, IPv6 prefix length (bits), as explained above.
inline constexpr size_t kIpv4PrefixBits = 24;
inline constexpr size_t kIpv6PrefixBits = 48;

class SourcePrefixBudget {
 public:
  SourcePrefixBudget(const TokenBucket::Limit& limit, const KeyedHash& hash);

  // The bucket `source`'s prefix uses (refilled up to `now`), to Check and
  // Take like any TokenBucket. An address of unspecified family shares one
  // slot with every other such address.
  TokenBucket& BucketFor(const SocketAddress& source);

 private:
  KeyedHash hash_;
  std::vector<TokenBucket> slots_;
};

}  // namespace p2pquic
