// QuicLbAes: AES-128-ECB on single 16-byte blocks, the only cipher
// operation QUIC-LB uses (draft-ietf-quic-load-balancers-21 §5.4: the
// single-pass block and the round function of the four-pass Feistel
// network). Built on OpenSSL 3's EVP interface, padding off.
//
// Thread-safety and allocation: a QuicLbAes is immutable (it holds only the
// key), so one may be shared by any number of threads. The EVP cipher
// contexts it needs are per thread, one per direction, created on a
// thread's first call and re-keyed only when that thread switches to a
// different key; after that a block costs no heap allocation, which keeps
// the per-datagram steering path (worker_steering.h) allocation-free. The
// contexts are freed when the thread exits.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "transport/routing/quic_lb_config.h"

namespace p2pquic {

enum class QuicLbAesStatus : uint8_t {
  kOk,
  kCipherUnavailable,  // OpenSSL could not fetch, key or run AES-128-ECB.
};
const char* ToString(QuicLbAesStatus status);

class QuicLbAes {
 public:
  static constexpr size_t kBlockLength = 16;
  using Block = std::array<uint8_t, kBlockLength>;

  explicit QuicLbAes(const QuicLbConfig::Key& key) : key_(key) {}

  // `out` may alias `in`. On kCipherUnavailable `out` is unspecified.
  QuicLbAesStatus Encrypt(const Block& in, Block* out) const;
  QuicLbAesStatus Decrypt(const Block& in, Block* out) const;

 private:
  QuicLbConfig::Key key_;
};

}  // namespace p2pquic
