// StatelessResponder: the endpoint's answers to datagrams no connection
// owns, sent without creating any state (QUICHE keeps these in
// QuicDispatcher and QuicTimeWaitListManager; quinn-proto in Endpoint's
// stateless paths):
//
// - Version Negotiation (RFC 9000 §6, RFC 8999 §6) for a long header of a
//   version we do not speak, only in answer to a datagram of at least
//   1200 bytes. RFC 9000 §5.2.2: a server SHOULD answer "if the packet is
//   large enough to initiate a new connection for any supported version"
//   (§14.1: 1200 bytes for v1), "MAY limit the number of Version
//   Negotiation packets it sends", and "MUST drop smaller packets that
//   specify unsupported versions"; so a tiny datagram of an unknown version
//   is dropped unanswered, however its header parses.
// - Stateless resets (RFC 9000 §10.3) for a short header whose DCID no
//   connection owns, with the token the lost connection would have
//   announced (derived from the endpoint's reset secret), so a peer that
//   lost us closes at once. Every reset has one size, StatelessResetSize;
//   a datagram of that size or smaller is never answered (§10.3.3: it may be
//   a reset itself, and two endpoints that lost each other must not trade
//   resets).
// - Retry (RFC 9000 §17.2.5) for a client Initial HandshakeAdmission chose
//   to retry, never larger than that Initial (no amplification), and a
//   CONNECTION_CLOSE with INVALID_TOKEN (§8.1.2: SHOULD) in an Initial for
//   a client whose Retry token failed its check, so it stops at once
//   instead of at its handshake timeout; also smaller than what it answers.
//
// No amplification: at most one answer per datagram, and never more bytes
// than the datagram that caused it (a reset is smaller than what it answers
// by the rule above; a Version Negotiation lists one version and is at most
// 521 bytes with the longest CIDs an unknown version may carry, against
// 1200 received; a Retry and an INVALID_TOKEN close are checked against
// the Initial's size).
//
// Rate limits (RFC 9000 §10.3: "an endpoint MAY limit the rate", §5.2.2):
// each kind of answer needs a token from the endpoint's bucket AND from the
// bucket of the sender's source prefix (SourcePrefixBudget: IPv4 /24, IPv6
// /48). The prefix is checked first and a prefix
// that is out spends nothing of the endpoint's budget: a sprayer in one
// prefix exhausts only its own, and peers elsewhere still get their
// answers from the endpoint's bucket. A sprayer across many prefixes can
// still exhaust the endpoint's bucket (it is a global cap by design; with
// random CIDs no answer can tell a lost peer from junk).
// The prefix tables are built on first use, keyed by a hash key derived
// from the reset secret (no draw from Random: a simulation's random stream
// is unchanged).
//
// Counts into EndpointStats: version_negotiations_sent,
// version_negotiations_suppressed (endpoint budget spent),
// version_negotiations_suppressed_prefix (the sender's prefix spent its
// budget), stateless_resets_sent, stateless_resets_suppressed (endpoint
// budget), stateless_resets_suppressed_prefix, possible_resets_unanswered,
// stateless_resets_not_minted (before any budget: a DCID the endpoint's
// CidMinter cannot have made, so no peer of ours can be waiting for it),
// retries_sent, invalid_token_closes_sent.
// Sends through the SocketSink and flushes at once (an answer belongs to
// no write pass).
//
// Contract: single-threaded; `now` non-decreasing. Random, the reset
// secret, the sink, the stats and the tracer pointer outlive the responder;
// `tracer` is a reference to the owner's pointer, so a tracer set later is
// seen; the secret holds its final value before the first answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "transport/base/connection_id.h"
#include "transport/base/time.h"
#include "transport/quic/connection/quic_connection.h"
#include "transport/quic/endpoint/source_prefix_budget.h"
#include "transport/quic/endpoint/token_bucket.h"
#include "transport/routing/cid_minter.h"
#include "transport/routing/routing_header.h"
#include "transport/runtime/datagram_socket.h"
#include "transport/runtime/random.h"

namespace p2pquic {

struct EndpointStats;
class EndpointTracer;
class SocketSink;

// The size of every stateless reset an endpoint whose CIDs are
// `local_cid_length` bytes sends; no datagram this size or smaller gets one.
size_t StatelessResetSize(size_t local_cid_length);

class StatelessResponder {
 public:
  // Rates are answers per second, each bucket's burst equal to its rate
  // but a prefix's resets' (a peer with many connections needs a reset on
  // each at once); 0 turns that answer off. EndpointConfig holds the
  // defaults.
  struct Settings {
    size_t local_cid_length;
    uint32_t resets_per_second;
    uint32_t resets_per_prefix_per_second;
    uint32_t reset_prefix_burst;
    uint32_t version_negotiations_per_second;
    uint32_t version_negotiations_per_prefix_per_second;
    // The endpoint's CID minter (null: random CIDs). A short header whose
    // DCID it says it cannot have minted gets no reset.
    const CidMinter* minter = nullptr;
    uint32_t retries_per_second = 0;
    uint32_t retries_per_prefix_per_second = 0;
    uint32_t retry_prefix_burst = 0;
  };

  StatelessResponder(const Settings& settings, Random& random, const ResetSecret& secret,
                     SocketSink& sink, EndpointStats& stats, EndpointTracer* const& tracer);

  // A long header of a version we do not speak (route kUnsupportedVersion).
  void AnswerUnsupportedVersion(const ReceivedDatagram& datagram, Timestamp now);
  // A short header whose DCID no connection owns (route kMissShort);
  // `header` is the datagram's header as routing parsed it.
  void AnswerUnknownShortHeader(const ReceivedDatagram& datagram, const RoutingHeader& header,
                                Timestamp now);

  // The ids of a client Initial, as ngtcp2_accept parsed them.
  struct InitialIds {
    ConnectionId dcid;
    ConnectionId scid;
    uint32_t version;
  };
  // A Retry answering `datagram` (that client Initial), with the SCID
  // `retry_scid` and `token`. Returns whether it was sent: not when it
  // would be larger than the Initial, or could not be built.
  bool AnswerWithRetry(const ReceivedDatagram& datagram, const InitialIds& ids,
                       const ConnectionId& retry_scid, std::span<const uint8_t> token);
  // A CONNECTION_CLOSE (INVALID_TOKEN) answering `datagram`.
  bool AnswerInvalidToken(const ReceivedDatagram& datagram, const InitialIds& ids);
  // Whether a Retry or INVALID_TOKEN close may answer a datagram from
  // `source` now: takes one from the Retry budget (the source's prefix,
  // then the endpoint's) or counts retries_suppressed(_prefix). Ask before
  // sealing a token, so an answer over budget costs nothing more.
  enum class RetryBudget : uint8_t { kGranted, kSpent };
  RetryBudget TakeRetry(const SocketAddress& source, Timestamp now);

 private:
  // One kind of answer's budget: the endpoint's bucket and the prefix
  // table (built on first use: a client endpoint rarely needs it).
  struct AnswerBudget {
    TokenBucket endpoint;
    TokenBucket::Limit prefix_limit;
    uint64_t key_label;  // Tells this table's hash key from the other's.
    std::optional<SourcePrefixBudget> prefixes;
  };
  enum class Grant : uint8_t { kGranted, kPrefixSpent, kEndpointSpent };
  // Takes a token from `source`'s prefix bucket and from the endpoint's,
  // or from neither: the prefix is checked first.
  Grant Take(AnswerBudget& budget, const SocketAddress& source, Timestamp now);

  Settings settings_;
  Random& random_;
  const ResetSecret& secret_;
  SocketSink& sink_;
  EndpointStats& stats_;
  EndpointTracer* const& tracer_;
  AnswerBudget resets_;
  AnswerBudget version_negotiations_;
  AnswerBudget retries_;
  std::vector<uint8_t> scratch_;  // Where answers are built.
};

}  // namespace p2pquic
