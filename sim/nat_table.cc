#include "sim/nat_table.h"

namespace p2pquic::sim {

NetworkResult NatTable::Add(const NatMapping& mapping) {
  const AddressKey inside = AddressKey::Of(mapping.inside);
  const AddressKey outside = AddressKey::Of(mapping.outside);
  if (by_inside_.count(inside) != 0) return NetworkResult::kAlreadyMapped;
  if (inside_by_outside_.count(outside) != 0) return NetworkResult::kAddressInUse;
  by_inside_.emplace(inside, mapping);
  inside_by_outside_.emplace(outside, inside);
  return NetworkResult::kOk;
}

NetworkResult NatTable::Replace(const SocketAddress& inside, const SocketAddress& new_outside) {
  auto it = by_inside_.find(AddressKey::Of(inside));
  if (it == by_inside_.end()) return NetworkResult::kNoMapping;
  const AddressKey outside = AddressKey::Of(new_outside);
  if (inside_by_outside_.count(outside) != 0) return NetworkResult::kAddressInUse;
  inside_by_outside_.erase(AddressKey::Of(it->second.outside));
  inside_by_outside_.emplace(outside, it->first);
  it->second.outside = new_outside;
  return NetworkResult::kOk;
}

const NatMapping* NatTable::FindByInside(const SocketAddress& inside) const {
  auto it = by_inside_.find(AddressKey::Of(inside));
  return it == by_inside_.end() ? nullptr : &it->second;
}

const NatMapping* NatTable::FindByOutside(const SocketAddress& outside) const {
  auto it = inside_by_outside_.find(AddressKey::Of(outside));
  return it == inside_by_outside_.end() ? nullptr : &by_inside_.at(it->second);
}

bool NatTable::OutsideInUse(const SocketAddress& outside) const {
  return inside_by_outside_.count(AddressKey::Of(outside)) != 0;
}

std::string NatTable::CheckInvariants() const {
  if (by_inside_.size() != inside_by_outside_.size()) return "NAT directions differ in size";
  for (const auto& [inside, mapping] : by_inside_) {
    if (AddressKey::Of(mapping.inside) != inside) return "NAT mapping filed under another inside";
    if (mapping.inside.family() != mapping.outside.family()) return "NAT mapping mixes families";
    auto back = inside_by_outside_.find(AddressKey::Of(mapping.outside));
    if (back == inside_by_outside_.end() || back->second != inside) {
      return "NAT outside " + mapping.outside.ToString() + " does not map back";
    }
  }
  return {};
}

}  // namespace p2pquic::sim
