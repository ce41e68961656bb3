// ConnectionIdRegistry: which connection owns each datagram an endpoint
// receives. Single-threaded and sans-I/O: the caller hands in time and a
// Random (for the hash keys); nothing here reads a clock or a socket.
//
// What it holds, each in its own map:
// - the CIDs this endpoint issued, of pending and established connections,
//   with their wire sequence numbers and lifecycle state
//   (issued -> active -> retiring -> removed);
// - client-chosen initial DCIDs, keyed by (DCID, remote address) under a
//   secret-keyed hash, because an attacker chooses them;
// - 4-tuples (remote, local) of each connection's paths, for zero-length
//   CIDs and for the address fallback;
// - the peer's stateless reset tokens, keyed by (remote address, token).
//
// Invariants (CheckInvariants() verifies all of them):
// - every map entry belongs to a live connection, and every CID a live
//   connection holds is in the CID map with that owner (no leaks, no strays);
// - a connection's CIDs have distinct wire sequence numbers, kept in order;
// - every CID below a connection's retire_prior_to floor is retiring or gone;
// - a retiring CID has a deadline; issued and active CIDs have none;
// - the gauges in stats() equal what the maps hold.
//
// Contract for callers:
// - Register a CID (IssueCid) before the NEW_CONNECTION_ID frame announcing
//   it can leave; IssueCid fails on collision so the caller can draw again.
// - A kFallback route is a guess, not a binding: deliver the datagram, and
//   only if the connection decrypted it call ConfirmFallback. An unconfirmed
//   guess never changes any map.
// - `now` must not go backwards between calls.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <queue>
#include <span>
#include <string>
#include <vector>

#include "transport/base/connection_id.h"
#include "transport/base/socket_address.h"
#include "transport/base/time.h"
#include "transport/routing/cid_table.h"
#include "transport/routing/connection_handle.h"
#include "transport/routing/keyed_hash.h"
#include "transport/routing/registry_result.h"
#include "transport/routing/registry_settings.h"
#include "transport/routing/registry_stats.h"
#include "transport/routing/routing_header.h"
#include "transport/routing/sequence_history.h"

namespace p2pquic {

class Random;

// The outcome of CheckInvariants(): empty when all hold, else what broke.
struct InvariantReport {
  std::string violation;
  bool ok() const { return violation.empty(); }
};

class ConnectionIdRegistry {
 public:
  // `random` seeds the secret hash keys; it is not kept.
  ConnectionIdRegistry(const RegistrySettings& settings, Random& random);

  ConnectionIdRegistry(const ConnectionIdRegistry&) = delete;
  ConnectionIdRegistry& operator=(const ConnectionIdRegistry&) = delete;

  const RegistrySettings& settings() const { return settings_; }

  // --- Connections -------------------------------------------------------
  // A new pending connection, owning nothing yet.
  ConnectionHandle OpenConnection();
  // Pending -> established. Idempotent: a second call says kAlreadyDone.
  RegistryResult Promote(ConnectionHandle connection);
  // Removes the connection and every CID, initial DCID, 4-tuple and token
  // it holds. The handle is stale afterwards.
  RegistryResult RemoveConnection(ConnectionHandle connection);
  bool IsLive(ConnectionHandle connection) const;
  // kUnknownConnection when stale; else kOk and `*phase` set.
  RegistryResult PhaseOf(ConnectionHandle connection, ConnectionPhase* phase) const;

  // --- CIDs this endpoint issues ------------------------------------------
  // Registers `cid` with its wire sequence number, state kIssued. Refuses a
  // CID held by anyone (kCidCollision), a sequence the connection used or
  // retired, a CID of the wrong length, and more than the per-connection
  // limit. Re-registering the same (cid, sequence) is kAlreadyDone.
  RegistryResult IssueCid(ConnectionHandle connection, const ConnectionId& cid, uint64_t sequence);
  // Retires the CID with `sequence`: routed as kRetiredInGrace until
  // now + retired_cid_grace, then removed (at once when the grace is zero).
  RegistryResult RetireCid(ConnectionHandle connection, uint64_t sequence, Timestamp now);
  // Retires every CID with a sequence below `sequence`, lowest first, and
  // refuses any later registration below it. `*retired` (optional) counts them.
  RegistryResult RetirePriorTo(ConnectionHandle connection, uint64_t sequence, Timestamp now,
                               size_t* retired = nullptr);
  // Removes retiring CIDs whose grace ended at or before `now`; returns how many.
  size_t ExpireRetired(Timestamp now);
  // The earliest grace deadline still pending, if any (for the caller's timer).
  bool NextExpiry(Timestamp* deadline) const;

  // The connection decrypted a datagram routed to it by kFallback, whose DCID
  // is its CID `sequence`: bind it (state kActive). Refuses a retired
  // sequence, a CID owned by another connection, and the wrong length.
  RegistryResult ConfirmFallback(ConnectionHandle connection, const ConnectionId& cid,
                                 uint64_t sequence);

  // --- Client-chosen initial DCIDs ----------------------------------------
  RegistryResult AddInitialDcid(ConnectionHandle connection, const ConnectionId& dcid,
                                const SocketAddress& remote);
  // Once the handshake is confirmed the client stops using them.
  RegistryResult RemoveInitialDcids(ConnectionHandle connection);

  // --- Paths (4-tuples) -----------------------------------------------------
  // Binds a validated path. A 4-tuple bound by two connections becomes
  // ambiguous: it no longer serves zero-length or fallback routing for any
  // of them (never misroute) until every one of them has unbound it.
  RegistryResult BindAddress(ConnectionHandle connection, const SocketAddress& remote,
                             const SocketAddress& local);
  RegistryResult UnbindAddress(ConnectionHandle connection, const SocketAddress& remote,
                               const SocketAddress& local);

  // --- Peer stateless reset tokens -----------------------------------------
  RegistryResult AddResetToken(ConnectionHandle connection, const SocketAddress& remote,
                               const StatelessResetToken& token);
  RegistryResult RemoveResetToken(ConnectionHandle connection, const SocketAddress& remote,
                                  const StatelessResetToken& token);

  // --- Routing ---------------------------------------------------------------
  // Parses and routes one datagram. Never allocates. `*header` (optional)
  // receives the parsed header, so that whoever acts on the route (a
  // fallback confirmation, a stateless reset) need not parse it again; it is
  // complete when the result's parse_status is kOk.
  RouteResult RouteDatagram(std::span<const uint8_t> datagram, const SocketAddress& remote,
                            const SocketAddress& local, Timestamp now,
                            RoutingHeader* header = nullptr);
  // Routes an already parsed header (header.datagram must be set for
  // stateless-reset detection).
  // The common case (a short header on an active CID) is inline: one hash
  // lookup and a counter, so routing costs barely more than a bare map.
  [[gnu::always_inline]] RouteResult Route(const RoutingHeader& header, const SocketAddress& remote,
                                           const SocketAddress& local, Timestamp now) {
    if (settings_.debug_timer == nullptr && header.form == PacketForm::kShort) [[likely]] {
      CidEntry* entry = cids_.Find(header.dcid);
      if (entry != nullptr && entry->state() == CidState::kActive) {
        ++stats_.lookups_by_outcome[static_cast<size_t>(RouteOutcome::kCidHit)];
        return MakeRoute(RouteOutcome::kCidHit, entry->owner());
      }
      return RouteAfterLookup(header, entry, remote, local, now);
    }
    return RouteFull(header, remote, local, now);
  }

  // --- Introspection -------------------------------------------------------
  const RegistryStats& stats() const { return stats_; }
  void reset_stats() { stats_.ResetCounters(); }
  InvariantReport CheckInvariants() const;
  // CID count of one connection (0 when stale).
  size_t CidCount(ConnectionHandle connection) const;
  size_t LiveConnectionCount() const { return live_connections_; }

 private:
  struct IssuedCid {
    ConnectionId cid;
    uint64_t sequence;
    Timestamp retire_deadline;  // Meaningful only while retiring.
  };

  struct InitialKey {
    ConnectionId dcid;
    SocketAddress remote;
    friend bool operator==(const InitialKey&, const InitialKey&) = default;
  };
  struct InitialKeyHasher {
    KeyedHash hash;
    size_t operator()(const InitialKey& key) const;
  };

  // The 4-tuple and reset-token maps are keyed by a secret-keyed 64-bit
  // fingerprint of the exact key, which lives only in the owner's record and
  // is checked on every hit: slots of 24 and 16 bytes instead of 52 and 44.
  // A fingerprint collision (needing the secret key to aim) can only make a
  // bind refuse or a lookup miss, never route to the wrong connection.
  using Fingerprint = uint64_t;

  struct FourTuple {
    SocketAddress remote;
    SocketAddress local;
    friend bool operator==(const FourTuple&, const FourTuple&) = default;
  };
  struct TupleEntry {
    ConnectionHandle owner;  // Meaningless once owners > 1.
    uint32_t owners = 0;
  };

  struct TokenKey {
    SocketAddress remote;
    StatelessResetToken token;
    friend bool operator==(const TokenKey&, const TokenKey&) = default;
  };

  struct ConnectionRecord {
    uint32_t generation = 0;
    bool live = false;
    ConnectionPhase phase = ConnectionPhase::kPending;
    uint64_t retire_prior_to = 0;
    SequenceHistory history;
    std::vector<IssuedCid> cids;  // Sorted by sequence.
    std::vector<InitialKey> initial_dcids;
    std::vector<FourTuple> addresses;
    std::vector<TokenKey> tokens;
  };

  struct ExpiryItem {
    Timestamp deadline;
    ConnectionHandle owner;
    uint64_t sequence;
    bool operator>(const ExpiryItem& other) const { return deadline > other.deadline; }
  };

  // Everything but the inline fast path, timed when a debug timer is set.
  RouteResult RouteFull(const RoutingHeader& header, const SocketAddress& remote,
                        const SocketAddress& local, Timestamp now);
  // Continues routing once the CID table was searched (`entry` may be null).
  RouteResult RouteAfterLookup(const RoutingHeader& header, CidEntry* entry,
                               const SocketAddress& remote, const SocketAddress& local,
                               Timestamp now);
  ConnectionRecord* Lookup(ConnectionHandle connection);
  const ConnectionRecord* Lookup(ConnectionHandle connection) const;
  IssuedCid* FindSequence(ConnectionRecord& record, uint64_t sequence);
  RegistryResult InsertCid(ConnectionHandle connection, ConnectionRecord& record,
                           const ConnectionId& cid, uint64_t sequence, CidState state);
  void MarkRetiring(ConnectionHandle connection, IssuedCid& issued, Timestamp now);
  void EraseCid(ConnectionRecord& record, uint64_t sequence);
  void SetState(CidEntry& entry, CidState state);
  Fingerprint FingerprintOf(const FourTuple& tuple) const;
  Fingerprint FingerprintOf(const TokenKey& key) const;
  void ReleaseTuple(const FourTuple& tuple);
  // The one connection bound to this exact 4-tuple, or an invalid handle.
  ConnectionHandle SoleOwnerOf(const FourTuple& tuple) const;
  // The connection holding this exact (remote, token), or an invalid handle.
  ConnectionHandle TokenOwnerOf(const TokenKey& key) const;
  RouteResult RouteUnknownDcid(const RoutingHeader& header, const SocketAddress& remote,
                               const SocketAddress& local);
  RouteResult Count(RouteResult result) {
    ++stats_.lookups_by_outcome[static_cast<size_t>(result.outcome)];
    return result;
  }
  std::string CheckConnection(uint32_t index, const ConnectionRecord& record, size_t* cids,
                              size_t* initials, size_t* tokens) const;

  // RAII: records an operation's duration when a debug timer is set.
  class ScopedTiming;

  RegistrySettings settings_;
  CidTable cids_;
  absl::flat_hash_map<InitialKey, ConnectionHandle, InitialKeyHasher> initial_dcids_;
  KeyedHash fingerprint_hash_;
  absl::flat_hash_map<Fingerprint, TupleEntry> tuples_;
  absl::flat_hash_map<Fingerprint, ConnectionHandle> reset_tokens_;
  std::vector<ConnectionRecord> connections_;
  std::vector<uint32_t> free_slots_;
  std::priority_queue<ExpiryItem, std::vector<ExpiryItem>, std::greater<ExpiryItem>> expiry_;
  size_t live_connections_ = 0;
  RegistryStats stats_;
};

}  // namespace p2pquic
