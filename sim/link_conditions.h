// LinkConditions: what one directed link between two hosts does to the
// datagrams crossing it. Units: Duration (ns) for times, probabilities in
// [0, 1], bits per second for bandwidth, UDP payload bytes for sizes (IP and
// UDP headers are never counted: a datagram's size is its payload).
//
// The path a datagram takes (sim/README.md has the whole model):
//   sender -> MTU check -> queue (tail drop) -> bandwidth (FIFO serialization)
//          -> loss (Gilbert-Elliott) -> duplication -> corruption
//          -> delay + jitter -> receiver
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "transport/base/time.h"

namespace p2pquic::sim {

// An Ethernet frame carries 1500 bytes of IP; IPv4 (20) and UDP (8) headers
// leave 1472 for the UDP payload. One number for both families: an IPv6
// path that must be Ethernet-exact sets mtu = kEthernetMtu - 48 (1452).
inline constexpr size_t kEthernetMtu = 1500;
inline constexpr size_t kIpv4UdpHeaderBytes = 28;
inline constexpr size_t kDefaultMtu = kEthernetMtu - kIpv4UdpHeaderBytes;
// The largest UDP payload over IPv4 (65535 - 20 - 8); also the largest mtu.
inline constexpr size_t kMaxUdpPayload = 65507;
// queue_bytes = 0 means this: room for 100 full-size datagrams, the queue
// length ns-3 and Linux's pfifo_fast default to.
inline constexpr size_t kDefaultQueueDatagrams = 100;
inline constexpr size_t kDefaultQueueBytes = kDefaultQueueDatagrams * kEthernetMtu;

enum class ConditionsCheck : uint8_t {
  kValid,
  kNegativeTime,         // delay or jitter below zero.
  kBadProbability,       // loss, duplicate or corrupt outside [0, 1] (or NaN).
  kBadLossBurst,         // loss_burst below 1 (or NaN).
  kLossTooHighForBurst,  // No chain has that loss with that mean burst (see loss_burst).
  kBadMtu,               // mtu 0 or above kMaxUdpPayload.
};

const char* ToString(ConditionsCheck check);

struct LinkConditions {
  Duration delay = std::chrono::milliseconds(10);  // One way, after serialization.
  Duration jitter = Duration::zero();              // Uniform extra delay in [0, jitter); reorders.
  // Long-run fraction of datagrams lost (after the queue: a lost datagram
  // still used its share of the bandwidth).
  double loss = 0;
  // Mean length of a run of consecutive losses. 1 = independent losses (a
  // Bernoulli draw per datagram, whose runs average 1 / (1 - loss)). Above 1,
  // a two-state Gilbert-Elliott chain whose runs average exactly loss_burst;
  // a run needs at least one delivered datagram after it, so loss may not
  // exceed loss_burst / (loss_burst + 1).
  double loss_burst = 1;
  double duplicate = 0;  // Probability of one extra copy (each copy has its own jitter).
  // The extra copy arrives this much later than the original would (a slow
  // second path, e.g. a replaying middlebox): how a late duplicate of a
  // client's first Initial reaches a server after its handshake. No draw.
  Duration duplicate_delay = Duration::zero();
  double corrupt = 0;  // Probability, per copy, that one byte is flipped.
  // 0 = unlimited (no serialization delay, no queue). Otherwise a datagram of
  // n bytes takes ceil(n * 8 / bandwidth_bps) seconds (to the ns) to leave,
  // and datagrams leave one after another in the order they were sent.
  uint64_t bandwidth_bps = 0;
  // Bytes waiting for or in serialization, at most (only with a bandwidth);
  // a datagram that would not fit is dropped (tail drop). 0 = kDefaultQueueBytes.
  size_t queue_bytes = 0;
  // Larger UDP payloads are dropped on the link (silently, as a router
  // would with DF set; SendTo still says kSent).
  size_t mtu = kDefaultMtu;

  ConditionsCheck Validate() const;
  size_t EffectiveQueueBytes() const { return queue_bytes == 0 ? kDefaultQueueBytes : queue_bytes; }
};

}  // namespace p2pquic::sim
