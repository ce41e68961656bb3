#include "transport/quic/endpoint/handshake_admission.h"

#include <algorithm>

namespace p2pquic {
namespace {
// IPv6 sources are counted by their /64 prefix: 8 bytes.
constexpr size_t kIpv6PrefixBytes = 8;
}  // namespace

const char* ToString(RetryPolicy policy) {
  switch (policy) {
    case RetryPolicy::kAlways:
      return "always";
    case RetryPolicy::kAuto:
      return "auto";
    case RetryPolicy::kNever:
      return "never";
  }
  return "?";
}

const char* ToString(AdmissionVerdict verdict) {
  switch (verdict) {
    case AdmissionVerdict::kAccept:
      return "accept";
    case AdmissionVerdict::kRetry:
      return "retry";
    case AdmissionVerdict::kRefuse:
      return "refuse";
  }
  return "?";
}

const char* ToString(AdmissionReason reason) {
  switch (reason) {
    case AdmissionReason::kNone:
      return "none";
    case AdmissionReason::kPolicy:
      return "retry policy always";
    case AdmissionReason::kLoad:
      return "unvalidated handshakes at the retry threshold";
    case AdmissionReason::kPerSourceLimit:
      return "source's unvalidated handshakes at their limit";
    case AdmissionReason::kPendingFull:
      return "pending handshakes at their limit";
    case AdmissionReason::kMemoryCap:
      return "pending connections' memory at its cap";
    case AdmissionReason::kConnectionsFull:
      return "connections at their limit";
    case AdmissionReason::kInvalidRetryToken:
      return "invalid Retry token";
    case AdmissionReason::kExpiredRetryToken:
      return "expired Retry token";
  }
  return "?";
}

HandshakeAdmission::HandshakeAdmission(const Settings& settings) : settings_(settings) {}

HandshakeAdmission::SourceKey HandshakeAdmission::KeyOf(const SocketAddress& source) {
  SourceKey key{};
  key[0] = static_cast<uint8_t>(source.family());
  const std::span<const uint8_t> bytes = source.address_bytes();
  const size_t n = std::min(bytes.size(), kIpv6PrefixBytes);
  std::copy_n(bytes.begin(), n, key.begin() + 1);
  return key;
}

size_t HandshakeAdmission::unvalidated_from(const SocketAddress& source) const {
  auto it = unvalidated_by_source_.find(KeyOf(source));
  return it == unvalidated_by_source_.end() ? 0 : it->second;
}

AdmissionDecision HandshakeAdmission::Decide(const SocketAddress& source, AddressProof proof,
                                             size_t connections) const {
  if (connections >= settings_.max_connections) {
    return {AdmissionVerdict::kRefuse, AdmissionReason::kConnectionsFull};
  }
  switch (proof) {
    case AddressProof::kInvalidRetryToken:
      return {AdmissionVerdict::kRefuse, AdmissionReason::kInvalidRetryToken};
    case AddressProof::kExpiredRetryToken:
      return {AdmissionVerdict::kRefuse, AdmissionReason::kExpiredRetryToken};
    case AddressProof::kValidated:
    case AddressProof::kNone:
      break;
  }
  const bool pending_full = pending_ >= settings_.max_pending_handshakes;
  const bool memory_full =
      (pending_ + 1) * HandshakeAdmission::kPendingConnectionBytes > settings_.max_pending_memory;
  if (proof == AddressProof::kValidated) {
    if (pending_full) return {AdmissionVerdict::kRefuse, AdmissionReason::kPendingFull};
    if (memory_full) return {AdmissionVerdict::kRefuse, AdmissionReason::kMemoryCap};
    return {AdmissionVerdict::kAccept, AdmissionReason::kNone};
  }
  if (settings_.policy == RetryPolicy::kAlways) {
    return {AdmissionVerdict::kRetry, AdmissionReason::kPolicy};
  }
  AdmissionReason pressure = AdmissionReason::kNone;
  if (unvalidated_from(source) >= settings_.max_unvalidated_per_source) {
    pressure = AdmissionReason::kPerSourceLimit;
  } else if (pending_full) {
    pressure = AdmissionReason::kPendingFull;
  } else if (memory_full) {
    pressure = AdmissionReason::kMemoryCap;
  } else if (settings_.policy == RetryPolicy::kAuto && unvalidated_ >= settings_.retry_threshold) {
    pressure = AdmissionReason::kLoad;
  }
  if (pressure == AdmissionReason::kNone) return {AdmissionVerdict::kAccept, pressure};
  if (settings_.policy == RetryPolicy::kNever) return {AdmissionVerdict::kRefuse, pressure};
  return {AdmissionVerdict::kRetry, pressure};
}

void HandshakeAdmission::Started(const SocketAddress& source, bool validated) {
  ++pending_;
  if (validated) return;
  ++unvalidated_;
  ++unvalidated_by_source_[KeyOf(source)];
}

void HandshakeAdmission::Finished(const SocketAddress& source, bool validated) {
  if (pending_ > 0) --pending_;
  if (validated) return;
  if (unvalidated_ > 0) --unvalidated_;
  auto it = unvalidated_by_source_.find(KeyOf(source));
  if (it == unvalidated_by_source_.end()) return;
  if (--it->second == 0) unvalidated_by_source_.erase(it);
}

}  // namespace p2pquic
