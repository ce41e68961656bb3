// Endpoint: one UDP socket serving many QUIC connections. Every datagram is
// demultiplexed through the ConnectionIdRegistry (whose header states the
// routing contract): hits go to their connection in arrival order; an unknown
// Initial may start a server connection (within limits); an unknown version
// gets Version Negotiation; an unknown short header gets a rate-limited
// stateless reset unless it may be a reset itself; everything else is
// dropped and counted.
//
// Stateless resets from peers: every reset token a peer binds to a CID we
// use (the server's transport parameter, each NEW_CONNECTION_ID) is in the
// registry, keyed by the peer's address, for as long as ngtcp2 uses that CID,
// so a reset routes to the one connection it ends (route kResetToken) even
// when the 4-tuple is shared by several connections; that connection closes
// at once with the reason "stateless reset".
//
// Runs entirely on the seams (DatagramSocket, Clock, Random), so the same
// code runs over Boost.Asio and in the simulator.
//
// The Endpoint keeps the routing switch, accept and dial; how each
// connection is then read, written, flushed and timed (and the re-entrancy
// that forbids) is the ConnectionDriver's (connection_driver.h).
//
// Address validation (RFC 9000 §8.1): each Initial that would start a
// connection gets HandshakeAdmission's verdict (its header states the
// rule): accepted, answered with a stateless Retry carrying a token bound
// to the client's address (no connection, no registry entry: nothing is
// held until the client proves it receives at that address), or refused
// (dropped; a failed Retry token is answered with an INVALID_TOKEN close).
// AddressValidator mints and checks the tokens. After each inbound
// handshake the server sends a NEW_TOKEN token; as a client the endpoint
// keeps the tokens servers send (TokenCache, by server address) and Dial
// to that address carries the token, so a returning client skips the Retry.
// The limits count inbound handshakes only (a Dial is ours, not a flood).
//
// Zero-length CIDs (QuicConfig::local_cid_length == 0, RFC 9000 §5.1) are
// for client endpoints only. Such a client's SCID is empty, so it issues no
// NEW_CONNECTION_ID (ngtcp2 0.12.1 enqueues none when its SCID is empty) and
// no stateless reset token (a token belongs to a CID: RFC 9000 §10.3), and
// its registry holds no CID: the peer's datagrams carry an empty DCID and
// route by the 4-tuple (RouteOutcome::kTupleHit). Dial binds the 4-tuple,
// and every path change rebinds it (at once on Migrate: the server answers
// the new path before validation ends; again on each validated path). So:
// - one connection per 4-tuple: Dial refuses a second connection to a
//   remote that a connection of this endpoint still holds (kTupleInUse);
//   two would make the tuple ambiguous and neither would be reachable;
// - migration works (ngtcp2 needs a spare CID of the server's, not one of
//   ours): the new tuple is bound as the connection moves;
// - an unknown short header with an empty DCID gets no stateless reset (no
//   token exists for an empty CID); it is dropped and counted.
// A server cannot use them: its clients' packets would all carry the same
// empty DCID, leaving the 4-tuple, which a client's migration or a NAT
// rebinding changes (RFC 9000 §5.1: "will cause failures"), as the only key.
// CheckEndpointConfig refuses that configuration (kZeroLengthCidServer); an
// Endpoint built from a refused configuration refuses every Dial
// (kBadConfig) and every Initial.
//
// Contract: single-threaded; all calls and callbacks happen on the runtime's
// thread. The delegate, socket, clock, random, credentials and verifier
// factory must outlive the endpoint. A delegate callback must not destroy
// the endpoint.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "transport/base/handle_slots.h"
#include "transport/quic/connection/connection_end.h"
#include "transport/quic/connection/quic_connection.h"
#include "transport/quic/endpoint/address_validator.h"
#include "transport/quic/endpoint/connection_driver.h"
#include "transport/quic/endpoint/endpoint_tracer.h"
#include "transport/quic/endpoint/handshake_admission.h"
#include "transport/quic/endpoint/socket_sink.h"
#include "transport/quic/endpoint/stateless_responder.h"
#include "transport/quic/endpoint/token_cache.h"
#include "transport/routing/cid_generator.h"
#include "transport/routing/cid_registrar.h"
#include "transport/routing/connection_id_registry.h"
#include "transport/runtime/clock.h"
#include "transport/runtime/datagram_socket.h"
#include "transport/runtime/random.h"

namespace p2pquic {

// Whether a server hands out NEW_TOKEN tokens (RFC 9000 §8.1.3).
enum class NewTokenPolicy : uint8_t { kSend, kOff };

struct EndpointConfig {
  QuicConfig quic;
  RegistrySettings registry;
  // Connections still handshaking, and connections in all: Initials beyond
  // either are dropped (and counted).
  size_t max_pending_handshakes = 256;
  size_t max_connections = 4096;
  // Whether this endpoint accepts inbound connections at all.
  bool accept_inbound = true;
  // Stateless resets sent per second at most (token bucket, burst = rate).
  uint32_t stateless_resets_per_second = 64;
  // --- Stateless answer budgets (StatelessResponder; issue 11 flood
  // defence). Each is answers per second with burst = rate; 0 turns the
  // answer off. A source prefix is an IPv4 /24 or an IPv6 /48
  // (SourcePrefixBudget); its bucket is checked before the endpoint's, so a
  // sprayer in one prefix spends only its own budget.
  // Resets one source prefix may draw, and at once: a peer (or a NAT)
  // holding many connections to a node that restarted sends a flight on
  // each, and every connection needs its reset now (the burst); a sprayer
  // spends the burst once and then the rate.
  uint32_t stateless_resets_per_prefix_per_second = 8;
  uint32_t stateless_reset_prefix_burst = 32;
  // Version Negotiation packets sent per second at most. A real client
  // needs one per dial, and a client of another version dials rarely.
  uint32_t version_negotiations_per_second = 64;
  uint32_t version_negotiations_per_prefix_per_second = 4;
  // Retry packets (and INVALID_TOKEN closes): each costs a token sealed
  // with AES-GCM and a send, so a flood of Initials from spoofed addresses
  // would spend a worker's CPU on answers nobody reads. The endpoint's
  // budget caps that cost; the prefix budget keeps a flood's prefixes from
  // spending it, so a client elsewhere still gets its Retry. Under
  // RetryPolicy::kAlways a source prefix without NEW_TOKEN tokens opens at
  // most this many connections per second (after its burst); an Initial
  // over budget is dropped (the client retransmits it).
  uint32_t retries_per_second = 20'000;
  uint32_t retries_per_prefix_per_second = 16;
  uint32_t retry_prefix_burst = 64;
  // --- End of stateless answer budgets.
  // How long a server connection stays reachable by the client's initial
  // DCIDs after its handshake completed: a late duplicate of the client's
  // first Initial then reaches it (ngtcp2 drops it, its Initial keys are
  // gone) instead of starting a phantom connection that would hold a
  // pending slot until its handshake timeout.
  Duration initial_dcid_linger = std::chrono::seconds(3);
  // Datagrams held while the socket says kWouldBlock (EAGAIN), to go out in
  // order once it is writable (SocketSink); past this the newest are dropped
  // and counted. Room for four full write passes
  // (QuicConfig::max_datagrams_per_write): connections stop writing once
  // the socket is full, so only a pass under way and a few small answers
  // (Version Negotiation, stateless resets) land here.
  size_t max_held_datagrams = 256;
  // The key this endpoint derives its stateless reset tokens from (RFC 9000
  // §10.3.2). A static key that outlives the process (p2pquic-node derives
  // one from its identity key) lets the endpoint, restarted, answer its
  // peers' packets for connections it lost with resets they recognise, so
  // they close at once instead of at their idle timeout. Absent: drawn from
  // the endpoint's Random (valid for this endpoint's life only).
  std::optional<ResetSecret> stateless_reset_secret;
  // How the CIDs connections issue enter the registry. Null: at once
  // (ImmediateCidRegistrar), as production wants. Set, it must outlive the
  // endpoint (the simulator injects a registrar that defers entries here).
  CidRegistrar* cid_registrar = nullptr;
  // What the CIDs this endpoint issues look like. Null: random bytes of
  // quic.local_cid_length. A multi-worker server sets one that names its
  // worker (QuicLbCidMinter); its length() must be quic.local_cid_length
  // (CheckEndpointConfig). It must outlive the endpoint.
  const CidMinter* cid_minter = nullptr;

  // Address validation (handshake_admission.h states the rule; the limits
  // above, max_connections and max_pending_handshakes, take part in it).
  RetryPolicy retry_policy = RetryPolicy::kAuto;
  // kAuto: Retry once this many unvalidated inbound handshakes are pending.
  size_t retry_threshold = 64;
  // Unvalidated inbound handshakes one IPv4 address or IPv6 /64 may hold.
  size_t max_unvalidated_per_source = 16;
  // Memory pending inbound connections may hold, at
  // HandshakeAdmission::kPendingConnectionBytes each.
  size_t max_pending_memory = size_t{32} << 20;
  // Token lifetimes (Retry: seconds; NEW_TOKEN: an hour).
  AddressValidator::Settings tokens;
  // The secret Retry and NEW_TOKEN tokens are sealed with. Every endpoint
  // that may see a client's next Initial must share it: all workers of a
  // node (a retried client's next Initial may reach another worker) and
  // all hosts of a deployment (a NEW_TOKEN token may come back to any);
  // p2pquic-node derives it from its identity key, like the reset secret.
  // Absent: drawn from the endpoint's Random, good for this endpoint only.
  std::optional<TokenSecret> token_secret;
  // Whether the server sends a NEW_TOKEN token after each inbound
  // handshake.
  NewTokenPolicy new_tokens = NewTokenPolicy::kSend;
  // Client: NEW_TOKEN tokens kept, one per server address (TokenCache).
  size_t token_cache_capacity = 256;
};

struct EndpointStats {
  uint64_t datagrams_received = 0;
  uint64_t datagrams_sent = 0;
  uint64_t send_failures = 0;  // Refused by the socket for good (never kWouldBlock).
  // Backpressure, not loss: sends the socket refused with kWouldBlock
  // (EAGAIN), datagrams that therefore waited for the writable signal, and
  // of those the ones dropped because max_held_datagrams were waiting.
  uint64_t sends_blocked = 0;
  uint64_t datagrams_held = 0;
  uint64_t held_dropped = 0;
  uint64_t version_negotiations_sent = 0;
  uint64_t stateless_resets_sent = 0;
  uint64_t stateless_resets_suppressed = 0;  // Over the endpoint's rate limit.
  // Datagrams for unknown CIDs left unanswered because they may be stateless
  // resets themselves (no larger than any reset we send; RFC 9000 §10.3.3).
  uint64_t possible_resets_unanswered = 0;
  // Stateless resets from peers that closed one of our connections.
  uint64_t stateless_resets_received = 0;
  uint64_t initials_refused = 0;  // Limits, or not acceptable: every refusal below, and more.
  // Initials refused, by HandshakeAdmission's reason (each also counts in
  // initials_refused); invalid and expired Retry tokens count together.
  uint64_t initials_refused_connections_full = 0;
  uint64_t initials_refused_pending_full = 0;
  uint64_t initials_refused_per_source = 0;
  uint64_t initials_refused_memory_cap = 0;
  uint64_t initials_refused_invalid_token = 0;
  // Address validation: Retry packets sent (no state was created for
  // any), INVALID_TOKEN closes sent, tokens checked in Initials by kind and
  // outcome, NEW_TOKEN tokens sent (server) and kept (client).
  uint64_t retries_sent = 0;
  uint64_t invalid_token_closes_sent = 0;
  uint64_t retry_tokens_accepted = 0;
  uint64_t retry_tokens_invalid = 0;
  uint64_t retry_tokens_expired = 0;
  uint64_t regular_tokens_accepted = 0;
  uint64_t regular_tokens_invalid = 0;  // Invalid or expired: treated as no token.
  uint64_t new_tokens_sent = 0;
  uint64_t new_tokens_received = 0;
  // Drawn CIDs the registry already held, and connections refused or failed
  // because CidGenerator::kMaxDraws draws in a row all collided.
  uint64_t cid_collisions = 0;
  uint64_t cid_draws_exhausted = 0;
  uint64_t handshakes_started = 0;
  uint64_t handshakes_completed = 0;
  uint64_t connections_accepted = 0;  // Inbound connections started by a client's Initial.
  // Initials that reached an established connection through its lingering
  // initial DCIDs (late duplicates; each would have been a phantom).
  uint64_t late_initials = 0;
  uint64_t connections_closed = 0;
  // Malformed, unknown long headers, undecryptable, and (zero-length CIDs)
  // short headers from a 4-tuple no connection holds.
  uint64_t dropped = 0;
  uint64_t bytes_received = 0;  // UDP payload bytes.
  uint64_t bytes_sent = 0;
  uint64_t streams_accepted = 0;  // Streams the peers opened.
  uint64_t migrations = 0;        // Connections this endpoint migrated (client side).
  // Migrate calls that had to wait for a spare CID, and waits given up
  // because another blocker appeared (e.g. the connection started closing).
  uint64_t migrations_deferred = 0;
  uint64_t migrations_abandoned = 0;
  uint64_t path_validations_succeeded = 0;
  uint64_t path_validations_failed = 0;  // Failed or aborted.
  // Connections that lost the datagram size PMTUD had reached and fell back
  // to 1200 bytes (QuicConnection: path MTU black holes).
  uint64_t pmtu_black_holes = 0;
  // Closing period (RFC 9000 §10.2.1): datagrams that reached a connection
  // we were closing, and the saved CONNECTION_CLOSEs re-sent to answer them
  // (rate-limited: ClosingPeriod).
  uint64_t closing_datagrams_received = 0;
  uint64_t connection_closes_resent = 0;

  // --- Stateless answers suppressed by budget (StatelessResponder): over
  // the endpoint's Version Negotiation rate, over the sender's prefix's
  // (the prefix is checked first), and resets over the prefix's rate
  // (over the endpoint's: stateless_resets_suppressed above).
  uint64_t version_negotiations_suppressed = 0;
  uint64_t version_negotiations_suppressed_prefix = 0;
  uint64_t stateless_resets_suppressed_prefix = 0;
  // Retries (and INVALID_TOKEN closes) not sent: over the endpoint's
  // budget, over the sender's prefix's.
  uint64_t retries_suppressed = 0;
  uint64_t retries_suppressed_prefix = 0;
  // Unknown short headers left unanswered because their DCID cannot be one
  // of ours (CidMinter::Provenance: QUIC-LB CIDs name the host): junk
  // spends no reset budget.
  uint64_t stateless_resets_not_minted = 0;
  // --- End of stateless answers suppressed.

  void Accumulate(const EndpointStats& other);
};

// What the application provides.
class EndpointDelegate {
 public:
  virtual ~EndpointDelegate() = default;
  // A connection is being created (inbound: on its first Initial; outbound:
  // in Dial). Return the observer for its handshake and stream events and
  // the verifier for its peer's certificate; both must live until
  // OnConnectionClosed for this handle.
  struct ConnectionParts {
    ConnectionObserver* observer;
    PeerCertificateVerifier* verifier;
  };
  virtual ConnectionParts OnConnectionCreated(ConnectionHandle handle, bool inbound,
                                              const NetworkPath& path) = 0;
  // The connection is gone (its CIDs removed), so this comes when its
  // closing or draining period is over, not when it began. `end` says how it
  // ended (the first cause and reason it had). The handle is stale now.
  virtual void OnConnectionClosed(ConnectionHandle handle, const ConnectionEnd& end) = 0;
};

// Whether an EndpointConfig can run; ToString says what is wrong.
enum class EndpointConfigStatus : uint8_t {
  kOk,
  kZeroLengthCidServer,   // accept_inbound with local_cid_length 0 (see above).
  kCidLengthTooLong,      // local_cid_length above 20 bytes (RFC 9000 §17.2).
  kMinterLengthMismatch,  // cid_minter->length() differs from local_cid_length.
};
const char* ToString(EndpointConfigStatus status);
EndpointConfigStatus CheckEndpointConfig(const EndpointConfig& config);

enum class DialResult : uint8_t {
  kOk,
  kLimitExceeded,
  kSetupFailed,  // The connection could not be created (the delegate heard why).
  kBadConfig,    // CheckEndpointConfig refuses this endpoint's configuration.
  kTupleInUse,   // Zero-length CIDs: a connection of ours holds that 4-tuple.
};
const char* ToString(DialResult result);

class Endpoint : private ConnectionDriver::Owner {
 public:
  Endpoint(const EndpointConfig& config, DatagramSocket& socket, Clock& clock, Random& random,
           const TlsCredentials& credentials, EndpointDelegate& delegate);
  ~Endpoint() override;
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  // Installs the socket's receive, burst-end and writable handlers.
  void Start();
  // Nothing changes (no handle, no delegate call) unless the result is kOk
  // or kSetupFailed; on kSetupFailed the delegate saw OnConnectionCreated
  // and then OnConnectionClosed (cause kSetupFailed, with the reason).
  DialResult Dial(const SocketAddress& remote, ConnectionHandle* handle);
  // The live connection, or null.
  QuicConnection* Find(ConnectionHandle handle);
  // Sends what the application queued on the connection's streams and
  // re-arms its timer. Call after stream operations outside callbacks.
  void Flush(ConnectionHandle handle);
  void Close(ConnectionHandle handle, uint64_t app_error_code);

  // Client active migration: moves the socket to `new_local` and migrates
  // every established outbound connection there at once (the old address
  // is gone; the new path is validated while in use, with a fresh DCID).
  // Refused, with nothing changed, while the endpoint serves inbound
  // connections (servers do not move, RFC 9000 §9: kServesInbound) or any
  // connection cannot start (kNotConfirmed, kPeerDisallows, ...: see
  // QuicConnection::MigrationBlocker). When the only blockers are ones the
  // peer's next packets remove (a handshake not confirmed yet: RFC 9000 §9;
  // no spare CID of the peer's: §9.5 forbids reusing one on a new path),
  // nothing moves yet and the result is kDeferred: the move happens after
  // the burst that removed the last of them, and is dropped (counted) if a
  // lasting blocker appears first (e.g. the connection closes).
  // A later call replaces a deferred move. Should ngtcp2 still refuse a
  // connection after the socket moved, the socket moves back when no
  // connection followed; else that one stays on the old path and its
  // failure is returned.
  MigrateResult Migrate(const SocketAddress& new_local);
  // The address a deferred Migrate waits to move to, if any.
  std::optional<SocketAddress> pending_migration() const { return pending_migration_; }
  void CancelPendingMigration() { pending_migration_.reset(); }

  // Optional; set before Start. See endpoint_tracer.h.
  void SetTracer(EndpointTracer* tracer) { tracer_ = tracer; }

  const EndpointStats& stats() const { return stats_; }
  EndpointConfigStatus config_status() const { return config_status_; }
  const ConnectionIdRegistry& registry() const { return registry_; }
  const HandshakeAdmission& admission() const { return admission_; }
  // Client: the NEW_TOKEN tokens held for servers.
  const TokenCache& token_cache() const { return token_cache_; }
  SocketAddress local_address() const { return socket_.LocalAddress(); }
  size_t connection_count() const { return connections_.size(); }

 private:
  // Per-connection glue: CID observer, event forwarding; its driving state
  // is the ConnectionDriver::Driven it is.
  class Link;

  void OnDatagram(const ReceivedDatagram& datagram);
  // After a burst: one write pass per connection the burst touched.
  void OnBurstEnd();
  // The socket's writable signal: send what is held, then service the
  // connections that wanted to write meanwhile, oldest first, until the
  // socket fills up again.
  void OnWritable();
  // `header` is the datagram's header as routing parsed it (null for the
  // Initial that just created the connection: only a kFallback route needs it).
  void Deliver(Link& link, const ReceivedDatagram& datagram, const RouteResult& route,
               const RoutingHeader* header);
  void Accept(const ReceivedDatagram& datagram);
  // What the Initial's token proves (counted by kind and outcome); on a
  // valid Retry token, fills info->retried_dcid; on any valid token,
  // info->validated_token.
  AddressProof CheckToken(const ReceivedDatagram& datagram, std::span<const uint8_t> token,
                          ServerHandshakeInfo* info);
  void Refuse(AdmissionReason reason);
  // Answers an Initial with a Retry; no state is created.
  void SendRetry(const ReceivedDatagram& datagram, const StatelessResponder::InitialIds& ids);
  void ArmSweep();
  void Remove(Link& link);
  Link* FindLink(ConnectionHandle handle);
  // ConnectionDriver::Owner.
  ConnectionDriver::Driven* FindDriven(ConnectionHandle handle) override;
  void RemoveClosed(ConnectionHandle handle) override;
  // Whether a connection's bound 4-tuple is `path` (zero-length CIDs:
  // one connection per tuple).
  bool HoldsTuple(const NetworkPath& path);
  // Moves `handle`'s 4-tuple binding in the registry to `path`.
  void Rebind(Link& link, const NetworkPath& path);
  // kOk when every connection can follow a move now, else the first
  // blocker; kNoSpareCid only if no harder blocker exists.
  MigrateResult MigrationBlocker() const;
  MigrateResult MoveTo(const SocketAddress& new_local);
  // After a burst: performs a deferred move whose blockers are gone.
  void RetryPendingMigration();

  EndpointConfig config_;
  EndpointConfigStatus config_status_;
  DatagramSocket& socket_;
  Clock& clock_;
  Random& random_;
  // Parsed once for every connection's TLS session; null if GnuTLS refused
  // the credentials (then every connection attempt fails).
  std::unique_ptr<GnutlsCredentials> tls_;
  EndpointDelegate& delegate_;
  ResetSecret reset_secret_;
  AddressValidator validator_;
  HandshakeAdmission admission_;
  TokenCache token_cache_;
  ConnectionIdRegistry registry_;
  ImmediateCidRegistrar immediate_registrar_;
  CidRegistrar& registrar_;     // config_.cid_registrar, else immediate_registrar_.
  CidGenerator cid_generator_;  // Sequence-0 CIDs of inbound connections.
  std::unique_ptr<SocketSink> sink_;
  StatelessResponder responder_;  // Version Negotiation and stateless resets.
  HandleSlots<ConnectionHandle, Link> connections_;
  ConnectionDriver driver_;        // Reads, writes, flushes and times the connections.
  size_t pending_handshakes_ = 0;  // Connections whose handshake is not done.
  TimerId sweep_timer_;
  Timestamp sweep_deadline_ = Timestamp::max();
  EndpointStats stats_;
  EndpointTracer* tracer_ = nullptr;
  std::optional<SocketAddress> pending_migration_;
};

}  // namespace p2pquic
