#include "transport/routing/quic_lb_cid_minter.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace p2pquic {
namespace {

std::shared_ptr<const QuicLbCodec> CodecOrAbort(const QuicLbConfig& config) {
  QuicLbCodec::Creation creation = QuicLbCodec::Create(config);
  if (creation.status != QuicLbCodecStatus::kOk) {
    std::fprintf(stderr, "QuicLbCidMinter: %s (%s)\n", ToString(creation.status),
                 ToString(creation.config_status));
    std::abort();
  }
  return std::move(creation.codec);
}

}  // namespace

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
    : QuicLbCidMinter(CodecOrAbort(config), worker) {}

QuicLbCidMinter::QuicLbCidMinter(std::shared_ptr<const QuicLbCodec> codec, uint32_t worker)
    : codec_(std::move(codec)),
      worker_(worker),
      server_id_(QuicLbServerId(codec_->config(), worker)) {}

ConnectionId QuicLbCidMinter::Mint(Random& random) const {
  uint8_t nonce[QuicLbPlaintext::kMaxLength];
  const std::span<uint8_t> nonce_span(nonce, codec_->config().nonce_length);
  random.Fill(nonce_span);
  ConnectionId cid;
  const QuicLbEncodeResult result = codec_->Encode(server_id_, nonce_span, &cid);
  if (result != QuicLbEncodeResult::kOk) {
    std::fprintf(stderr, "QuicLbCidMinter: cannot mint a CID for worker %u: %s\n", worker_,
                 ToString(result));
    std::abort();
  }
  return cid;
}

CidProvenance QuicLbCidMinter::Provenance(const ConnectionId& cid) const {
  if (cid.size() != length()) return CidProvenance::kNotMinted;
  QuicLbPlaintext plaintext;
  if (codec_->Decode(cid, &plaintext, QuicLbDecodeDepth::kServerIdOnly) !=
      QuicLbDecodeResult::kOk) {
    return CidProvenance::kNotMinted;
  }
  // The host's bits: all of the server ID but the worker bits, which sit in
  // its last byte (worker_bits <= 8).
  const std::span<const uint8_t> id = plaintext.server_id();
  const uint8_t worker_mask = static_cast<uint8_t>((1u << codec_->config().worker_bits) - 1);
  const size_t last = id.size() - 1;
  if (!std::equal(id.begin(), id.begin() + last, server_id_.begin()) ||
      (id[last] & ~worker_mask) != (server_id_[last] & ~worker_mask)) {
    return CidProvenance::kNotMinted;
  }
  return CidProvenance::kMaybeMinted;
}

}  // namespace p2pquic
