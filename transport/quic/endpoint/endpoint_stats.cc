// EndpointStats and the names of Endpoint's results.
#include "transport/quic/endpoint/endpoint.h"

namespace p2pquic {

void EndpointStats::Accumulate(const EndpointStats& o) {
  datagrams_received += o.datagrams_received;
  datagrams_sent += o.datagrams_sent;
  send_failures += o.send_failures;
  sends_blocked += o.sends_blocked;
  datagrams_held += o.datagrams_held;
  held_dropped += o.held_dropped;
  version_negotiations_sent += o.version_negotiations_sent;
  stateless_resets_sent += o.stateless_resets_sent;
  stateless_resets_suppressed += o.stateless_resets_suppressed;
  possible_resets_unanswered += o.possible_resets_unanswered;
  stateless_resets_received += o.stateless_resets_received;
  initials_refused += o.initials_refused;
  initials_refused_connections_full += o.initials_refused_connections_full;
  initials_refused_pending_full += o.initials_refused_pending_full;
  initials_refused_per_source += o.initials_refused_per_source;
  initials_refused_memory_cap += o.initials_refused_memory_cap;
  initials_refused_invalid_token += o.initials_refused_invalid_token;
  retries_sent += o.retries_sent;
  invalid_token_closes_sent += o.invalid_token_closes_sent;
  retry_tokens_accepted += o.retry_tokens_accepted;
  retry_tokens_invalid += o.retry_tokens_invalid;
  retry_tokens_expired += o.retry_tokens_expired;
  regular_tokens_accepted += o.regular_tokens_accepted;
  regular_tokens_invalid += o.regular_tokens_invalid;
  new_tokens_sent += o.new_tokens_sent;
  new_tokens_received += o.new_tokens_received;
  cid_collisions += o.cid_collisions;
  cid_draws_exhausted += o.cid_draws_exhausted;
  handshakes_started += o.handshakes_started;
  handshakes_completed += o.handshakes_completed;
  connections_accepted += o.connections_accepted;
  late_initials += o.late_initials;
  connections_closed += o.connections_closed;
  dropped += o.dropped;
  bytes_received += o.bytes_received;
  bytes_sent += o.bytes_sent;
  streams_accepted += o.streams_accepted;
  migrations += o.migrations;
  migrations_deferred += o.migrations_deferred;
  migrations_abandoned += o.migrations_abandoned;
  path_validations_succeeded += o.path_validations_succeeded;
  path_validations_failed += o.path_validations_failed;
  pmtu_black_holes += o.pmtu_black_holes;
  closing_datagrams_received += o.closing_datagrams_received;
  connection_closes_resent += o.connection_closes_resent;
  version_negotiations_suppressed += o.version_negotiations_suppressed;
  version_negotiations_suppressed_prefix += o.version_negotiations_suppressed_prefix;
  stateless_resets_suppressed_prefix += o.stateless_resets_suppressed_prefix;
  stateless_resets_not_minted += o.stateless_resets_not_minted;
  retries_suppressed += o.retries_suppressed;
  retries_suppressed_prefix += o.retries_suppressed_prefix;
}

const char* ToString(EndpointConfigStatus status) {
  switch (status) {
    case EndpointConfigStatus::kOk:
      return "ok";
    case EndpointConfigStatus::kZeroLengthCidServer:
      return "an endpoint that accepts inbound connections cannot use zero-length connection IDs "
             "(local_cid_length 0): its clients would be told apart by 4-tuple only, which "
             "migration and NAT rebinding change (RFC 9000 §5.1); zero-length CIDs are for "
             "clients";
    case EndpointConfigStatus::kCidLengthTooLong:
      return "local_cid_length exceeds 20 bytes, the most QUIC v1 allows (RFC 9000 §17.2)";
    case EndpointConfigStatus::kMinterLengthMismatch:
      return "cid_minter makes connection IDs of another length than local_cid_length";
  }
  return "unknown";
}

EndpointConfigStatus CheckEndpointConfig(const EndpointConfig& config) {
  if (config.quic.local_cid_length > kMaxConnectionIdLength) {
    return EndpointConfigStatus::kCidLengthTooLong;
  }
  if (config.quic.local_cid_length == 0 && config.accept_inbound) {
    return EndpointConfigStatus::kZeroLengthCidServer;
  }
  if (config.cid_minter != nullptr && config.cid_minter->length() != config.quic.local_cid_length) {
    return EndpointConfigStatus::kMinterLengthMismatch;
  }
  return EndpointConfigStatus::kOk;
}

const char* ToString(DialResult result) {
  switch (result) {
    case DialResult::kOk:
      return "ok";
    case DialResult::kLimitExceeded:
      return "connection limit reached";
    case DialResult::kSetupFailed:
      return "connection setup failed";
    case DialResult::kBadConfig:
      return "the endpoint's configuration is refused (CheckEndpointConfig)";
    case DialResult::kTupleInUse:
      return "this endpoint uses zero-length connection IDs and already has a connection on "
             "that 4-tuple, its only routing key (RFC 9000 §5.1)";
  }
  return "unknown";
}

}  // namespace p2pquic
