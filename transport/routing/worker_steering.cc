#include "transport/routing/worker_steering.h"

#include <optional>
#include <utility>

namespace p2pquic {
namespace {

constexpr uint8_t kLongHeaderBit = 0x80;
constexpr size_t kLongHeaderDcidLengthOffset = 5;
constexpr size_t kMaxDcidLength = 20;
constexpr size_t kConfigIdShift = 5;
constexpr uint32_t kFnvOffsetBasis = 2166136261u;
constexpr uint32_t kFnvPrime = 16777619u;

// Rule 2's worker: the low worker_bits bits of the server ID's last byte,
// decrypted first when the layout has a key; nothing when a keyed config
// has no codec or the codec refuses the DCID.
std::optional<uint32_t> NamedWorker(std::span<const uint8_t> dcid,
                                    const WorkerSteeringConfig& config) {
  const uint8_t mask = static_cast<uint8_t>((1u << config.lb.worker_bits) - 1);
  if (!config.lb.key.has_value()) return dcid[config.lb.server_id_length] & mask;
  if (config.codec == nullptr) return std::nullopt;
  QuicLbPlaintext plaintext;
  if (config.codec->Decode(dcid, &plaintext, QuicLbDecodeDepth::kServerIdOnly) !=
      QuicLbDecodeResult::kOk) {
    return std::nullopt;
  }
  return plaintext.server_id().back() & mask;
}

}  // namespace

const char* ToString(SteeringKind kind) {
  switch (kind) {
    case SteeringKind::kByCid:
      return "by-cid";
    case SteeringKind::kByHash:
      return "by-hash";
    case SteeringKind::kUnsteered:
      return "unsteered";
  }
  return "unknown";
}

const char* ToString(WorkerSteeringConfigStatus status) {
  switch (status) {
    case WorkerSteeringConfigStatus::kOk:
      return "ok";
    case WorkerSteeringConfigStatus::kBadLbConfig:
      return "bad QUIC-LB config";
    case WorkerSteeringConfigStatus::kNoWorkers:
      return "worker_count must be at least 1";
    case WorkerSteeringConfigStatus::kMissingCodec:
      return "a keyed QUIC-LB config needs a codec to decrypt server IDs";
    case WorkerSteeringConfigStatus::kCodecMismatch:
      return "the codec was built from a different QUIC-LB config";
    case WorkerSteeringConfigStatus::kCipherUnavailable:
      return "OpenSSL could not run AES-128-ECB for the config's key";
  }
  return "unknown";
}

WorkerSteeringConfigStatus CheckWorkerSteeringConfig(const WorkerSteeringConfig& config) {
  if (CheckQuicLbConfig(config.lb) != QuicLbConfigStatus::kOk) {
    return WorkerSteeringConfigStatus::kBadLbConfig;
  }
  if (config.worker_count == 0) return WorkerSteeringConfigStatus::kNoWorkers;
  if (config.lb.key.has_value() && config.codec == nullptr) {
    return WorkerSteeringConfigStatus::kMissingCodec;
  }
  if (config.codec != nullptr && !(config.codec->config() == config.lb)) {
    return WorkerSteeringConfigStatus::kCodecMismatch;
  }
  return WorkerSteeringConfigStatus::kOk;
}

WorkerSteeringConfigStatus MakeWorkerSteeringConfig(const QuicLbConfig& lb, uint32_t worker_count,
                                                    WorkerSteeringConfig* out,
                                                    QuicLbConfigStatus* lb_status) {
  const QuicLbConfigStatus checked = CheckQuicLbConfig(lb);
  if (lb_status != nullptr) *lb_status = checked;
  if (checked != QuicLbConfigStatus::kOk) return WorkerSteeringConfigStatus::kBadLbConfig;
  if (worker_count == 0) return WorkerSteeringConfigStatus::kNoWorkers;
  WorkerSteeringConfig config;
  config.lb = lb;
  config.worker_count = worker_count;
  if (lb.key.has_value()) {
    QuicLbCodec::Creation creation = QuicLbCodec::Create(lb);
    if (creation.status != QuicLbCodecStatus::kOk) {
      return WorkerSteeringConfigStatus::kCipherUnavailable;
    }
    config.codec = std::move(creation.codec);
  }
  *out = std::move(config);
  return WorkerSteeringConfigStatus::kOk;
}

uint32_t SteeringHash(std::span<const uint8_t> bytes) {
  uint32_t hash = kFnvOffsetBasis;
  for (uint8_t b : bytes) {
    hash ^= b;
    hash *= kFnvPrime;
  }
  return hash;
}

SteeringDecision SteerDatagram(std::span<const uint8_t> datagram,
                               const WorkerSteeringConfig& config) {
  if (datagram.empty() || config.worker_count == 0) return {};
  const bool long_header = (datagram[0] & kLongHeaderBit) != 0;
  std::span<const uint8_t> dcid;
  if (long_header) {
    if (datagram.size() <= kLongHeaderDcidLengthOffset) return {};
    const size_t length = datagram[kLongHeaderDcidLengthOffset];
    if (length > kMaxDcidLength || datagram.size() < kLongHeaderDcidLengthOffset + 1 + length) {
      return {};
    }
    dcid = datagram.subspan(kLongHeaderDcidLengthOffset + 1, length);
  } else {
    if (datagram.size() < 1 + config.lb.cid_length()) return {};
    dcid = datagram.subspan(1, config.lb.cid_length());
  }
  if (dcid.size() == config.lb.cid_length() && (dcid[0] >> kConfigIdShift) == config.lb.config_id) {
    const std::optional<uint32_t> worker = NamedWorker(dcid, config);
    if (worker.has_value() && *worker < config.worker_count) {
      return {SteeringKind::kByCid, *worker};
    }
  }
  if (long_header) return {SteeringKind::kByHash, SteeringHash(dcid) % config.worker_count};
  return {};
}

}  // namespace p2pquic
