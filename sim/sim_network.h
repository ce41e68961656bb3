// SimNetwork: hosts with IP addresses, their UDP sockets, and the directed
// links between them, in virtual time on an EventQueue. sim/README.md
// describes the model; this header states the contract.
//
// Determinism: every random choice (loss, duplication, corruption, jitter)
// is drawn from the one Random the network is given, in one fixed order, so
// a seed and the same calls decide a run. Per datagram that passes the MTU,
// cut and queue checks (its link's queue, then its shared bottleneck's if
// its direction has one): one draw for loss, then (if kept) one for
// duplication, then per copy one for corruption (plus two, position and
// value, if it is corrupted and non-empty) and one for jitter. Draws are made
// even when the probability is 0, so the order never depends on the values.
// A datagram is drawn for when it has passed its last queue: at its send,
// except on a bottleneck's direction whose link has a bandwidth, where it
// reaches the bottleneck, and is drawn for, in an event at its link
// departure (events run in a fixed order, so these draws do too). A
// bottleneck draws nothing; without one nothing is scheduled early, so
// runs without bottlenecks draw exactly as before they existed.
// A spoofed datagram (SendSpoofed) is a datagram like any other here: the
// same checks and the same draws, in the order of its SendSpoofed call
// among all sends. Nothing else draws; maps are ordered, so iteration order is fixed too. A
// send a socket refuses for a full send buffer (SimSocket, kWouldBlock) never
// reaches the network: no event, no draw.
//
// Hosts own IPs (any port). Link conditions are per directed host pair, so
// a host's new address (after a migration) keeps the host's links. A
// datagram's hosts are fixed when it is sent: the sender's socket's host and
// the host owning the destination IP (a host address or one of its NATs'
// outside IPs), or kNoHost (default conditions; it ends kUnroutable).
//
// Shared bottlenecks (AddBottleneck): a datagram on one of a bottleneck's
// directions leaves its own link's serializer, then queues for the
// bottleneck's, FIFO in the order datagrams reach it (tail drop:
// kQueueFull), then gets its link's loss, duplication, corruption and delay
// + jitter from its bottleneck departure. Its link's conditions are those of
// its send. A socket's send buffer is released at the link departure: the
// bottleneck is a router's queue further on, not the host's.
//
// Cuts: a partition or blackhole drops datagrams sent across it, and also
// datagrams already in flight when it starts, at their arrival (a cut link
// delivers nothing more). Healing does not bring dropped datagrams back.
//
// NAT: static mappings inside <-> outside per host. The source is rewritten
// when the datagram is sent (so datagrams in flight across a RebindNat carry
// the old source), the destination when it arrives (so datagrams in flight to
// an old outside address are dropped, kNoNatMapping). A mapping translates
// everything the inside socket sends, whatever the destination.
//
// Invariants (CheckInvariants): sent + duplicated == sum of fates + in
// flight; every socket is filed under its own address, an IP its host owns,
// and its buffered bytes are those of its datagrams still serialising;
// NAT mappings consistent and their IPs owned by their host; partitions have
// two non-empty disjoint sides of known hosts; every link's invariants;
// every bottleneck's directions are of known hosts, each in one bottleneck
// only (and filed under it), and its queue is consistent.
//
// Single-threaded. The queue and the Random must outlive the network, the
// network its sockets and observers' registrations.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sim/address_key.h"
#include "sim/bottleneck_id.h"
#include "sim/datagram_event.h"
#include "sim/event_queue.h"
#include "sim/host_id.h"
#include "sim/link_conditions.h"
#include "sim/nat_address_pool.h"
#include "sim/nat_table.h"
#include "sim/network_observer.h"
#include "sim/network_result.h"
#include "sim/network_stats.h"
#include "sim/partition_id.h"
#include "sim/shared_bottleneck.h"
#include "sim/sim_link.h"
#include "sim/sim_socket.h"
#include "transport/base/socket_address.h"
#include "transport/runtime/random.h"

namespace p2pquic::sim {

class SimNetwork {
 public:
  // Bind and Rebind to port 0 take the first free port from here up.
  static constexpr uint16_t kFirstEphemeralPort = 49152;
  static constexpr uint32_t kEphemeralPortCount = 65536 - kFirstEphemeralPort;

  SimNetwork(EventQueue& queue, Random& random) : queue_(queue), random_(random) {}
  SimNetwork(const SimNetwork&) = delete;
  SimNetwork& operator=(const SimNetwork&) = delete;

  // --- Hosts --------------------------------------------------------------
  // Names are for people (logs, pcap notes); they need not be unique.
  HostId AddHost(std::string name);
  // Gives `host` the IP of `ip` (its port is ignored). kOk, kUnknownHost,
  // kUnspecifiedAddress, kAddressTaken (any host's address or NAT IP).
  NetworkResult AddAddress(HostId host, const SocketAddress& ip);
  // The host owning `address`'s IP (as a host address or NAT outside IP),
  // else kNoHost.
  HostId HostOf(const SocketAddress& address) const;
  const std::string& HostName(HostId host) const;  // "" for an unknown host.
  size_t host_count() const { return host_names_.size(); }

  // --- Link conditions ----------------------------------------------------
  // kOk or kBadConditions (nothing changes then).
  NetworkResult SetDefaultConditions(const LinkConditions& conditions);
  // From `from` to `to` only. kOk, kUnknownHost, kBadConditions.
  NetworkResult SetConditions(HostId from, HostId to, const LinkConditions& conditions);
  const LinkConditions& ConditionsFor(HostId from, HostId to) const;
  // The link's state, null until a datagram has used it.
  const SimLink* Link(HostId from, HostId to) const;

  // --- Shared bottlenecks -------------------------------------------------
  // One FIFO serializer of `bandwidth_bps` (> 0) behind a tail-drop queue of
  // `queue_bytes` (0 = kDefaultQueueBytes) that every datagram sent along
  // one of `directions` passes after its own link's serializer, before its
  // link's loss and delay (SharedBottleneck; the model is above). A direction
  // belongs to one bottleneck at most, for the network's life. The new id
  // goes to *id if given. kOk, kUnknownHost, kBadBottleneck (no direction,
  // or no bandwidth), kDirectionTaken (a direction listed twice, or
  // already another bottleneck's); nothing changes on failure.
  NetworkResult AddBottleneck(const std::vector<HostPair>& directions, uint64_t bandwidth_bps,
                              size_t queue_bytes, BottleneckId* id = nullptr);
  // Null for an id AddBottleneck never gave.
  const SharedBottleneck* Bottleneck(BottleneckId id) const;
  // The bottleneck `from` -> `to` passes, else an invalid id.
  BottleneckId BottleneckOf(HostId from, HostId to) const;

  // --- Sockets ------------------------------------------------------------
  // A socket at `local`, whose IP a host must own; port 0 picks the first
  // free ephemeral port. Null on failure, with *result (if given) saying
  // why: kUnspecifiedAddress, kAddressNotOwned, kAddressInUse, kNoFreePort.
  std::unique_ptr<SimSocket> Bind(const SocketAddress& local, NetworkResult* result = nullptr);

  // --- NAT ----------------------------------------------------------------
  // kOk, kUnknownHost, kUnspecifiedAddress, kFamilyMismatch,
  // kAddressNotOwned (inside's IP is not `host`'s), kAddressTaken (outside's
  // IP is a host address or another host's NAT IP), kAlreadyMapped,
  // kAddressInUse (outside is another mapping's).
  NetworkResult AddNat(HostId host, const SocketAddress& inside, const SocketAddress& outside);
  // Gives the mapping a fresh outside port, IP or both from the
  // NatAddressPool (kAddress keeps the port) and deletes the old one. The
  // new address goes to *new_outside if given. kOk, kNoMapping, kNoFreePort,
  // kPoolExhausted.
  NetworkResult RebindNat(const SocketAddress& inside, NatRebind what,
                          SocketAddress* new_outside = nullptr);
  // The same with the caller's choice. kOk, kNoMapping, kUnspecifiedAddress,
  // kFamilyMismatch, kAddressTaken, kAddressInUse (incl. the current one).
  NetworkResult RebindNat(const SocketAddress& inside, const SocketAddress& new_outside);
  const NatTable& nat() const { return nat_; }

  // --- Partitions and blackholes -----------------------------------------
  // Cuts both directions between every host of `side_a` and every host of
  // `side_b` until healed. Returns an invalid id on failure, with *result
  // saying why: kUnknownHost, kBadPartition.
  PartitionId Partition(std::vector<HostId> side_a, std::vector<HostId> side_b,
                        NetworkResult* result = nullptr);
  // kOk or kUnknownPartition.
  NetworkResult Heal(PartitionId id);
  void Heal();  // Every partition (blackholes stay).
  // Drops everything from `from` to `to` (that direction only). kOk,
  // kUnknownHost, kAlreadyBlackholed.
  NetworkResult Blackhole(HostId from, HostId to);
  NetworkResult EndBlackhole(HostId from, HostId to);  // kOk or kNotBlackholed.

  // --- Spoofed sources ----------------------------------------------------
  // A datagram with a forged source: `from` is an address no host owns (an
  // attacker's spoofed source), sent along the direction `via` -> the owner
  // of `to`, as if `via` were the attacker's attachment: `via`'s link
  // conditions, cuts and bottlenecks apply, and it is drawn for exactly as a
  // socket's send (see Determinism). No socket is involved, so nothing
  // blocks and nothing is buffered. Answers to `from` find no owner and end
  // kUnroutable, counted under that fate like any other: that is how a
  // scenario sees the reflection an attack provokes. kOk (sent; its fate is
  // the network's), kUnknownHost (`via`), kUnspecifiedAddress,
  // kFamilyMismatch (`from` and `to`), kAddressTaken (`from`'s IP is a
  // host's or a NAT's: not spoofed, and its answers would arrive),
  // kMessageTooLong (above kMaxUdpPayload); nothing is sent on failure.
  NetworkResult SendSpoofed(HostId via, const SocketAddress& from, const SocketAddress& to,
                            std::span<const uint8_t> payload);

  // --- Observation --------------------------------------------------------
  // Observers are told in the order they were added. Not owned.
  void AddObserver(NetworkObserver* observer) { observers_.push_back(observer); }
  NetworkResult RemoveObserver(NetworkObserver* observer);  // kOk, kUnknownObserver.

  const NetworkStats& stats() const { return stats_; }
  uint64_t in_flight() const { return in_flight_; }
  // FNV-1a over every delivered copy's arrival time, post-NAT addresses and
  // bytes: equal digests mean equal runs.
  uint64_t digest() const { return digest_; }

  // Empty when every invariant holds, else the first that broke. Walks all.
  std::string CheckInvariants() const;

 private:
  friend class SimSocket;

  enum class IpRole : uint8_t { kHostAddress, kNatOutside };
  struct IpOwner {
    HostId host;
    IpRole role;
  };
  struct Sides {
    std::set<HostId> a;
    std::set<HostId> b;
  };
  // A copy on its way: its event so far and its bytes.
  struct InFlight {
    DatagramEvent event;
    std::vector<uint8_t> bytes;
    bool corrupted = false;
  };

  // Setup helpers (sim_network.cc).
  bool KnownHost(HostId host) const { return host.value < host_names_.size(); }
  const IpOwner* OwnerOf(const SocketAddress& address) const;
  NetworkResult PickPort(const SocketAddress& local, SocketAddress* chosen);
  NetworkResult Move(SimSocket& socket, const SocketAddress& new_local);
  void Unbind(const SimSocket& socket);
  NetworkResult CheckNewOutside(HostId host, const SocketAddress& inside,
                                const SocketAddress& outside) const;
  DatagramFate CutBetween(HostId from, HostId to) const;  // kDelivered: none.
  std::string CheckOwnership() const;
  std::string CheckBottlenecks() const;  // sim_network_invariants.cc

  // The datapath (sim_network_transmit.cc). Returns when the datagram's
  // last bit leaves its own link's serializer (now without a bandwidth), or
  // nothing if it was dropped before the link took it (MTU, cut, link
  // queue); a shared bottleneck further on does not hold the socket.
  // `from_host` sends it: the owner of `from` for a socket's send, the
  // attachment for a spoofed one.
  std::optional<Timestamp> Transmit(HostId from_host, const SocketAddress& from,
                                    const SocketAddress& to, std::span<const uint8_t> payload);
  DatagramEvent StartEvent(HostId from_host, const SocketAddress& from, const SocketAddress& to,
                           size_t size);
  // The datagram reaches `bottleneck` now: its queue, then Forward.
  void Share(DatagramEvent& event, std::span<const uint8_t> payload,
             const LinkConditions& conditions, SimLink& link, SharedBottleneck& bottleneck);
  // Past every queue, leaving at `departure`: the loss draw, duplication,
  // and a Launch per copy.
  void Forward(DatagramEvent& event, std::span<const uint8_t> payload,
               const LinkConditions& conditions, SimLink& link, Timestamp departure);
  void Launch(const DatagramEvent& event, uint8_t copy, std::span<const uint8_t> payload,
              const LinkConditions& conditions, Timestamp departure);
  void Arrive(InFlight flight);
  DatagramFate Resolve(const SocketAddress& to, SocketAddress* delivered_to,
                       SimSocket** socket) const;
  void Report(DatagramEvent& event, std::span<const uint8_t> payload, DatagramFate fate);
  double Uniform();
  void Mix(uint64_t value);
  void MixAddress(const SocketAddress& address);
  void MixBytes(std::span<const uint8_t> bytes);

  EventQueue& queue_;
  Random& random_;
  std::vector<std::string> host_names_;      // Indexed by HostId::value.
  std::map<AddressKey, IpOwner> ip_owners_;  // IP (port 0) -> owner.
  LinkConditions default_;
  std::map<HostPair, LinkConditions> conditions_;
  std::map<HostPair, SimLink> links_;
  std::map<uint64_t, SharedBottleneck> bottlenecks_;  // By BottleneckId::value.
  std::map<HostPair, uint64_t> bottleneck_of_;        // Direction -> its bottleneck.
  uint64_t next_bottleneck_ = 1;
  std::map<AddressKey, SimSocket*> sockets_;
  uint32_t next_ephemeral_ = 0;  // Offset from kFirstEphemeralPort.
  NatTable nat_;
  NatAddressPool pool_;
  std::map<uint64_t, Sides> partitions_;
  uint64_t next_partition_ = 1;
  std::set<HostPair> blackholes_;
  std::vector<NetworkObserver*> observers_;
  NetworkStats stats_;
  uint64_t next_datagram_ = 1;
  uint64_t in_flight_ = 0;
  uint64_t digest_ = 1469598103934665603ULL;  // FNV-1a offset basis.
};

}  // namespace p2pquic::sim
