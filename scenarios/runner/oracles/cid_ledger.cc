#include "scenarios/runner/oracles/cid_ledger.h"

namespace p2pquic::scenarios {

void CidLedger::OnHostRestarted(const ConnectionIdRegistry& registry) {
  registry_ = &registry;
  accepting_.reset();
  for (auto& [hex, owner] : cids_) owner.connection_gone = true;
  for (auto& [key, owner] : initials_) owner.connection_gone = true;
}

void CidLedger::Issue(const ConnectionId& cid, ConnectionHandle connection, uint64_t sequence) {
  cids_[cid.ToHex()] = CidOwner{connection, sequence};
}

void CidLedger::MarkRetired(const ConnectionId& cid) { cids_.at(cid.ToHex()).retired = true; }

void CidLedger::OnConnectionRemoved(ConnectionHandle connection) {
  for (auto& [hex, owner] : cids_) {
    if (owner.connection == connection) owner.connection_gone = true;
  }
  for (auto& [key, owner] : initials_) {
    if (owner.connection == connection) owner.connection_gone = true;
  }
}

void CidLedger::OnConnectionCreated(ConnectionHandle connection, bool inbound) {
  if (inbound && accepting_) initials_[*accepting_] = InitialOwner{connection};
  accepting_.reset();
}

const CidLedger::CidOwner* CidLedger::FindCid(const std::string& cid_hex) const {
  const auto it = cids_.find(cid_hex);
  return it == cids_.end() ? nullptr : &it->second;
}

const CidLedger::InitialOwner* CidLedger::FindInitial(const InitialKey& key) const {
  const auto it = initials_.find(key);
  return it == initials_.end() ? nullptr : &it->second;
}

}  // namespace p2pquic::scenarios
