// SimNetwork::CheckInvariants: kept apart from the operations it audits.
// Walks every map; tests call it after each step.
#include "sim/sim_network.h"

namespace p2pquic::sim {

std::string SimNetwork::CheckOwnership() const {
  for (const auto& [ip, owner] : ip_owners_) {
    if (!KnownHost(owner.host)) return "an IP owned by an unknown host";
    if (ip.port != 0) return "an IP owner filed with a port";
  }
  for (const auto& [key, socket] : sockets_) {
    if (AddressKey::Of(socket->LocalAddress()) != key)
      return "a socket filed under another address";
    const IpOwner* owner = OwnerOf(socket->LocalAddress());
    if (owner == nullptr || owner->role != IpRole::kHostAddress) {
      return "socket " + socket->LocalAddress().ToString() + " on an IP no host owns";
    }
    size_t buffered = 0;
    for (const auto& [departure, bytes] : socket->departures_) buffered += bytes;
    if (buffered != socket->buffered_) {
      return "socket " + socket->LocalAddress().ToString() +
             ": buffered bytes differ from its datagrams";
    }
  }
  for (const auto& [inside, mapping] : nat_.mappings()) {
    const IpOwner* in = OwnerOf(mapping.inside);
    const IpOwner* out = OwnerOf(mapping.outside);
    if (in == nullptr || in->role != IpRole::kHostAddress || in->host != mapping.host) {
      return "NAT inside " + mapping.inside.ToString() + " not its host's address";
    }
    if (out == nullptr || out->role != IpRole::kNatOutside || out->host != mapping.host) {
      return "NAT outside " + mapping.outside.ToString() + " not its host's NAT IP";
    }
  }
  return nat_.CheckInvariants();
}

std::string SimNetwork::CheckBottlenecks() const {
  size_t directions = 0;
  for (const auto& [id, bottleneck] : bottlenecks_) {
    const std::string name = "bottleneck " + std::to_string(id);
    if (id == 0 || id >= next_bottleneck_) return name + ": an id never issued";
    for (const auto& [from, to] : bottleneck.directions()) {
      if (!KnownHost(from) || !KnownHost(to)) return name + ": a direction between unknown hosts";
      auto it = bottleneck_of_.find({from, to});
      if (it == bottleneck_of_.end() || it->second != id) {
        return name + ": a direction filed under another bottleneck";
      }
    }
    directions += bottleneck.directions().size();
    if (std::string broken = bottleneck.CheckInvariants(); !broken.empty()) {
      return name + ": " + broken;
    }
  }
  // With the check above, equal counts mean every filed direction is its
  // bottleneck's, so no direction is in two bottlenecks.
  if (directions != bottleneck_of_.size()) return "a direction filed under a bottleneck without it";
  return {};
}

std::string SimNetwork::CheckInvariants() const {
  if (stats_.sent + stats_.duplicated != stats_.finished() + in_flight_) {
    return "sent + duplicated != finished + in flight";
  }
  if (stats_.count(DatagramFate::kDuplicate) > stats_.duplicated)
    return "more duplicates than made";
  if (stats_.count(DatagramFate::kCorrupted) > stats_.corrupted) return "more corrupted than made";
  if (stats_.sent != next_datagram_ - 1) return "datagram numbers differ from datagrams sent";
  if (std::string broken = CheckOwnership(); !broken.empty()) return broken;
  for (const auto& [id, sides] : partitions_) {
    if (id == 0 || id >= next_partition_) return "a partition with an id never issued";
    if (sides.a.empty() || sides.b.empty()) return "a partition with an empty side";
    for (HostId host : sides.a) {
      if (!KnownHost(host) || sides.b.count(host) != 0) return "a partition side is bad";
    }
    for (HostId host : sides.b) {
      if (!KnownHost(host)) return "a partition side is bad";
    }
  }
  for (const auto& [from, to] : blackholes_) {
    if (!KnownHost(from) || !KnownHost(to)) return "a blackhole between unknown hosts";
  }
  for (const auto& [pair, link] : links_) {
    if (std::string broken = link.CheckInvariants(); !broken.empty()) return broken;
  }
  if (std::string broken = CheckBottlenecks(); !broken.empty()) return broken;
  if (next_ephemeral_ >= kEphemeralPortCount) return "ephemeral port cursor out of range";
  return {};
}

}  // namespace p2pquic::sim
