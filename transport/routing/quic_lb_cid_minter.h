// QuicLbCidMinter: mints the CIDs of one worker in the QuicLbConfig layout
// (quic_lb_config.h) through a QuicLbCodec (quic_lb_codec.h): byte 0 says
// the config and the length, then the worker's server ID and a random
// nonce, encrypted together when the config has a key. Every CID the
// worker's connections issue names that worker, so WorkerSteering
// (worker_steering.h), the kernel's reuseport program (plaintext configs
// only) and a QUIC-LB load balancer all find it.
//
// Contract: `config` passed CheckQuicLbConfig (or `codec` came from
// QuicLbCodec::Create) and `worker` < 2^worker_bits; the constructors do
// not check again. Mint draws only the nonce from `random`. A minter is
// immutable and its codec is safe to share, so one minter may serve several
// generators and threads (cid_minter.h).
//
// Failure: the codec ran AES once at creation, so Encode failing later
// means OpenSSL broke under us; Mint then aborts with a message rather than
// issue a CID that names no worker (as Random aborts rather than return
// predictable bytes). The config constructor aborts the same way if the
// codec cannot be created.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "transport/routing/cid_minter.h"
#include "transport/routing/quic_lb_codec.h"
#include "transport/routing/quic_lb_config.h"

namespace p2pquic {

// The server ID of `worker` on `config.host_id`: (host_id << worker_bits)
// | worker, big-endian over server_id_length bytes.
std::vector<uint8_t> QuicLbServerId(const QuicLbConfig& config, uint32_t worker);

class QuicLbCidMinter final : public CidMinter {
 public:
  QuicLbCidMinter(const QuicLbConfig& config, uint32_t worker);
  // Shares `codec` (non-null) with other minters and the steering config.
  QuicLbCidMinter(std::shared_ptr<const QuicLbCodec> codec, uint32_t worker);

  size_t length() const override { return codec_->cid_length(); }
  ConnectionId Mint(Random& random) const override;
  // kMaybeMinted for a CID of this layout (length, config id) whose server
  // ID names this host (config.host_id), whatever its worker bits: every
  // worker of the host, and the host restarted with another worker count,
  // made such CIDs. About one random CID in 2^(3 + host bits) passes.
  CidProvenance Provenance(const ConnectionId& cid) const override;

  uint32_t worker() const { return worker_; }
  const std::shared_ptr<const QuicLbCodec>& codec() const { return codec_; }

 private:
  std::shared_ptr<const QuicLbCodec> codec_;
  uint32_t worker_;
  std::vector<uint8_t> server_id_;
};

}  // namespace p2pquic
