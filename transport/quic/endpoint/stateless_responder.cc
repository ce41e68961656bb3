#include "transport/quic/endpoint/stateless_responder.h"

#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <algorithm>
#include <chrono>
#include <span>

#include "transport/quic/endpoint/endpoint.h"
#include "transport/quic/endpoint/endpoint_tracer.h"
#include "transport/quic/endpoint/socket_sink.h"

namespace p2pquic {
namespace {

// RFC 9000 §14.1: a client's Initial datagram is at least 1200 bytes; only
// such datagrams earn a Version Negotiation answer (no amplification).
constexpr size_t kMinInitialDatagram = 1200;
// RFC 9000 §10.3: an endpoint pads every packet to at least 22 bytes more
// than a CID length (ngtcp2: NGTCP2_MIN_PKT_EXPANDLEN beyond the DCID it
// sends to, i.e. beyond the length of our CIDs), so that a stateless reset
// one byte shorter than its smallest packet still passes for a valid one.
constexpr size_t kPaddingBeyondCid = 22;
constexpr size_t kResetTokenBytes = NGTCP2_STATELESS_RESET_TOKENLEN;
constexpr size_t kMinResetRandom = NGTCP2_MIN_STATELESS_RESET_RANDLEN;

// Every stateless reset we send has this size, and (RFC 9000 §10.3.3: a
// reset must never be answered with one, or two endpoints that lost each
// other's state trade resets) no datagram of this size or smaller gets one.
// A peer's packets to us are at least local_cid_length + 22 bytes (the
// padding above), so anything smaller is no packet of theirs but may well
// be a reset: ours, answered by a peer that also lost state, never is. It
// is also the size §10.3 gives the answer to the smallest packet, and 21+
// bytes for any CID length. Larger packets get a reset of this size too,
// not the "one byte shorter" §10.3 suggests up to 43 bytes: a larger reset
// could itself be answered. quic-go draws the line at 42 bytes for every
// CID length (so an ngtcp2 peer's 30-byte PINGs and ACKs never learn that it
// lost them); quinn and ngtcp2's later examples answer anything from 22
// bytes and rely on each reset being smaller than the last.
constexpr size_t ResetSize(size_t local_cid_length) {
  return std::min(local_cid_length, kMaxConnectionIdLength) + kPaddingBeyondCid - 1;
}
constexpr size_t kMaxStatelessResetSize = ResetSize(kMaxConnectionIdLength);
static_assert(ResetSize(0) >= kMinResetRandom + kResetTokenBytes);
// The largest Version Negotiation we send: header byte, version 0, two
// CIDs of up to 255 bytes each (RFC 8999 §5.1: an unknown version's CIDs
// may be that long), one supported version. It must fit in the smallest
// datagram we answer, so no answer is ever larger than its cause.
constexpr size_t kMaxUnknownVersionCid = 255;
constexpr size_t kSupportedVersions = 1;
constexpr size_t kMaxVersionNegotiationSize =
    1 + 4 + 1 + kMaxUnknownVersionCid + 1 + kMaxUnknownVersionCid + 4 * kSupportedVersions;
static_assert(kMaxVersionNegotiationSize <= kMinInitialDatagram);
// Room for any answer (a full-size datagram: other answers, such as a
// Retry, are bounded by what they answer, not by this).
constexpr size_t kScratchSize = 1500;
static_assert(kScratchSize >= kMaxVersionNegotiationSize);
static_assert(kScratchSize >= kMaxStatelessResetSize);

// Labels for the two prefix tables' hash keys, derived from the reset secret.
constexpr uint64_t kResetPrefixKeyLabel = 0x7265736574;  // "reset"
constexpr uint64_t kVnPrefixKeyLabel = 0x766e;           // "vn"
constexpr uint64_t kRetryPrefixKeyLabel = 0x7265747279;  // "retry"

// A hash key for a prefix table: SipHash of the secret's second half under
// its first half, twice with distinct labels. The secret is unknown to
// senders, so the key is too, and no draw from Random is needed.
KeyedHash PrefixHashKey(const ResetSecret& secret, uint64_t label) {
  KeyedHash::Key first_half;
  std::copy_n(secret.begin(), first_half.size(), first_half.begin());
  const KeyedHash derive(first_half);
  const std::span<const uint8_t> second_half(secret.data() + first_half.size(),
                                             secret.size() - first_half.size());
  KeyedHash::Key key;
  const uint64_t low = derive.Hash(second_half, label * 2);
  const uint64_t high = derive.Hash(second_half, label * 2 + 1);
  for (size_t i = 0; i < 8; ++i) {
    key[i] = static_cast<uint8_t>(low >> (8 * i));
    key[8 + i] = static_cast<uint8_t>(high >> (8 * i));
  }
  return KeyedHash(key);
}

}  // namespace

size_t StatelessResetSize(size_t local_cid_length) { return ResetSize(local_cid_length); }

StatelessResponder::StatelessResponder(const Settings& settings, Random& random,
                                       const ResetSecret& secret, SocketSink& sink,
                                       EndpointStats& stats, EndpointTracer* const& tracer)
    : settings_(settings),
      random_(random),
      secret_(secret),
      sink_(sink),
      stats_(stats),
      tracer_(tracer),
      resets_{TokenBucket({settings.resets_per_second, settings.resets_per_second}),
              {settings.resets_per_prefix_per_second, settings.reset_prefix_burst},
              kResetPrefixKeyLabel,
              std::nullopt},
      version_negotiations_{TokenBucket({settings.version_negotiations_per_second,
                                         settings.version_negotiations_per_second}),
                            {settings.version_negotiations_per_prefix_per_second,
                             settings.version_negotiations_per_prefix_per_second},
                            kVnPrefixKeyLabel,
                            std::nullopt},
      retries_{TokenBucket({settings.retries_per_second, settings.retries_per_second}),
               {settings.retries_per_prefix_per_second, settings.retry_prefix_burst},
               kRetryPrefixKeyLabel,
               std::nullopt},
      scratch_(kScratchSize) {}

StatelessResponder::Grant StatelessResponder::Take(AnswerBudget& budget,
                                                   const SocketAddress& source, Timestamp now) {
  if (!budget.prefixes) {
    budget.prefixes.emplace(budget.prefix_limit, PrefixHashKey(secret_, budget.key_label));
  }
  TokenBucket& prefix = budget.prefixes->BucketFor(source);
  if (prefix.Check(now) == TokenBucket::Level::kEmpty) return Grant::kPrefixSpent;
  if (budget.endpoint.Check(now) == TokenBucket::Level::kEmpty) return Grant::kEndpointSpent;
  prefix.Take();
  budget.endpoint.Take();
  return Grant::kGranted;
}

void StatelessResponder::AnswerUnsupportedVersion(const ReceivedDatagram& datagram, Timestamp now) {
  if (datagram.payload.size() < kMinInitialDatagram) return;  // §5.2.2: MUST drop.
  ngtcp2_version_cid vc;
  if (ngtcp2_pkt_decode_version_cid(&vc, datagram.payload.data(), datagram.payload.size(),
                                    settings_.local_cid_length) != NGTCP2_ERR_VERSION_NEGOTIATION) {
    return;
  }
  switch (Take(version_negotiations_, datagram.remote, now)) {
    case Grant::kGranted:
      break;
    case Grant::kPrefixSpent:
      ++stats_.version_negotiations_suppressed_prefix;
      return;
    case Grant::kEndpointSpent:
      ++stats_.version_negotiations_suppressed;
      return;
  }
  const uint32_t supported[kSupportedVersions] = {NGTCP2_PROTO_VER_V1};
  uint8_t unused;
  random_.Fill({&unused, 1});
  const ngtcp2_ssize n = ngtcp2_pkt_write_version_negotiation(
      scratch_.data(), scratch_.size(), unused, vc.scid, vc.scidlen, vc.dcid, vc.dcidlen, supported,
      std::size(supported));
  if (n <= 0 || static_cast<size_t>(n) > datagram.payload.size()) return;
  ++stats_.version_negotiations_sent;
  sink_.Send({datagram.local, datagram.remote}, {scratch_.data(), static_cast<size_t>(n)});
  sink_.Flush();
}

void StatelessResponder::AnswerUnknownShortHeader(const ReceivedDatagram& datagram,
                                                  const RoutingHeader& header, Timestamp now) {
  const size_t size = ResetSize(settings_.local_cid_length);
  if (datagram.payload.size() <= size) {  // May be a reset itself.
    ++stats_.possible_resets_unanswered;
    return;
  }
  if (settings_.minter != nullptr &&
      settings_.minter->Provenance(header.dcid) == CidProvenance::kNotMinted) {
    ++stats_.stateless_resets_not_minted;
    return;
  }
  switch (Take(resets_, datagram.remote, now)) {
    case Grant::kGranted:
      break;
    case Grant::kPrefixSpent:
      ++stats_.stateless_resets_suppressed_prefix;
      return;
    case Grant::kEndpointSpent:
      ++stats_.stateless_resets_suppressed;
      return;
  }
  // The token for this DCID, as the connection that owned it would have
  // announced it (same secret): a peer that lost us learns it for sure.
  StatelessResetToken token;
  ngtcp2_cid cid;
  ngtcp2_cid_init(&cid, header.dcid.bytes().data(), header.dcid.size());
  ngtcp2_crypto_generate_stateless_reset_token(token.data(), secret_.data(), secret_.size(), &cid);
  uint8_t unpredictable[kMaxStatelessResetSize];
  // The unpredictable bytes include the first (ngtcp2 sets its form bits).
  const size_t random_length = size - kResetTokenBytes;
  random_.Fill({unpredictable, random_length});
  const ngtcp2_ssize n = ngtcp2_pkt_write_stateless_reset(scratch_.data(), size, token.data(),
                                                          unpredictable, random_length);
  if (n <= 0) return;
  ++stats_.stateless_resets_sent;
  if (tracer_ != nullptr)
    tracer_->OnStatelessResetSent({datagram.local, datagram.remote}, header.dcid);
  sink_.Send({datagram.local, datagram.remote}, {scratch_.data(), static_cast<size_t>(n)});
  sink_.Flush();
}

namespace {
ngtcp2_cid ToNgtcp2(const ConnectionId& cid) {
  ngtcp2_cid out;
  ngtcp2_cid_init(&out, cid.bytes().data(), cid.size());
  return out;
}
}  // namespace

StatelessResponder::RetryBudget StatelessResponder::TakeRetry(const SocketAddress& source,
                                                              Timestamp now) {
  switch (Take(retries_, source, now)) {
    case Grant::kGranted:
      return RetryBudget::kGranted;
    case Grant::kPrefixSpent:
      ++stats_.retries_suppressed_prefix;
      return RetryBudget::kSpent;
    case Grant::kEndpointSpent:
      ++stats_.retries_suppressed;
      return RetryBudget::kSpent;
  }
  return RetryBudget::kSpent;
}

bool StatelessResponder::AnswerWithRetry(const ReceivedDatagram& datagram, const InitialIds& ids,
                                         const ConnectionId& retry_scid,
                                         std::span<const uint8_t> token) {
  const ngtcp2_cid dcid = ToNgtcp2(ids.scid);  // Back to the client's SCID.
  const ngtcp2_cid scid = ToNgtcp2(retry_scid);
  const ngtcp2_cid odcid = ToNgtcp2(ids.dcid);
  // Never larger than what it answers: the Retry must not amplify.
  const size_t room = std::min(scratch_.size(), datagram.payload.size());
  const ngtcp2_ssize n = ngtcp2_crypto_write_retry(scratch_.data(), room, ids.version, &dcid, &scid,
                                                   &odcid, token.data(), token.size());
  if (n <= 0) return false;
  ++stats_.retries_sent;
  sink_.Send({datagram.local, datagram.remote}, {scratch_.data(), static_cast<size_t>(n)});
  sink_.Flush();
  return true;
}

bool StatelessResponder::AnswerInvalidToken(const ReceivedDatagram& datagram,
                                            const InitialIds& ids) {
  // ngtcp2 derives the Initial keys from `scid` (the client's DCID) and
  // addresses the packet to the client's SCID.
  const ngtcp2_cid dcid = ToNgtcp2(ids.scid);
  const ngtcp2_cid scid = ToNgtcp2(ids.dcid);
  const size_t room = std::min(scratch_.size(), datagram.payload.size());
  const ngtcp2_ssize n = ngtcp2_crypto_write_connection_close(
      scratch_.data(), room, ids.version, &dcid, &scid, NGTCP2_INVALID_TOKEN, nullptr, 0);
  if (n <= 0) return false;
  ++stats_.invalid_token_closes_sent;
  sink_.Send({datagram.local, datagram.remote}, {scratch_.data(), static_cast<size_t>(n)});
  sink_.Flush();
  return true;
}

}  // namespace p2pquic
