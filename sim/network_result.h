// NetworkResult: what a SimNetwork configuration call did. Each call's
// comment in sim_network.h names the results it can give.
#pragma once

#include <cstdint>

namespace p2pquic::sim {

enum class NetworkResult : uint8_t {
  kOk,
  kUnknownHost,         // A HostId AddHost never returned.
  kUnspecifiedAddress,  // A SocketAddress with no family.
  kFamilyMismatch,      // IPv4 and IPv6 mixed where one family is needed.
  kAddressTaken,        // The IP already belongs to a host or to another host's NAT.
  kAddressNotOwned,     // The IP belongs to no host (or to another host).
  kAddressInUse,        // The exact address (IP and port) is already bound or mapped.
  kNoFreePort,          // Every port an automatic choice may take is in use.
  kAlreadyMapped,       // The inside address already has a NAT mapping.
  kNoMapping,           // No NAT mapping for that inside address.
  kPoolExhausted,       // The NAT address pool has no fresh address left.
  kBadPartition,        // A side is empty or a host is on both sides.
  kUnknownPartition,    // No active partition with that id.
  kAlreadyBlackholed,   // That direction is already blackholed.
  kNotBlackholed,       // That direction is not blackholed.
  kUnknownObserver,     // RemoveObserver of an observer never added.
  kBadConditions,       // LinkConditions::Validate() said what is wrong.
  kBadBottleneck,       // A shared bottleneck with no direction or no bandwidth.
  kDirectionTaken,      // A direction listed twice, or already another bottleneck's.
  kMessageTooLong,      // A payload above kMaxUdpPayload.
};

const char* ToString(NetworkResult result);

}  // namespace p2pquic::sim
