// CidLedger: one host's CIDs and Initials as the oracles saw them issued,
// retired and orphaned, told by the host's tracer: the shared model the
// routing, cid-lifetime, cid-retirement and cid-sequence oracles check the
// registry's answers against. It judges nothing itself.
//
// Contract: single-threaded; the registry it points at is the host's
// current one (replaced on a restart) and outlives its use here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "transport/base/connection_id.h"
#include "transport/routing/connection_id_registry.h"

namespace p2pquic::scenarios {

class CidLedger {
 public:
  struct CidOwner {
    ConnectionHandle connection;
    uint64_t sequence = 0;
    bool retired = false;
    bool connection_gone = false;
  };
  using InitialKey = std::pair<std::string, std::string>;  // (DCID hex, client address).
  struct InitialOwner {
    ConnectionHandle connection;
    bool connection_gone = false;
  };

  CidLedger(const ConnectionIdRegistry& registry, size_t cid_length)
      : registry_(&registry), cid_length_(cid_length) {}

  const ConnectionIdRegistry& registry() const { return *registry_; }
  size_t cid_length() const { return cid_length_; }

  // The host restarted with a new, empty `registry`: every connection it
  // had is gone.
  void OnHostRestarted(const ConnectionIdRegistry& registry);
  // `cid` now belongs to `connection` with `sequence` (a fresh owner).
  void Issue(const ConnectionId& cid, ConnectionHandle connection, uint64_t sequence);
  void MarkRetired(const ConnectionId& cid);
  void OnConnectionRemoved(ConnectionHandle connection);
  // The last Initial that opened no connection: the endpoint creates the
  // connection for it synchronously, so OnConnectionCreated pairs them.
  void OnInitialMissed(const InitialKey& key) { accepting_ = key; }
  void OnConnectionCreated(ConnectionHandle connection, bool inbound);

  // Null when the host never issued `cid_hex` / never accepted `key`.
  const CidOwner* FindCid(const std::string& cid_hex) const;
  const InitialOwner* FindInitial(const InitialKey& key) const;

 private:
  const ConnectionIdRegistry* registry_;
  size_t cid_length_;
  std::optional<InitialKey> accepting_;
  std::map<InitialKey, InitialOwner> initials_;
  std::map<std::string, CidOwner> cids_;  // By CID hex.
};

}  // namespace p2pquic::scenarios
