// DelayingCidRegistrar: a CidRegistrar (transport/routing/cid_registrar.h)
// that breaks "register before announce" on purpose. CIDs issued after
// sequence 0 are announced at once but entered in the registry `delay`
// later, as a registry updated across threads would be; packets that use
// them meanwhile take the address-fallback path. A zero delay (the default)
// enters every CID at once, as production does. The simulator's
// `delay_cid_registration` action and the endpoint tests inject it through
// EndpointConfig::cid_registrar, the seam the production registrar uses.
//
// Contract: single-threaded, on the clock's thread. The clock outlives the
// registrar; one registrar may serve successive endpoints (a host's
// restarts), each withdrawing its entries when it goes (CidRegistrar).
#pragma once

#include <cstdint>
#include <vector>

#include "transport/base/time.h"
#include "transport/routing/cid_registrar.h"
#include "transport/runtime/clock.h"

namespace p2pquic::sim {

class DelayingCidRegistrar final : public CidRegistrar {
 public:
  explicit DelayingCidRegistrar(Clock& clock) : clock_(clock) {}
  ~DelayingCidRegistrar() override;
  DelayingCidRegistrar(const DelayingCidRegistrar&) = delete;
  DelayingCidRegistrar& operator=(const DelayingCidRegistrar&) = delete;

  // Applies to CIDs issued from now on; entries already deferred keep theirs.
  void set_delay(Duration delay) { delay_ = delay; }
  Duration delay() const { return delay_; }
  // Deferred entries not made yet.
  size_t pending() const { return pending_.size(); }

  CidEntryResult Register(ConnectionIdRegistry& registry, ConnectionHandle connection,
                          const ConnectionId& cid, uint64_t sequence, Listener& listener) override;
  void Withdraw(ConnectionHandle connection, uint64_t sequence) override;
  void WithdrawAll(ConnectionHandle connection) override;

 private:
  struct Pending {
    ConnectionHandle connection;
    uint64_t sequence;
    TimerId timer;
  };

  // The deferred entry is due: make it, unless the fallback path already
  // did (kAlreadyDone) or the registry refuses it now.
  void Enter(ConnectionIdRegistry& registry, ConnectionHandle connection, const ConnectionId& cid,
             uint64_t sequence, Listener& listener);

  Clock& clock_;
  Duration delay_ = Duration::zero();
  ImmediateCidRegistrar immediate_;
  std::vector<Pending> pending_;  // In the order they were deferred.
};

}  // namespace p2pquic::sim
