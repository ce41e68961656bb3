#include "transport/routing/quic_lb_cid_minter.h"

#include <algorithm>

namespace p2pquic {

std::vector<uint8_t> QuicLbServerId(const QuicLbConfig& config, uint32_t worker) {
  // Only the low 64 bits can be non-zero (host_id is 64 bits wide).
  const uint64_t worker_mask =
      config.worker_bits == 0 ? 0 : (uint64_t{1} << config.worker_bits) - 1;
  const uint64_t value = (config.worker_bits >= 64 ? 0 : config.host_id << config.worker_bits) |
                         (worker & worker_mask);
  std::vector<uint8_t> id(config.server_id_length, 0);
  for (size_t i = 0; i < id.size() && i < 8; ++i) {
    id[id.size() - 1 - i] = static_cast<uint8_t>(value >> (8 * i));
  }
  return id;
}

QuicLbCidMinter::QuicLbCidMinter(const QuicLbConfig& config, uint32_t worker)
    : config_(config), worker_(worker), server_id_(QuicLbServerId(config, worker)) {}

ConnectionId QuicLbCidMinter::Mint(Random& random) const {
  uint8_t bytes[kMaxConnectionIdLength] = {};
  const size_t length = config_.cid_length();
  // §3: the three config-rotation bits, then the length self-encoded.
  bytes[0] = static_cast<uint8_t>((config_.config_id << 5) | ((length - 1) & 0x1f));
  std::copy(server_id_.begin(), server_id_.end(), bytes + 1);
  random.Fill({bytes + 1 + server_id_.size(), config_.nonce_length});
  ConnectionId cid;
  ConnectionId::FromBytes({bytes, length}, &cid);
  return cid;
}

}  // namespace p2pquic
