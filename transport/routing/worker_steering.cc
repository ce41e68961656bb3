#include "transport/routing/worker_steering.h"

namespace p2pquic {
namespace {

constexpr uint8_t kLongHeaderBit = 0x80;
constexpr size_t kLongHeaderDcidLengthOffset = 5;
constexpr size_t kMaxDcidLength = 20;
constexpr uint32_t kFnvOffsetBasis = 2166136261u;
constexpr uint32_t kFnvPrime = 16777619u;

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
  if (dcid.size() == config.lb.cid_length() && (dcid[0] >> 5) == config.lb.config_id) {
    const uint8_t mask = static_cast<uint8_t>((1u << config.lb.worker_bits) - 1);
    const uint32_t worker = dcid[config.lb.server_id_length] & mask;
    if (worker < config.worker_count) return {SteeringKind::kByCid, worker};
  }
  if (long_header) return {SteeringKind::kByHash, SteeringHash(dcid) % config.worker_count};
  return {};
}

}  // namespace p2pquic
