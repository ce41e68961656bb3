// QuicLbCidMinter: mints the CIDs of one worker in the QuicLbConfig layout
// (quic_lb_config.h): byte 0 says the config and the length, then the
// worker's server ID and a random nonce. Every CID the worker's connections
// issue names that worker, so WorkerSteering (worker_steering.h), the
// kernel's reuseport program and a QUIC-LB load balancer all find it.
//
// Contract: `config` passed CheckQuicLbConfig and `worker` < 2^worker_bits
// (the constructor does not check again; callers build it from a checked
// config). Mint draws only the nonce from `random`.
#pragma once

#include <cstdint>
#include <vector>

#include "transport/routing/cid_minter.h"
#include "transport/routing/quic_lb_config.h"

namespace p2pquic {

// The server ID of `worker` on `config.host_id`: (host_id << worker_bits)
// | worker, big-endian over server_id_length bytes.
std::vector<uint8_t> QuicLbServerId(const QuicLbConfig& config, uint32_t worker);

class QuicLbCidMinter final : public CidMinter {
 public:
  QuicLbCidMinter(const QuicLbConfig& config, uint32_t worker);
  size_t length() const override { return config_.cid_length(); }
  ConnectionId Mint(Random& random) const override;

  uint32_t worker() const { return worker_; }

 private:
  QuicLbConfig config_;
  uint32_t worker_;
  std::vector<uint8_t> server_id_;
};

}  // namespace p2pquic
