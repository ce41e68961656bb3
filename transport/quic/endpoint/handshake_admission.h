// HandshakeAdmission: the server's decision for each client Initial that
// would start a connection: accept it (a connection and its state), answer
// with a Retry (no state at all: RFC 9000 §8.1.2), or refuse it (drop), and
// the tallies of pending handshakes the decision rests on.
//
// The rule, in order (the first that applies decides):
//  1. max_connections reached: refuse (kConnectionsFull).
//  2. A Retry token that fails its check: refuse (kInvalidRetryToken,
//     kExpiredRetryToken). The client followed our Retry and will not
//     follow another (RFC 9000 §17.2.5.2), so a second Retry is useless.
//  3. A validated address (a valid Retry token, or a valid NEW_TOKEN
//     token): accept unless max_pending_handshakes (kPendingFull) or the
//     memory cap (kMemoryCap) is reached; a Retry would not help, the
//     address is proven already.
//  4. An unvalidated address: under kAlways, Retry. Otherwise the first
//     pressure that applies: the source's unvalidated handshakes at
//     max_unvalidated_per_source (kPerSourceLimit), all pending handshakes
//     at max_pending_handshakes (kPendingFull), pending memory at the cap
//     (kMemoryCap), or (kAuto only) unvalidated handshakes at
//     retry_threshold (kLoad). Under pressure: Retry, or under kNever
//     refuse with that reason; without: accept.
//
// kAuto follows quic-go's rule (Retry once the unvalidated handshakes in
// flight exceed a count: its Transport.MaxUnvalidatedHandshakes), not
// MsQuic's (Retry once handshake memory exceeds a fraction of the
// machine's memory): a count is exact, deterministic in the simulator, and
// names what an attacker fills; memory is bounded separately by
// max_pending_memory, charged per pending connection at
// kPendingConnectionBytes.
//
// Sources: the per-source limit counts by IP address with the port ignored
// (the measured attack replayed one Initial from 300 ports of one IP), and
// IPv6 by its /64 prefix (one host usually owns a whole /64: counting each
// of its 2^64 addresses apart would be no limit).
//
// Only unvalidated handshakes are held against a source and the kAuto
// threshold: a validated one costs the same memory but proves a return
// path, and a flood of them needs real addresses.
//
// Contract: single-threaded. Every Started must be matched by exactly one
// Finished with the same source and validation (when the handshake
// completes or the connection goes before it does).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "transport/base/socket_address.h"

namespace p2pquic {

// When the server answers an Initial with a Retry (RFC 9000 §8.1.2).
enum class RetryPolicy : uint8_t {
  kAlways,  // Every Initial without a valid token: one extra round trip each.
  kAuto,    // Only under pressure (see HandshakeAdmission).
  kNever,   // Never: pressure refuses instead.
};
const char* ToString(RetryPolicy policy);

enum class AdmissionVerdict : uint8_t { kAccept, kRetry, kRefuse };
const char* ToString(AdmissionVerdict verdict);

// Why an Initial was retried or refused (kNone: accepted without pressure).
enum class AdmissionReason : uint8_t {
  kNone,
  kPolicy,             // RetryPolicy::kAlways.
  kLoad,               // kAuto: unvalidated handshakes at retry_threshold.
  kPerSourceLimit,     // The source's unvalidated handshakes at its limit.
  kPendingFull,        // Pending handshakes at max_pending_handshakes.
  kMemoryCap,          // Pending connections' memory at max_pending_memory.
  kConnectionsFull,    // Connections at max_connections.
  kInvalidRetryToken,  // A Retry token that is not ours or not for this client.
  kExpiredRetryToken,  // A Retry token past its lifetime.
};
const char* ToString(AdmissionReason reason);

struct AdmissionDecision {
  AdmissionVerdict verdict;
  AdmissionReason reason;
  friend bool operator==(const AdmissionDecision&, const AdmissionDecision&) = default;
};

// What the Initial's token proved (AddressValidator's checks, combined).
enum class AddressProof : uint8_t {
  kNone,               // No token, an unknown one, or a bad NEW_TOKEN token.
  kValidated,          // A valid Retry or NEW_TOKEN token.
  kInvalidRetryToken,  // A Retry token that failed its check.
  kExpiredRetryToken,  // A Retry token past its lifetime.
};

class HandshakeAdmission {
 public:
  // Heap bytes one pending server connection holds (ngtcp2_conn with its
  // sent-but-unacknowledged first flight, GnuTLS session, the endpoint's
  // link, registry entries): measured by pending_connection_bytes_test as
  // the growth of the process's malloc heap (mallinfo2) over 199 accepted
  // Initials whose handshakes stay pending: about 108 KiB each (GnuTLS
  // 3.7, ngtcp2 0.12.1, an Ed25519 certificate), rounded up. The test
  // fails if a change makes the estimate too small or three times too big.
  static constexpr size_t kPendingConnectionBytes = 128 << 10;

  struct Settings {
    RetryPolicy policy = RetryPolicy::kAuto;
    size_t max_connections = 4096;
    size_t max_pending_handshakes = 256;
    // kAuto retries once this many unvalidated handshakes are pending: a
    // quarter of max_pending_handshakes, so an Initial flood is met with
    // Retries long before it can fill the pending slots.
    size_t retry_threshold = 64;
    // Unvalidated pending handshakes one source (IPv4 address, IPv6 /64)
    // may hold: a host behind a NAT may open a few at once, a flood from
    // one IP is held to this.
    size_t max_unvalidated_per_source = 16;
    // Memory pending connections may hold, at kPendingConnectionBytes
    // each. 32 MiB is what the default 256 pending handshakes hold, so by
    // default the count binds; the cap binds when max_pending_handshakes is
    // raised, or when set lower on a small host.
    size_t max_pending_memory = size_t{32} << 20;
  };

  explicit HandshakeAdmission(const Settings& settings);

  // The decision for an Initial from `source` that would start a
  // connection while `connections` are open.
  AdmissionDecision Decide(const SocketAddress& source, AddressProof proof,
                           size_t connections) const;

  // A connection was started for `source` (accepted), and its handshake is
  // over (completed, or the connection went before it completed).
  void Started(const SocketAddress& source, bool validated);
  void Finished(const SocketAddress& source, bool validated);

  size_t pending() const { return pending_; }
  size_t unvalidated() const { return unvalidated_; }
  size_t unvalidated_from(const SocketAddress& source) const;
  size_t pending_memory() const { return pending_ * kPendingConnectionBytes; }
  const Settings& settings() const { return settings_; }

 private:
  // The per-source key: family and IPv4 address, or IPv6 /64 prefix.
  using SourceKey = std::array<uint8_t, 9>;
  static SourceKey KeyOf(const SocketAddress& source);

  Settings settings_;
  size_t pending_ = 0;
  size_t unvalidated_ = 0;
  absl::flat_hash_map<SourceKey, size_t> unvalidated_by_source_;
};

}  // namespace p2pquic
