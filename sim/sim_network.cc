// SimNetwork's setup side: hosts, addresses, conditions, sockets, NAT and
// cuts. The datapath is in sim_network_transmit.cc, the invariants in
// sim_network_invariants.cc.
#include "sim/sim_network.h"

#include <algorithm>
#include <tuple>

namespace p2pquic::sim {

HostId SimNetwork::AddHost(std::string name) {
  host_names_.push_back(std::move(name));
  return HostId{static_cast<uint32_t>(host_names_.size() - 1)};
}

NetworkResult SimNetwork::AddAddress(HostId host, const SocketAddress& ip) {
  if (!KnownHost(host)) return NetworkResult::kUnknownHost;
  if (ip.family() == AddressFamily::kUnspecified) return NetworkResult::kUnspecifiedAddress;
  if (!ip_owners_.emplace(AddressKey::IpOf(ip), IpOwner{host, IpRole::kHostAddress}).second) {
    return NetworkResult::kAddressTaken;
  }
  return NetworkResult::kOk;
}

const SimNetwork::IpOwner* SimNetwork::OwnerOf(const SocketAddress& address) const {
  auto it = ip_owners_.find(AddressKey::IpOf(address));
  return it == ip_owners_.end() ? nullptr : &it->second;
}

HostId SimNetwork::HostOf(const SocketAddress& address) const {
  const IpOwner* owner = OwnerOf(address);
  return owner == nullptr ? kNoHost : owner->host;
}

const std::string& SimNetwork::HostName(HostId host) const {
  static const std::string kUnknown;
  return KnownHost(host) ? host_names_[host.value] : kUnknown;
}

NetworkResult SimNetwork::SetDefaultConditions(const LinkConditions& conditions) {
  if (conditions.Validate() != ConditionsCheck::kValid) return NetworkResult::kBadConditions;
  default_ = conditions;
  return NetworkResult::kOk;
}

NetworkResult SimNetwork::SetConditions(HostId from, HostId to, const LinkConditions& conditions) {
  if (!KnownHost(from) || !KnownHost(to)) return NetworkResult::kUnknownHost;
  if (conditions.Validate() != ConditionsCheck::kValid) return NetworkResult::kBadConditions;
  conditions_[{from, to}] = conditions;
  return NetworkResult::kOk;
}

const LinkConditions& SimNetwork::ConditionsFor(HostId from, HostId to) const {
  auto it = conditions_.find({from, to});
  return it == conditions_.end() ? default_ : it->second;
}

const SimLink* SimNetwork::Link(HostId from, HostId to) const {
  auto it = links_.find({from, to});
  return it == links_.end() ? nullptr : &it->second;
}

NetworkResult SimNetwork::AddBottleneck(const std::vector<HostPair>& directions,
                                        uint64_t bandwidth_bps, size_t queue_bytes,
                                        BottleneckId* id) {
  std::set<HostPair> unique;
  for (const HostPair& direction : directions) {
    if (!KnownHost(direction.first) || !KnownHost(direction.second)) {
      return NetworkResult::kUnknownHost;
    }
    if (!unique.insert(direction).second || bottleneck_of_.count(direction) != 0) {
      return NetworkResult::kDirectionTaken;
    }
  }
  if (unique.empty() || bandwidth_bps == 0) return NetworkResult::kBadBottleneck;
  const uint64_t value = next_bottleneck_++;
  for (const HostPair& direction : unique) bottleneck_of_.emplace(direction, value);
  const size_t room = queue_bytes == 0 ? kDefaultQueueBytes : queue_bytes;
  bottlenecks_.emplace(std::piecewise_construct, std::forward_as_tuple(value),
                       std::forward_as_tuple(std::move(unique), bandwidth_bps, room));
  if (id != nullptr) *id = BottleneckId{value};
  return NetworkResult::kOk;
}

const SharedBottleneck* SimNetwork::Bottleneck(BottleneckId id) const {
  auto it = bottlenecks_.find(id.value);
  return it == bottlenecks_.end() ? nullptr : &it->second;
}

BottleneckId SimNetwork::BottleneckOf(HostId from, HostId to) const {
  auto it = bottleneck_of_.find({from, to});
  return it == bottleneck_of_.end() ? BottleneckId{} : BottleneckId{it->second};
}

NetworkResult SimNetwork::PickPort(const SocketAddress& local, SocketAddress* chosen) {
  if (local.port() != 0) {
    if (sockets_.count(AddressKey::Of(local)) != 0) return NetworkResult::kAddressInUse;
    *chosen = local;
    return NetworkResult::kOk;
  }
  for (uint32_t tries = 0; tries < kEphemeralPortCount; ++tries) {
    const uint32_t offset = next_ephemeral_;
    next_ephemeral_ = (next_ephemeral_ + 1) % kEphemeralPortCount;
    const SocketAddress candidate =
        local.WithPort(static_cast<uint16_t>(kFirstEphemeralPort + offset));
    if (sockets_.count(AddressKey::Of(candidate)) == 0) {
      *chosen = candidate;
      return NetworkResult::kOk;
    }
  }
  return NetworkResult::kNoFreePort;
}

std::unique_ptr<SimSocket> SimNetwork::Bind(const SocketAddress& local, NetworkResult* result) {
  NetworkResult ignored;
  NetworkResult& out = result != nullptr ? *result : ignored;
  if (local.family() == AddressFamily::kUnspecified) {
    out = NetworkResult::kUnspecifiedAddress;
    return nullptr;
  }
  const IpOwner* owner = OwnerOf(local);
  if (owner == nullptr || owner->role != IpRole::kHostAddress) {
    out = NetworkResult::kAddressNotOwned;
    return nullptr;
  }
  SocketAddress chosen;
  out = PickPort(local, &chosen);
  if (out != NetworkResult::kOk) return nullptr;
  std::unique_ptr<SimSocket> socket(new SimSocket(*this, chosen));
  sockets_[AddressKey::Of(chosen)] = socket.get();
  return socket;
}

NetworkResult SimNetwork::Move(SimSocket& socket, const SocketAddress& new_local) {
  if (new_local.family() == AddressFamily::kUnspecified) {
    return NetworkResult::kUnspecifiedAddress;
  }
  if (new_local.family() != socket.local_.family()) return NetworkResult::kFamilyMismatch;
  const IpOwner* owner = OwnerOf(new_local);
  if (owner == nullptr || owner->role != IpRole::kHostAddress ||
      owner->host != HostOf(socket.local_)) {
    return NetworkResult::kAddressNotOwned;
  }
  SocketAddress chosen;
  const NetworkResult picked = PickPort(new_local, &chosen);
  if (picked != NetworkResult::kOk) return picked;
  Unbind(socket);
  socket.local_ = chosen;
  sockets_[AddressKey::Of(chosen)] = &socket;
  return NetworkResult::kOk;
}

void SimNetwork::Unbind(const SimSocket& socket) {
  auto it = sockets_.find(AddressKey::Of(socket.local_));
  if (it != sockets_.end() && it->second == &socket) sockets_.erase(it);
}

NetworkResult SimNetwork::CheckNewOutside(HostId host, const SocketAddress& inside,
                                          const SocketAddress& outside) const {
  if (outside.family() == AddressFamily::kUnspecified) return NetworkResult::kUnspecifiedAddress;
  if (outside.family() != inside.family()) return NetworkResult::kFamilyMismatch;
  const IpOwner* owner = OwnerOf(outside);
  if (owner != nullptr && (owner->role != IpRole::kNatOutside || owner->host != host)) {
    return NetworkResult::kAddressTaken;
  }
  if (nat_.OutsideInUse(outside)) return NetworkResult::kAddressInUse;
  return NetworkResult::kOk;
}

NetworkResult SimNetwork::AddNat(HostId host, const SocketAddress& inside,
                                 const SocketAddress& outside) {
  if (!KnownHost(host)) return NetworkResult::kUnknownHost;
  if (inside.family() == AddressFamily::kUnspecified) return NetworkResult::kUnspecifiedAddress;
  const IpOwner* owner = OwnerOf(inside);
  if (owner == nullptr || owner->role != IpRole::kHostAddress || owner->host != host) {
    return NetworkResult::kAddressNotOwned;
  }
  if (nat_.FindByInside(inside) != nullptr) return NetworkResult::kAlreadyMapped;
  const NetworkResult checked = CheckNewOutside(host, inside, outside);
  if (checked != NetworkResult::kOk) return checked;
  ip_owners_.emplace(AddressKey::IpOf(outside), IpOwner{host, IpRole::kNatOutside});
  return nat_.Add({host, inside, outside});
}

NetworkResult SimNetwork::RebindNat(const SocketAddress& inside, NatRebind what,
                                    SocketAddress* new_outside) {
  const NatMapping* mapping = nat_.FindByInside(inside);
  if (mapping == nullptr) return NetworkResult::kNoMapping;
  const SocketAddress current = mapping->outside;
  SocketAddress fresh = current;
  if (what != NatRebind::kAddress) {
    auto port_taken = [this](const SocketAddress& a) { return nat_.OutsideInUse(a); };
    if (NatAddressPool::NextPort(current, port_taken, &fresh) != PoolResult::kAllocated) {
      return NetworkResult::kNoFreePort;
    }
  }
  if (what != NatRebind::kPort) {
    auto ip_taken = [this](const SocketAddress& ip) { return OwnerOf(ip) != nullptr; };
    if (pool_.NextAddress(current.family(), fresh.port(), ip_taken, &fresh) !=
        PoolResult::kAllocated) {
      return NetworkResult::kPoolExhausted;
    }
  }
  const NetworkResult result = RebindNat(inside, fresh);
  if (result == NetworkResult::kOk && new_outside != nullptr) *new_outside = fresh;
  return result;
}

NetworkResult SimNetwork::RebindNat(const SocketAddress& inside, const SocketAddress& new_outside) {
  const NatMapping* mapping = nat_.FindByInside(inside);
  if (mapping == nullptr) return NetworkResult::kNoMapping;
  const HostId host = mapping->host;
  const NetworkResult checked = CheckNewOutside(host, inside, new_outside);
  if (checked != NetworkResult::kOk) return checked;
  // The old outside IP stays the host's NAT IP: later datagrams to it are
  // the host's (its links, its cuts) and end kNoNatMapping.
  ip_owners_.emplace(AddressKey::IpOf(new_outside), IpOwner{host, IpRole::kNatOutside});
  return nat_.Replace(inside, new_outside);
}

PartitionId SimNetwork::Partition(std::vector<HostId> side_a, std::vector<HostId> side_b,
                                  NetworkResult* result) {
  NetworkResult ignored;
  NetworkResult& out = result != nullptr ? *result : ignored;
  Sides sides{{side_a.begin(), side_a.end()}, {side_b.begin(), side_b.end()}};
  auto known = [this](HostId h) { return KnownHost(h); };
  if (!std::all_of(side_a.begin(), side_a.end(), known) ||
      !std::all_of(side_b.begin(), side_b.end(), known)) {
    out = NetworkResult::kUnknownHost;
    return {};
  }
  const bool overlap =
      std::any_of(sides.a.begin(), sides.a.end(), [&](HostId h) { return sides.b.count(h) != 0; });
  if (sides.a.empty() || sides.b.empty() || overlap) {
    out = NetworkResult::kBadPartition;
    return {};
  }
  const PartitionId id{next_partition_++};
  partitions_.emplace(id.value, std::move(sides));
  out = NetworkResult::kOk;
  return id;
}

NetworkResult SimNetwork::Heal(PartitionId id) {
  return partitions_.erase(id.value) == 1 ? NetworkResult::kOk : NetworkResult::kUnknownPartition;
}

void SimNetwork::Heal() { partitions_.clear(); }

NetworkResult SimNetwork::Blackhole(HostId from, HostId to) {
  if (!KnownHost(from) || !KnownHost(to)) return NetworkResult::kUnknownHost;
  return blackholes_.insert({from, to}).second ? NetworkResult::kOk
                                               : NetworkResult::kAlreadyBlackholed;
}

NetworkResult SimNetwork::EndBlackhole(HostId from, HostId to) {
  return blackholes_.erase({from, to}) == 1 ? NetworkResult::kOk : NetworkResult::kNotBlackholed;
}

DatagramFate SimNetwork::CutBetween(HostId from, HostId to) const {
  for (const auto& [id, sides] : partitions_) {
    if ((sides.a.count(from) != 0 && sides.b.count(to) != 0) ||
        (sides.b.count(from) != 0 && sides.a.count(to) != 0)) {
      return DatagramFate::kPartitioned;
    }
  }
  if (blackholes_.count({from, to}) != 0) return DatagramFate::kBlackholed;
  return DatagramFate::kDelivered;
}

NetworkResult SimNetwork::RemoveObserver(NetworkObserver* observer) {
  auto it = std::find(observers_.begin(), observers_.end(), observer);
  if (it == observers_.end()) return NetworkResult::kUnknownObserver;
  observers_.erase(it);
  return NetworkResult::kOk;
}

}  // namespace p2pquic::sim
