// DatagramEvent: the fate of one copy of one datagram, as SimNetwork reports
// it to its observers. Every copy gets exactly one event, its final fate.
//
// When: a copy dropped before it leaves the sender's link (kTooBig,
// kQueueFull, kLost, and kPartitioned / kBlackholed when the cut is already
// there at send time) is reported at the send time; on a direction with a
// shared bottleneck, kQueueFull at the bottleneck and kLost are reported
// when it reaches the bottleneck (its link departure, the send time on a
// link without a bandwidth). Everything else is reported at the arrival
// time: delivered (kDelivered, kDuplicate, kCorrupted), or dropped on
// arrival (kPartitioned / kBlackholed by a cut made while it was in flight,
// kNoNatMapping, kUnroutable).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "sim/host_id.h"
#include "transport/base/socket_address.h"
#include "transport/base/time.h"

namespace p2pquic::sim {

enum class DatagramFate : uint8_t {
  kDelivered,     // Reached a socket intact (the original copy).
  kLost,          // Dropped by the link's loss process.
  kQueueFull,     // Tail-dropped at a bandwidth limiter's queue (link or shared bottleneck).
  kTooBig,        // Larger than the link's mtu.
  kPartitioned,   // A partition separates the two hosts.
  kBlackholed,    // The direction is blackholed.
  kUnroutable,    // No socket at the destination address.
  kNoNatMapping,  // Sent to a NAT's outside address that no mapping holds
                  // (e.g. the old address after RebindNat).
  kDuplicate,     // The link's extra copy, delivered intact.
  kCorrupted,     // Delivered with one byte flipped (either copy).
};
inline constexpr size_t kDatagramFateCount = 10;

const char* ToString(DatagramFate fate);
// kDelivered, kDuplicate and kCorrupted: the copy reached a socket.
bool IsDelivery(DatagramFate fate);

struct DatagramEvent {
  Timestamp time;                    // Send or arrival time (see above).
  uint64_t datagram = 0;             // Numbers SendTo calls from 1; copies share it.
  uint8_t copy = 0;                  // 0 = the original, 1 = the link's duplicate.
  HostId from_host;                  // The sending socket's host.
  HostId to_host;                    // The host owning the destination IP, or kNoHost.
  SocketAddress from;                // The sending socket's address, as it sent.
  SocketAddress to;                  // The destination it sent to.
  SocketAddress delivered_from;      // The source on the wire: `from` after the
                                     // sender's NAT, if any.
  SocketAddress delivered_to;        // Where it went: `to` after the receiver's NAT
                                     // (for drops before arrival, just `to`).
  size_t size = 0;                   // UDP payload bytes.
  std::span<const uint8_t> payload;  // As carried (flipped byte included).
                                     // Valid only during OnDatagram.
  DatagramFate fate = DatagramFate::kDelivered;
};

}  // namespace p2pquic::sim
