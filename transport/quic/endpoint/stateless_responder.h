// StatelessResponder: the endpoint's answers to datagrams no connection
// owns, sent without creating any state (QUICHE keeps these in
// QuicDispatcher and QuicTimeWaitListManager; quinn-proto in Endpoint's
// stateless paths):
//
// - Version Negotiation (RFC 9000 §6, RFC 8999 §6) for a long header of a
//   version we do not speak, only in answer to a datagram of at least
//   1200 bytes (a client's first; no amplification).
// - Stateless resets (RFC 9000 §10.3) for a short header whose DCID no
//   connection owns, with the token the lost connection would have
//   announced (derived from the endpoint's reset secret), so a peer that
//   lost us closes at once. Every reset has one size, StatelessResetSize;
//   a datagram of that size or smaller is never answered (§10.3.3: it may be
//   a reset itself, and two endpoints that lost each other must not trade
//   resets). Resets are rate-limited by a token bucket (resets_per_second,
//   burst = rate); those over the limit are counted and dropped.
// - Retry (RFC 9000 §17.2.5) for a client Initial HandshakeAdmission chose
//   to retry, never larger than that Initial (no amplification), and a
//   CONNECTION_CLOSE with INVALID_TOKEN (§8.1.2: SHOULD) in an Initial for
//   a client whose Retry token failed its check, so it stops at once
//   instead of at its handshake timeout; also smaller than what it answers.
//
// Counts into EndpointStats: version_negotiations_sent, stateless_resets_sent,
// stateless_resets_suppressed, possible_resets_unanswered, retries_sent,
// invalid_token_closes_sent. Sends through the
// SocketSink and flushes at once (an answer belongs to no write pass).
//
// Contract: single-threaded. Random, the reset secret, the sink, the stats
// and the tracer pointer outlive the responder; `tracer` is a reference to
// the owner's pointer, so a tracer set later is seen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "transport/base/connection_id.h"
#include "transport/base/time.h"
#include "transport/quic/connection/quic_connection.h"
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
  struct Settings {
    size_t local_cid_length;
    uint32_t resets_per_second;
  };

  StatelessResponder(const Settings& settings, Random& random, const ResetSecret& secret,
                     SocketSink& sink, EndpointStats& stats, EndpointTracer* const& tracer);

  // A long header of a version we do not speak (route kUnsupportedVersion).
  void AnswerUnsupportedVersion(const ReceivedDatagram& datagram);
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

 private:
  // Takes one reset from the token bucket, refilled for the time since the
  // last call; false when none is left.
  bool TakeResetToken(Timestamp now);

  Settings settings_;
  Random& random_;
  const ResetSecret& secret_;
  SocketSink& sink_;
  EndpointStats& stats_;
  EndpointTracer* const& tracer_;
  double reset_tokens_;
  Timestamp reset_refill_ = Timestamp{};
  std::vector<uint8_t> scratch_;  // Where answers are built.
};

}  // namespace p2pquic
