#include "tests/transport/routing/registry_reference_model.h"

namespace p2pquic::model {

RegistryResult Model::PredictRegister(int c, CidValue v, uint64_t seq, size_t limit) const {
  if (!Live(c)) return RegistryResult::kUnknownConnection;
  const Connection& conn = connections[c];
  if (auto it = cids.find(v); it != cids.end()) {
    if (it->second.owner != c) return RegistryResult::kCidCollision;
    return it->second.sequence == seq ? RegistryResult::kAlreadyDone
                                      : RegistryResult::kCidCollision;
  }
  if (seq < conn.floor) return RegistryResult::kSequenceAlreadyRetired;
  if (conn.cids.count(seq)) return RegistryResult::kSequenceReused;
  if (conn.used.count(seq)) return RegistryResult::kSequenceAlreadyRetired;
  if (conn.cids.size() >= limit) return RegistryResult::kLimitExceeded;
  return RegistryResult::kOk;
}

void Model::Register(int c, CidValue v, uint64_t seq, CidState state) {
  cids[v] = Cid{c, seq, state, Timestamp{}};
  connections[c].cids[seq] = v;
  connections[c].used.insert(seq);
}

RegistryResult Model::PredictRetire(int c, uint64_t seq) const {
  if (!Live(c)) return RegistryResult::kUnknownConnection;
  const Connection& conn = connections[c];
  auto it = conn.cids.find(seq);
  if (it == conn.cids.end()) {
    return conn.used.count(seq) ? RegistryResult::kAlreadyDone : RegistryResult::kUnknownSequence;
  }
  if (cids.at(it->second).state == CidState::kRetiring) return RegistryResult::kAlreadyDone;
  return RegistryResult::kOk;
}

void Model::Retire(int c, uint64_t seq) {
  const CidValue v = connections[c].cids.at(seq);
  if (grace <= Duration::zero()) {
    cids.erase(v);
    connections[c].cids.erase(seq);
    return;
  }
  cids[v].state = CidState::kRetiring;
  cids[v].deadline = now + grace;
}

size_t Model::RetirePriorTo(int c, uint64_t seq) {
  Connection& conn = connections[c];
  conn.floor = seq;
  std::vector<uint64_t> lower;
  for (const auto& [s, v] : conn.cids) {
    if (s < seq && cids.at(v).state != CidState::kRetiring) lower.push_back(s);
  }
  for (uint64_t s : lower) Retire(c, s);
  return lower.size();
}

size_t Model::Expire() {
  size_t expired = 0;
  for (auto it = cids.begin(); it != cids.end();) {
    if (it->second.state == CidState::kRetiring && it->second.deadline <= now) {
      connections[it->second.owner].cids.erase(it->second.sequence);
      it = cids.erase(it);
      ++expired;
    } else {
      ++it;
    }
  }
  return expired;
}

void Model::Remove(int c) {
  Connection& conn = connections[c];
  for (const auto& [seq, v] : conn.cids) cids.erase(v);
  for (const auto& key : conn.initials) initials.erase(key);
  for (const auto& key : conn.tokens) tokens.erase(key);
  for (RemoteId r : conn.addresses) {
    Tuple& t = tuples[r];
    t.owners.erase(c);
    if (t.owners.empty()) tuples.erase(r);
  }
  conn = Connection{};
  conn.live = false;
}

int Model::FallbackOwner(RemoteId r) const {
  auto it = tuples.find(r);
  if (it == tuples.end() || it->second.shared_ever || it->second.owners.size() != 1) return -1;
  return *it->second.owners.begin();
}

Expected Model::PredictShort(CidValue v, RemoteId r) const {
  if (auto it = cids.find(v); it != cids.end()) {
    const Cid& cid = it->second;
    if (cid.state != CidState::kRetiring) return {RouteOutcome::kCidHit, cid.owner};
    if (now < cid.deadline) return {RouteOutcome::kRetiredInGrace, cid.owner, cid.sequence};
  }
  const int owner = FallbackOwner(r);
  return owner >= 0 ? Expected{RouteOutcome::kFallback, owner} : Expected{RouteOutcome::kMissShort};
}

Expected Model::PredictInitial(CidValue v, RemoteId r) const {
  if (auto it = initials.find({v, r}); it != initials.end()) {
    return {RouteOutcome::kInitialHit, it->second};
  }
  if (auto it = cids.find(v); it != cids.end()) {
    const Cid& cid = it->second;
    if (cid.state != CidState::kRetiring) return {RouteOutcome::kCidHit, cid.owner};
    if (now < cid.deadline) return {RouteOutcome::kRetiredInGrace, cid.owner, cid.sequence};
  }
  return {RouteOutcome::kMissInitial};
}

Expected Model::PredictReset(RemoteId r, TokenId t) const {
  if (auto it = tokens.find({r, t}); it != tokens.end()) {
    return {RouteOutcome::kResetToken, it->second};
  }
  const int owner = FallbackOwner(r);
  return owner >= 0 ? Expected{RouteOutcome::kFallback, owner} : Expected{RouteOutcome::kMissShort};
}

void Model::Observe(const Expected& routed, CidValue v) {
  if (routed.outcome == RouteOutcome::kCidHit && cids.at(v).state == CidState::kIssued) {
    cids.at(v).state = CidState::kActive;
  }
}

std::array<uint64_t, kCidStateCount> Model::CidsByState() const {
  std::array<uint64_t, kCidStateCount> counts{};
  for (const auto& [v, cid] : cids) ++counts[static_cast<size_t>(cid.state)];
  return counts;
}

}  // namespace p2pquic::model
