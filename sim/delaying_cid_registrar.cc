#include "sim/delaying_cid_registrar.h"

#include <algorithm>

namespace p2pquic::sim {

DelayingCidRegistrar::~DelayingCidRegistrar() {
  for (const Pending& pending : pending_) clock_.Cancel(pending.timer);
}

CidEntryResult DelayingCidRegistrar::Register(ConnectionIdRegistry& registry,
                                              ConnectionHandle connection, const ConnectionId& cid,
                                              uint64_t sequence, Listener& listener) {
  // Sequence 0 is the CID the handshake starts on: it is never announced by
  // a NEW_CONNECTION_ID, so there is no race to model.
  if (sequence == 0 || delay_ <= Duration::zero()) {
    return immediate_.Register(registry, connection, cid, sequence, listener);
  }
  const TimerId timer = clock_.ScheduleAt(clock_.Now() + delay_,
                                          [this, &registry, connection, cid, sequence, &listener] {
                                            Enter(registry, connection, cid, sequence, listener);
                                          });
  pending_.push_back({connection, sequence, timer});
  return CidEntryResult::kDeferred;
}

void DelayingCidRegistrar::Enter(ConnectionIdRegistry& registry, ConnectionHandle connection,
                                 const ConnectionId& cid, uint64_t sequence, Listener& listener) {
  auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Pending& p) {
    return p.connection == connection && p.sequence == sequence;
  });
  if (it != pending_.end()) pending_.erase(it);
  if (registry.IssueCid(connection, cid, sequence) == RegistryResult::kOk) {
    listener.OnDeferredCidEntered(connection, cid, sequence);
  }
}

void DelayingCidRegistrar::Withdraw(ConnectionHandle connection, uint64_t sequence) {
  auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Pending& p) {
    return p.connection == connection && p.sequence == sequence;
  });
  if (it == pending_.end()) return;
  clock_.Cancel(it->timer);
  pending_.erase(it);
}

void DelayingCidRegistrar::WithdrawAll(ConnectionHandle connection) {
  auto gone = std::remove_if(pending_.begin(), pending_.end(), [&](const Pending& p) {
    if (p.connection != connection) return false;
    clock_.Cancel(p.timer);
    return true;
  });
  pending_.erase(gone, pending_.end());
}

}  // namespace p2pquic::sim
