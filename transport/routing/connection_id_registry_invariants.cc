// ConnectionIdRegistry::CheckInvariants: kept apart from the operations it
// audits. Slow (walks every map); tests call it after every step.
#include <string>

#include "transport/routing/connection_id_registry.h"

namespace p2pquic {

std::string ConnectionIdRegistry::CheckConnection(uint32_t index, const ConnectionRecord& record,
                                                  size_t* cids, size_t* initials,
                                                  size_t* tokens) const {
  const ConnectionHandle handle{index, record.generation};
  if (!record.live) {
    if (!record.cids.empty() || !record.initial_dcids.empty() || !record.addresses.empty() ||
        !record.tokens.empty()) {
      return "removed connection slot " + std::to_string(index) + " still holds entries";
    }
    return {};
  }
  if (record.cids.size() > settings_.max_cids_per_connection) return "too many CIDs";
  for (size_t i = 0; i < record.cids.size(); ++i) {
    const IssuedCid& issued = record.cids[i];
    if (i > 0 && record.cids[i - 1].sequence >= issued.sequence) {
      return "CIDs of connection " + std::to_string(index) + " not in strict sequence order";
    }
    const CidEntry* entry = cids_.Find(issued.cid);
    if (entry == nullptr) return "CID " + issued.cid.ToHex() + " missing from the CID map";
    if (entry->owner() != handle) return "CID " + issued.cid.ToHex() + " has another owner";
    if (!record.history.Used(issued.sequence)) return "live sequence not in history";
    const bool retiring = entry->state() == CidState::kRetiring;
    if (issued.sequence < record.retire_prior_to && !retiring) {
      return "CID " + issued.cid.ToHex() + " below retire_prior_to is not retiring";
    }
    if (static_cast<int>(entry->state()) >= kCidStateCount) return "CID with an invalid state";
  }
  *cids += record.cids.size();
  for (const InitialKey& key : record.initial_dcids) {
    auto it = initial_dcids_.find(key);
    if (it == initial_dcids_.end() || it->second != handle) return "initial DCID not owned";
  }
  *initials += record.initial_dcids.size();
  for (const FourTuple& tuple : record.addresses) {
    auto it = tuples_.find(FingerprintOf(tuple));
    if (it == tuples_.end()) return "4-tuple missing from the map";
    if (it->second.owners == 1 && it->second.owner.valid() && it->second.owner != handle) {
      return "4-tuple owned by another connection";
    }
  }
  for (const TokenKey& key : record.tokens) {
    auto it = reset_tokens_.find(FingerprintOf(key));
    if (it == reset_tokens_.end() || it->second != handle) return "reset token not owned";
  }
  *tokens += record.tokens.size();
  return {};
}

InvariantReport ConnectionIdRegistry::CheckInvariants() const {
  size_t cids = 0, initials = 0, tokens = 0, live = 0, pending = 0;
  absl::flat_hash_map<Fingerprint, uint32_t> tuple_refs;
  for (uint32_t i = 0; i < connections_.size(); ++i) {
    const ConnectionRecord& record = connections_[i];
    if (std::string v = CheckConnection(i, record, &cids, &initials, &tokens); !v.empty()) {
      return {v};
    }
    if (!record.live) continue;
    ++live;
    if (record.phase == ConnectionPhase::kPending) ++pending;
    for (const FourTuple& tuple : record.addresses) ++tuple_refs[FingerprintOf(tuple)];
  }
  if (cids != cids_.size()) return {"CID map holds entries no live connection lists"};
  if (initials != initial_dcids_.size()) return {"initial DCID map holds strays"};
  if (tokens != reset_tokens_.size()) return {"reset token map holds strays"};
  if (tuple_refs.size() != tuples_.size()) return {"4-tuple map holds strays"};
  for (const auto& [fingerprint, refs] : tuple_refs) {
    if (tuples_.at(fingerprint).owners != refs) return {"4-tuple owner count is wrong"};
  }
  if (live != live_connections_) return {"live connection count is wrong"};
  if (free_slots_.size() + live != connections_.size()) return {"free slot list is wrong"};
  std::array<uint64_t, kCidStateCount> by_state{};
  cids_.ForEach([&](const CidEntry& entry) { ++by_state[static_cast<size_t>(entry.state())]; });
  if (by_state != stats_.cids_by_state) return {"CID state gauges disagree with the map"};
  if (stats_.connections_pending != pending || stats_.connections_established != live - pending) {
    return {"connection phase gauges are wrong"};
  }
  if (stats_.initial_dcids != initial_dcids_.size() || stats_.address_bindings != tuples_.size() ||
      stats_.reset_tokens != reset_tokens_.size()) {
    return {"map size gauges are wrong"};
  }
  return {};
}

}  // namespace p2pquic
