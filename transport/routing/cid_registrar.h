// CidRegistrar: how an endpoint enters the CIDs it issues into its
// ConnectionIdRegistry. The seam between "a CID was drawn for a connection"
// and "the registry routes it": production enters every CID at once
// (ImmediateCidRegistrar, the default), honouring the registry's
// register-before-announce contract. A registrar may instead defer an entry
// (kDeferred): the CID is announced while the registry does not know it yet,
// as a registry updated across threads would be, and packets that use it
// meanwhile take the address fallback. The simulator injects such a
// registrar (sim/delaying_cid_registrar.h) to exercise that race; nothing in
// transport/ defers.
//
// Contract: single-threaded. A deferred entry happens later on the same
// thread, through the registry passed to Register, and is then reported to
// the listener passed with it if the registry took it (kOk). The caller
// keeps the registry and the listener alive until it withdraws the entry:
// Withdraw when the CID retires, WithdrawAll when the connection goes (and
// for every connection when the endpoint goes).
#pragma once

#include <cstdint>

#include "transport/base/connection_id.h"
#include "transport/routing/connection_handle.h"
#include "transport/routing/connection_id_registry.h"

namespace p2pquic {

enum class CidEntryResult : uint8_t {
  kEntered,    // The registry holds it now (newly, or it already did).
  kDeferred,   // It will be entered later: announce it anyway.
  kCollision,  // The registry holds that CID for another connection: draw again.
  kRefused,    // Refused for another reason (the connection's CID limit, ...).
};
const char* ToString(CidEntryResult entry);

class CidRegistrar {
 public:
  // Told when a deferred entry was made.
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void OnDeferredCidEntered(ConnectionHandle connection, const ConnectionId& cid,
                                      uint64_t sequence) = 0;
  };

  virtual ~CidRegistrar() = default;
  // Enters (cid, sequence) for `connection` into `registry`, now or later.
  virtual CidEntryResult Register(ConnectionIdRegistry& registry, ConnectionHandle connection,
                                  const ConnectionId& cid, uint64_t sequence,
                                  Listener& listener) = 0;
  // The CID of that sequence retired: a deferred entry for it is dropped.
  virtual void Withdraw(ConnectionHandle connection, uint64_t sequence) = 0;
  // The connection is gone: every deferred entry for it is dropped.
  virtual void WithdrawAll(ConnectionHandle connection) = 0;
};

// Production: every CID is entered at once; nothing is ever deferred.
class ImmediateCidRegistrar final : public CidRegistrar {
 public:
  CidEntryResult Register(ConnectionIdRegistry& registry, ConnectionHandle connection,
                          const ConnectionId& cid, uint64_t sequence, Listener& listener) override;
  void Withdraw(ConnectionHandle, uint64_t) override {}
  void WithdrawAll(ConnectionHandle) override {}
};

}  // namespace p2pquic
