#include "transport/routing/connection_id_registry.h"

#include <absl/container/inlined_vector.h>

#include <algorithm>

#include "transport/runtime/random.h"

namespace p2pquic {

class ConnectionIdRegistry::ScopedTiming {
 public:
  ScopedTiming(ConnectionIdRegistry& registry, RegistryOperation op)
      : registry_(registry), op_(op) {
    if (registry_.settings_.debug_timer != nullptr) {
      start_ = registry_.settings_.debug_timer->NowNanos();
    }
  }
  ~ScopedTiming() {
    OperationTimer* timer = registry_.settings_.debug_timer;
    if (timer == nullptr) return;
    const uint64_t end = timer->NowNanos();
    const uint64_t elapsed = end > start_ ? end - start_ : 0;  // A timer may step back.
    registry_.stats_.timings_ns[static_cast<size_t>(op_)].Observe(elapsed, kTimingBucketsNs);
  }
  ScopedTiming(const ScopedTiming&) = delete;
  ScopedTiming& operator=(const ScopedTiming&) = delete;

 private:
  ConnectionIdRegistry& registry_;
  RegistryOperation op_;
  uint64_t start_ = 0;
};

// --- Hashers ------------------------------------------------------------------

size_t ConnectionIdRegistry::InitialKeyHasher::operator()(const InitialKey& key) const {
  const auto address = key.remote.address_bytes();
  uint8_t buffer[kMaxConnectionIdLength + 16];
  std::copy(key.dcid.bytes().begin(), key.dcid.bytes().end(), buffer);
  std::copy(address.begin(), address.end(), buffer + key.dcid.size());
  const uint64_t extra = (uint64_t{key.remote.port()} << 16) | (key.dcid.size() << 8) |
                         static_cast<uint8_t>(key.remote.family());
  return hash.Hash({buffer, key.dcid.size() + address.size()}, extra);
}

ConnectionIdRegistry::Fingerprint ConnectionIdRegistry::FingerprintOf(
    const FourTuple& tuple) const {
  uint8_t buffer[2 * 16];
  const auto remote = tuple.remote.address_bytes();
  const auto local = tuple.local.address_bytes();
  std::copy(remote.begin(), remote.end(), buffer);
  std::copy(local.begin(), local.end(), buffer + remote.size());
  const uint64_t extra = (uint64_t{tuple.remote.port()} << 32) |
                         (uint64_t{tuple.local.port()} << 16) |
                         (uint64_t{static_cast<uint8_t>(tuple.remote.family())} << 8) |
                         static_cast<uint8_t>(tuple.local.family());
  return fingerprint_hash_.Hash({buffer, remote.size() + local.size()}, extra);
}

ConnectionIdRegistry::Fingerprint ConnectionIdRegistry::FingerprintOf(const TokenKey& key) const {
  uint8_t buffer[kStatelessResetTokenLength + 16];
  const auto address = key.remote.address_bytes();
  std::copy(key.token.begin(), key.token.end(), buffer);
  std::copy(address.begin(), address.end(), buffer + kStatelessResetTokenLength);
  // Bit 63 keeps token fingerprints apart from tuple fingerprints' inputs.
  const uint64_t extra = (uint64_t{1} << 63) | (uint64_t{key.remote.port()} << 8) |
                         static_cast<uint8_t>(key.remote.family());
  return fingerprint_hash_.Hash({buffer, kStatelessResetTokenLength + address.size()}, extra);
}

// --- Construction and connections ---------------------------------------------

ConnectionIdRegistry::ConnectionIdRegistry(const RegistrySettings& settings, Random& random)
    : settings_(settings),
      cids_(settings.local_cid_length),
      initial_dcids_(0, InitialKeyHasher{KeyedHash::FromRandom(random)}),
      fingerprint_hash_(KeyedHash::FromRandom(random)) {}

ConnectionIdRegistry::ConnectionRecord* ConnectionIdRegistry::Lookup(ConnectionHandle c) {
  if (c.index >= connections_.size()) return nullptr;
  ConnectionRecord& record = connections_[c.index];
  return record.live && record.generation == c.generation ? &record : nullptr;
}

const ConnectionIdRegistry::ConnectionRecord* ConnectionIdRegistry::Lookup(
    ConnectionHandle c) const {
  return const_cast<ConnectionIdRegistry*>(this)->Lookup(c);
}

ConnectionHandle ConnectionIdRegistry::OpenConnection() {
  uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    index = static_cast<uint32_t>(connections_.size());
    connections_.emplace_back();
  }
  ConnectionRecord& record = connections_[index];
  record.live = true;
  record.phase = ConnectionPhase::kPending;
  ++live_connections_;
  ++stats_.connections_opened;
  ++stats_.connections_pending;
  return {index, record.generation};
}

bool ConnectionIdRegistry::IsLive(ConnectionHandle connection) const {
  return Lookup(connection) != nullptr;
}

RegistryResult ConnectionIdRegistry::PhaseOf(ConnectionHandle connection,
                                             ConnectionPhase* phase) const {
  const ConnectionRecord* record = Lookup(connection);
  if (record == nullptr) return RegistryResult::kUnknownConnection;
  *phase = record->phase;
  return RegistryResult::kOk;
}

RegistryResult ConnectionIdRegistry::Promote(ConnectionHandle connection) {
  ScopedTiming timing(*this, RegistryOperation::kPromote);
  ConnectionRecord* record = Lookup(connection);
  if (record == nullptr) return RegistryResult::kUnknownConnection;
  if (record->phase == ConnectionPhase::kEstablished) return RegistryResult::kAlreadyDone;
  record->phase = ConnectionPhase::kEstablished;
  --stats_.connections_pending;
  ++stats_.connections_established;
  ++stats_.connections_promoted;
  return RegistryResult::kOk;
}

RegistryResult ConnectionIdRegistry::RemoveConnection(ConnectionHandle connection) {
  ScopedTiming timing(*this, RegistryOperation::kRemoveConnection);
  ConnectionRecord* record = Lookup(connection);
  if (record == nullptr) return RegistryResult::kUnknownConnection;
  for (const IssuedCid& issued : record->cids) {
    --stats_.cids_by_state[static_cast<size_t>(cids_.Find(issued.cid)->state())];
    cids_.Erase(issued.cid);
    ++stats_.cids_removed_with_connection;
  }
  for (const InitialKey& key : record->initial_dcids) initial_dcids_.erase(key);
  for (const FourTuple& tuple : record->addresses) ReleaseTuple(tuple);
  for (const TokenKey& key : record->tokens) reset_tokens_.erase(FingerprintOf(key));
  stats_.initial_dcids = initial_dcids_.size();
  stats_.address_bindings = tuples_.size();
  stats_.reset_tokens = reset_tokens_.size();
  if (record->phase == ConnectionPhase::kPending) {
    --stats_.connections_pending;
  } else {
    --stats_.connections_established;
  }
  // Fresh vectors give the memory back; the slot's next tenant starts clean.
  const uint32_t next_generation = (record->generation + 1) & CidEntry::kGenerationMask;
  *record = ConnectionRecord{};
  record->generation = next_generation;
  free_slots_.push_back(connection.index);
  --live_connections_;
  ++stats_.connections_removed;
  return RegistryResult::kOk;
}

size_t ConnectionIdRegistry::CidCount(ConnectionHandle connection) const {
  const ConnectionRecord* record = Lookup(connection);
  return record == nullptr ? 0 : record->cids.size();
}

// --- Issued CIDs --------------------------------------------------------------

ConnectionIdRegistry::IssuedCid* ConnectionIdRegistry::FindSequence(ConnectionRecord& record,
                                                                    uint64_t sequence) {
  auto it =
      std::lower_bound(record.cids.begin(), record.cids.end(), sequence,
                       [](const IssuedCid& issued, uint64_t seq) { return issued.sequence < seq; });
  return it != record.cids.end() && it->sequence == sequence ? &*it : nullptr;
}

void ConnectionIdRegistry::SetState(CidEntry& entry, CidState state) {
  --stats_.cids_by_state[static_cast<size_t>(entry.state())];
  entry.set_state(state);
  ++stats_.cids_by_state[static_cast<size_t>(state)];
}

RegistryResult ConnectionIdRegistry::InsertCid(ConnectionHandle connection,
                                               ConnectionRecord& record, const ConnectionId& cid,
                                               uint64_t sequence, CidState state) {
  if (cid.empty() || cid.size() != settings_.local_cid_length) {
    return RegistryResult::kCidLengthMismatch;
  }
  if (const CidEntry* existing = cids_.Find(cid); existing != nullptr) {
    if (existing->owner() != connection) return RegistryResult::kCidCollision;
    const IssuedCid* same = FindSequence(record, sequence);
    return same != nullptr && same->cid == cid ? RegistryResult::kAlreadyDone
                                               : RegistryResult::kCidCollision;
  }
  if (sequence < record.retire_prior_to) return RegistryResult::kSequenceAlreadyRetired;
  if (FindSequence(record, sequence) != nullptr) return RegistryResult::kSequenceReused;
  if (record.history.Used(sequence)) return RegistryResult::kSequenceAlreadyRetired;
  if (record.cids.size() >= settings_.max_cids_per_connection) {
    return RegistryResult::kLimitExceeded;
  }
  cids_.Insert(cid, CidEntry(connection, state));
  ++stats_.cids_by_state[static_cast<size_t>(state)];
  auto position =
      std::upper_bound(record.cids.begin(), record.cids.end(), sequence,
                       [](uint64_t seq, const IssuedCid& issued) { return seq < issued.sequence; });
  record.cids.insert(position, IssuedCid{cid, sequence, Timestamp{}});
  record.history.MarkUsed(sequence);
  stats_.sequence_numbers.Observe(sequence, kSequenceBuckets);
  return RegistryResult::kOk;
}

RegistryResult ConnectionIdRegistry::IssueCid(ConnectionHandle connection, const ConnectionId& cid,
                                              uint64_t sequence) {
  ScopedTiming timing(*this, RegistryOperation::kIssue);
  ConnectionRecord* record = Lookup(connection);
  if (record == nullptr) return RegistryResult::kUnknownConnection;
  const RegistryResult result = InsertCid(connection, *record, cid, sequence, CidState::kIssued);
  if (result == RegistryResult::kOk) ++stats_.cids_issued;
  if (result == RegistryResult::kCidCollision) ++stats_.cid_collisions;
  return result;
}

RegistryResult ConnectionIdRegistry::ConfirmFallback(ConnectionHandle connection,
                                                     const ConnectionId& cid, uint64_t sequence) {
  ScopedTiming timing(*this, RegistryOperation::kConfirmFallback);
  ConnectionRecord* record = Lookup(connection);
  if (record == nullptr) return RegistryResult::kUnknownConnection;
  const RegistryResult result = InsertCid(connection, *record, cid, sequence, CidState::kActive);
  if (result == RegistryResult::kOk) {
    ++stats_.fallback_confirmed;
  } else if (result != RegistryResult::kAlreadyDone) {
    ++stats_.fallback_refused;
  }
  return result;
}

void ConnectionIdRegistry::EraseCid(ConnectionRecord& record, uint64_t sequence) {
  IssuedCid* issued = FindSequence(record, sequence);
  --stats_.cids_by_state[static_cast<size_t>(cids_.Find(issued->cid)->state())];
  cids_.Erase(issued->cid);
  record.cids.erase(record.cids.begin() + (issued - record.cids.data()));
}

void ConnectionIdRegistry::MarkRetiring(ConnectionHandle connection, IssuedCid& issued,
                                        Timestamp now) {
  ++stats_.cids_retired;
  if (settings_.retired_cid_grace <= Duration::zero()) {
    ++stats_.cids_expired;
    EraseCid(*Lookup(connection), issued.sequence);
    return;
  }
  issued.retire_deadline = now + settings_.retired_cid_grace;
  SetState(*cids_.Find(issued.cid), CidState::kRetiring);
  expiry_.push(ExpiryItem{issued.retire_deadline, connection, issued.sequence});
}

RegistryResult ConnectionIdRegistry::RetireCid(ConnectionHandle connection, uint64_t sequence,
                                               Timestamp now) {
  ScopedTiming timing(*this, RegistryOperation::kRetire);
  ConnectionRecord* record = Lookup(connection);
  if (record == nullptr) return RegistryResult::kUnknownConnection;
  IssuedCid* issued = FindSequence(*record, sequence);
  if (issued == nullptr) {
    return record->history.Used(sequence) ? RegistryResult::kAlreadyDone
                                          : RegistryResult::kUnknownSequence;
  }
  if (cids_.Find(issued->cid)->state() == CidState::kRetiring) {
    return RegistryResult::kAlreadyDone;
  }
  MarkRetiring(connection, *issued, now);
  return RegistryResult::kOk;
}

RegistryResult ConnectionIdRegistry::RetirePriorTo(ConnectionHandle connection, uint64_t sequence,
                                                   Timestamp now, size_t* retired) {
  ScopedTiming timing(*this, RegistryOperation::kRetire);
  if (retired != nullptr) *retired = 0;
  ConnectionRecord* record = Lookup(connection);
  if (record == nullptr) return RegistryResult::kUnknownConnection;
  if (sequence <= record->retire_prior_to) return RegistryResult::kAlreadyDone;
  record->retire_prior_to = sequence;
  // Collect first: with zero grace, retiring erases from the vector.
  absl::InlinedVector<uint64_t, 16> to_retire;
  for (const IssuedCid& issued : record->cids) {
    if (issued.sequence >= sequence) break;
    if (cids_.Find(issued.cid)->state() != CidState::kRetiring) {
      to_retire.push_back(issued.sequence);
    }
  }
  for (uint64_t seq : to_retire) MarkRetiring(connection, *FindSequence(*record, seq), now);
  if (retired != nullptr) *retired = to_retire.size();
  return RegistryResult::kOk;
}

size_t ConnectionIdRegistry::ExpireRetired(Timestamp now) {
  ScopedTiming timing(*this, RegistryOperation::kExpire);
  size_t expired = 0;
  while (!expiry_.empty() && expiry_.top().deadline <= now) {
    const ExpiryItem item = expiry_.top();
    expiry_.pop();
    ConnectionRecord* record = Lookup(item.owner);
    if (record == nullptr) continue;  // Connection gone: its CIDs went with it.
    IssuedCid* issued = FindSequence(*record, item.sequence);
    if (issued == nullptr || issued->retire_deadline != item.deadline) continue;
    if (cids_.Find(issued->cid)->state() != CidState::kRetiring) {
      continue;
    }
    EraseCid(*record, item.sequence);
    ++stats_.cids_expired;
    ++expired;
  }
  return expired;
}

bool ConnectionIdRegistry::NextExpiry(Timestamp* deadline) const {
  if (expiry_.empty()) return false;
  *deadline =
      expiry_.top().deadline;  // May belong to a CID already gone: waking early is harmless.
  return true;
}

// --- Initial DCIDs ---------------------------------------------------------------

RegistryResult ConnectionIdRegistry::AddInitialDcid(ConnectionHandle connection,
                                                    const ConnectionId& dcid,
                                                    const SocketAddress& remote) {
  ConnectionRecord* record = Lookup(connection);
  if (record == nullptr) return RegistryResult::kUnknownConnection;
  if (dcid.size() < kMinInitialDcidLength) return RegistryResult::kInitialDcidTooShort;
  const InitialKey key{dcid, remote};
  if (auto it = initial_dcids_.find(key); it != initial_dcids_.end()) {
    return it->second == connection ? RegistryResult::kAlreadyDone : RegistryResult::kCidCollision;
  }
  if (record->initial_dcids.size() >= settings_.max_initial_dcids_per_connection) {
    return RegistryResult::kLimitExceeded;
  }
  initial_dcids_.emplace(key, connection);
  record->initial_dcids.push_back(key);
  stats_.initial_dcids = initial_dcids_.size();
  return RegistryResult::kOk;
}

RegistryResult ConnectionIdRegistry::RemoveInitialDcids(ConnectionHandle connection) {
  ConnectionRecord* record = Lookup(connection);
  if (record == nullptr) return RegistryResult::kUnknownConnection;
  if (record->initial_dcids.empty()) return RegistryResult::kAlreadyDone;
  for (const InitialKey& key : record->initial_dcids) initial_dcids_.erase(key);
  record->initial_dcids = {};
  stats_.initial_dcids = initial_dcids_.size();
  return RegistryResult::kOk;
}

// --- Paths ------------------------------------------------------------------------

RegistryResult ConnectionIdRegistry::BindAddress(ConnectionHandle connection,
                                                 const SocketAddress& remote,
                                                 const SocketAddress& local) {
  ConnectionRecord* record = Lookup(connection);
  if (record == nullptr) return RegistryResult::kUnknownConnection;
  const FourTuple tuple{remote, local};
  if (std::find(record->addresses.begin(), record->addresses.end(), tuple) !=
      record->addresses.end()) {
    return RegistryResult::kAlreadyDone;
  }
  if (record->addresses.size() >= settings_.max_addresses_per_connection) {
    return RegistryResult::kLimitExceeded;
  }
  TupleEntry& entry = tuples_[FingerprintOf(tuple)];
  entry.owner = entry.owners == 0 ? connection : ConnectionHandle{};
  ++entry.owners;
  record->addresses.push_back(tuple);
  stats_.address_bindings = tuples_.size();
  return RegistryResult::kOk;
}

void ConnectionIdRegistry::ReleaseTuple(const FourTuple& tuple) {
  auto it = tuples_.find(FingerprintOf(tuple));
  if (--it->second.owners == 0) tuples_.erase(it);
}

ConnectionHandle ConnectionIdRegistry::SoleOwnerOf(const FourTuple& tuple) const {
  auto it = tuples_.find(FingerprintOf(tuple));
  if (it == tuples_.end() || it->second.owners != 1) return {};
  const ConnectionRecord* record = Lookup(it->second.owner);
  if (record == nullptr) return {};  // Was shared: ownerless until it empties.
  const auto& paths = record->addresses;
  return std::find(paths.begin(), paths.end(), tuple) != paths.end() ? it->second.owner
                                                                     : ConnectionHandle{};
}

ConnectionHandle ConnectionIdRegistry::TokenOwnerOf(const TokenKey& key) const {
  auto it = reset_tokens_.find(FingerprintOf(key));
  if (it == reset_tokens_.end()) return {};
  const ConnectionRecord* record = Lookup(it->second);
  if (record == nullptr) return {};
  const auto& tokens = record->tokens;
  return std::find(tokens.begin(), tokens.end(), key) != tokens.end() ? it->second
                                                                      : ConnectionHandle{};
}

RegistryResult ConnectionIdRegistry::UnbindAddress(ConnectionHandle connection,
                                                   const SocketAddress& remote,
                                                   const SocketAddress& local) {
  ConnectionRecord* record = Lookup(connection);
  if (record == nullptr) return RegistryResult::kUnknownConnection;
  auto it = std::find(record->addresses.begin(), record->addresses.end(), FourTuple{remote, local});
  if (it == record->addresses.end()) return RegistryResult::kNotFound;
  ReleaseTuple(*it);
  record->addresses.erase(it);
  stats_.address_bindings = tuples_.size();
  return RegistryResult::kOk;
}

// --- Reset tokens -------------------------------------------------------------------

RegistryResult ConnectionIdRegistry::AddResetToken(ConnectionHandle connection,
                                                   const SocketAddress& remote,
                                                   const StatelessResetToken& token) {
  ConnectionRecord* record = Lookup(connection);
  if (record == nullptr) return RegistryResult::kUnknownConnection;
  const TokenKey key{remote, token};
  const Fingerprint fingerprint = FingerprintOf(key);
  if (auto it = reset_tokens_.find(fingerprint); it != reset_tokens_.end()) {
    // Held already: by this connection (a repeat), else by another one, or
    // (needing the secret key to aim) another key with the same fingerprint.
    return TokenOwnerOf(key) == connection ? RegistryResult::kAlreadyDone
                                           : RegistryResult::kTokenCollision;
  }
  if (record->tokens.size() >= settings_.max_reset_tokens_per_connection) {
    return RegistryResult::kLimitExceeded;
  }
  reset_tokens_.emplace(fingerprint, connection);
  record->tokens.push_back(key);
  stats_.reset_tokens = reset_tokens_.size();
  return RegistryResult::kOk;
}

RegistryResult ConnectionIdRegistry::RemoveResetToken(ConnectionHandle connection,
                                                      const SocketAddress& remote,
                                                      const StatelessResetToken& token) {
  ConnectionRecord* record = Lookup(connection);
  if (record == nullptr) return RegistryResult::kUnknownConnection;
  const TokenKey key{remote, token};
  auto it = std::find(record->tokens.begin(), record->tokens.end(), key);
  if (it == record->tokens.end()) return RegistryResult::kNotFound;
  reset_tokens_.erase(FingerprintOf(key));
  record->tokens.erase(it);
  stats_.reset_tokens = reset_tokens_.size();
  return RegistryResult::kOk;
}

// --- Routing --------------------------------------------------------------------------

RouteResult ConnectionIdRegistry::RouteDatagram(std::span<const uint8_t> datagram,
                                                const SocketAddress& remote,
                                                const SocketAddress& local, Timestamp now,
                                                RoutingHeader* header) {
  RoutingHeader local_header;
  RoutingHeader& parsed = header != nullptr ? *header : local_header;
  const HeaderParseStatus status =
      ParseRoutingHeader(datagram, settings_.local_cid_length, &parsed);
  if (status == HeaderParseStatus::kOk) return Route(parsed, remote, local, now);
  ScopedTiming timing(*this, RegistryOperation::kRoute);
  RouteResult result;
  result.parse_status = status;
  result.outcome = status == HeaderParseStatus::kUnsupportedVersion
                       ? RouteOutcome::kUnsupportedVersion
                       : RouteOutcome::kMalformed;
  return Count(result);
}

RouteResult ConnectionIdRegistry::RouteFull(const RoutingHeader& header,
                                            const SocketAddress& remote, const SocketAddress& local,
                                            Timestamp now) {
  ScopedTiming timing(*this, RegistryOperation::kRoute);
  // Initial and 0-RTT carry the client's DCID: the (DCID, remote) key is
  // exact, so it goes first.
  if (header.type == LongPacketType::kInitial || header.type == LongPacketType::kZeroRtt) {
    auto it = initial_dcids_.find(InitialKey{header.dcid, remote});
    if (it != initial_dcids_.end()) return Count(MakeRoute(RouteOutcome::kInitialHit, it->second));
  }
  return RouteAfterLookup(header, cids_.Find(header.dcid), remote, local, now);
}

RouteResult ConnectionIdRegistry::RouteAfterLookup(const RoutingHeader& header, CidEntry* found,
                                                   const SocketAddress& remote,
                                                   const SocketAddress& local, Timestamp now) {
  if (found != nullptr) {
    CidEntry& entry = *found;
    if (entry.state() == CidState::kIssued) {
      SetState(entry, CidState::kActive);  // First packet on it.
    }
    if (entry.state() != CidState::kRetiring) {
      return Count(MakeRoute(RouteOutcome::kCidHit, entry.owner()));
    }
    const ConnectionHandle owner = entry.owner();
    ConnectionRecord& record = connections_[owner.index];
    auto issued = std::find_if(record.cids.begin(), record.cids.end(),
                               [&](const IssuedCid& c) { return c.cid == header.dcid; });
    if (now < issued->retire_deadline) {
      return Count(MakeRoute(RouteOutcome::kRetiredInGrace, owner, issued->sequence));
    }
    // Past its grace the CID is as good as unknown (the sweep may not have run yet).
  }
  return Count(RouteUnknownDcid(header, remote, local));
}

RouteResult ConnectionIdRegistry::RouteUnknownDcid(const RoutingHeader& header,
                                                   const SocketAddress& remote,
                                                   const SocketAddress& local) {
  auto unambiguous_owner = [&] { return SoleOwnerOf(FourTuple{remote, local}); };
  if (header.form == PacketForm::kLong) {
    if (header.dcid.empty() && settings_.local_cid_length == 0) {
      if (ConnectionHandle owner = unambiguous_owner(); owner.valid()) {
        return MakeRoute(RouteOutcome::kTupleHit, owner);
      }
    }
    return MakeRoute(header.type == LongPacketType::kInitial ? RouteOutcome::kMissInitial
                                                             : RouteOutcome::kMissLong);
  }
  if (header.datagram.size() >= kMinStatelessResetLength) {
    TokenKey key{remote, {}};
    std::copy(header.datagram.end() - kStatelessResetTokenLength, header.datagram.end(),
              key.token.begin());
    if (ConnectionHandle owner = TokenOwnerOf(key); owner.valid()) {
      return MakeRoute(RouteOutcome::kResetToken, owner);
    }
  }
  if (ConnectionHandle owner = unambiguous_owner(); owner.valid()) {
    return MakeRoute(header.dcid.empty() ? RouteOutcome::kTupleHit : RouteOutcome::kFallback,
                     owner);
  }
  return MakeRoute(RouteOutcome::kMissShort, ConnectionHandle{});
}

}  // namespace p2pquic
