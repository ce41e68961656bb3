#include "transport/routing/quic_lb_config.h"

#include "transport/base/connection_id.h"

namespace p2pquic {

const char* ToString(QuicLbConfigStatus status) {
  switch (status) {
    case QuicLbConfigStatus::kOk:
      return "ok";
    case QuicLbConfigStatus::kBadConfigId:
      return "config_id must be 0..6 (7 marks unroutable CIDs)";
    case QuicLbConfigStatus::kNoServerId:
      return "server_id_length must be at least 1";
    case QuicLbConfigStatus::kNonceTooShort:
      return "nonce_length must be at least 4";
    case QuicLbConfigStatus::kCidTooLong:
      return "1 + server_id_length + nonce_length must be at most 20 bytes";
    case QuicLbConfigStatus::kTooManyWorkerBits:
      return "worker_bits must be at most 8 and fit the server ID";
    case QuicLbConfigStatus::kHostIdTooLarge:
      return "host_id does not fit the server ID's bits above the worker bits";
  }
  return "unknown";
}

QuicLbConfigStatus CheckQuicLbConfig(const QuicLbConfig& config) {
  if (config.config_id >= QuicLbConfig::kUnroutableConfigId) {
    return QuicLbConfigStatus::kBadConfigId;
  }
  if (config.server_id_length == 0) return QuicLbConfigStatus::kNoServerId;
  if (config.nonce_length < QuicLbConfig::kMinNonceLength) {
    return QuicLbConfigStatus::kNonceTooShort;
  }
  if (config.cid_length() > kMaxConnectionIdLength) return QuicLbConfigStatus::kCidTooLong;
  if (config.worker_bits > QuicLbConfig::kMaxWorkerBits ||
      config.worker_bits > 8 * config.server_id_length) {
    return QuicLbConfigStatus::kTooManyWorkerBits;
  }
  const size_t host_bits = 8 * config.server_id_length - config.worker_bits;
  if (host_bits < 64 && (config.host_id >> host_bits) != 0) {
    return QuicLbConfigStatus::kHostIdTooLarge;
  }
  return QuicLbConfigStatus::kOk;
}

}  // namespace p2pquic
