// NatTable: the static NAT mappings of a SimNetwork, one per inside address
// (IP and port): a socket bound at `inside` is seen as `outside`, and
// datagrams to `outside` reach `inside`. Ownership of the IPs (inside owned
// by the host, outside not another host's) is SimNetwork's check; this table
// keeps the two directions consistent.
//
// Invariants (CheckInvariants): every inside address has one mapping with
// one outside address, and every outside address maps back to it; both ends
// of a mapping have the same family.
#pragma once

#include <map>
#include <string>

#include "sim/address_key.h"
#include "sim/host_id.h"
#include "sim/network_result.h"
#include "transport/base/socket_address.h"

namespace p2pquic::sim {

// What RebindNat changes: the outside port, IP, or both.
enum class NatRebind : uint8_t { kPort, kAddress, kBoth };

struct NatMapping {
  HostId host;  // The host behind the NAT (it owns `inside`).
  SocketAddress inside;
  SocketAddress outside;
};

class NatTable {
 public:
  // kOk, kAlreadyMapped (inside has a mapping) or kAddressInUse (another
  // mapping's outside address).
  NetworkResult Add(const NatMapping& mapping);
  // Moves inside's mapping to `new_outside`; the old outside address maps
  // to nothing afterwards. kOk, kNoMapping or kAddressInUse (new_outside is
  // any mapping's outside address, this one's included).
  NetworkResult Replace(const SocketAddress& inside, const SocketAddress& new_outside);

  // Null when there is none. Valid until the next Add or Replace.
  const NatMapping* FindByInside(const SocketAddress& inside) const;
  const NatMapping* FindByOutside(const SocketAddress& outside) const;
  bool OutsideInUse(const SocketAddress& outside) const;

  size_t size() const { return by_inside_.size(); }
  // In inside-address order.
  const std::map<AddressKey, NatMapping>& mappings() const { return by_inside_; }

  std::string CheckInvariants() const;

 private:
  std::map<AddressKey, NatMapping> by_inside_;
  std::map<AddressKey, AddressKey> inside_by_outside_;
};

}  // namespace p2pquic::sim
