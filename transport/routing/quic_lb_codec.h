// QuicLbCodec: writes and reads QUIC-LB connection IDs
// (draft-ietf-quic-load-balancers-21 §3 and §5) for one checked
// QuicLbConfig (quic_lb_config.h):
//
//   CID = first octet || E(server ID || nonce)
//
// First octet (§3): config_id in the top 3 bits, then the self-encoded
// length (CID length - 1) in the low 5 bits. E depends on the config:
//   - no key:                       identity (§5.2, plaintext);
//   - key, server ID + nonce == 16: one AES-128-ECB block (§5.4.1);
//   - key, any other length:        the four-pass Feistel network of
//     §5.4.2, AES-128-ECB as round function on expand(len, pass, half).
// Decode inverts E. Its four-pass path may stop after three passes when
// only the server ID is wanted and the nonce is at least as long (§5.5.2).
//
// Decode reads the config-rotation bits but not the length bits (the draft
// lets load balancers ignore them, §3.3): a CID of the configured length
// whose top bits are config_id decodes whatever its low 5 bits say.
//
// Thread-safety: a codec is immutable once created; Encode and Decode are
// const and safe to call from any number of threads on one shared codec
// (the AES contexts are per thread, quic_lb_aes.h). Neither allocates on
// the heap once the calling thread has used the key once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "transport/base/connection_id.h"
#include "transport/routing/quic_lb_aes.h"
#include "transport/routing/quic_lb_config.h"

namespace p2pquic {

enum class QuicLbCipherMode : uint8_t {
  kPlaintext,   // No key.
  kSinglePass,  // Key, server ID + nonce = 16 bytes.
  kFourPass,    // Key, any other length.
};
const char* ToString(QuicLbCipherMode mode);

enum class QuicLbCodecStatus : uint8_t {
  kOk,
  kBadConfig,          // CheckQuicLbConfig refused it; see config_status.
  kCipherUnavailable,  // A key is set and OpenSSL's AES-128-ECB failed.
};
const char* ToString(QuicLbCodecStatus status);

enum class QuicLbEncodeResult : uint8_t {
  kOk,
  kWrongServerIdLength,  // server_id.size() != config.server_id_length.
  kWrongNonceLength,     // nonce.size() != config.nonce_length.
  kCipherUnavailable,
};
const char* ToString(QuicLbEncodeResult result);

enum class QuicLbDecodeResult : uint8_t {
  kOk,
  kWrongLength,  // Not config.cid_length() bytes.
  kUnroutable,   // Config-rotation bits 0b111 (§4).
  kOtherConfig,  // Config-rotation bits name another config.
  kCipherUnavailable,
};
const char* ToString(QuicLbDecodeResult result);

// What Decode returns: server ID then nonce, inline (no heap).
struct QuicLbPlaintext {
  static constexpr size_t kMaxLength = kMaxConnectionIdLength - 1;  // 19 (§5.3).
  std::array<uint8_t, kMaxLength> bytes{};
  size_t server_id_length = 0;
  size_t nonce_length = 0;

  std::span<const uint8_t> server_id() const { return {bytes.data(), server_id_length}; }
  std::span<const uint8_t> nonce() const { return {bytes.data() + server_id_length, nonce_length}; }
};

// How much of the plaintext Decode must recover.
enum class QuicLbDecodeDepth : uint8_t {
  kServerIdAndNonce,
  kServerIdOnly,  // The nonce bytes of the result are unspecified.
};

class QuicLbCodec {
 public:
  struct Creation {
    QuicLbCodecStatus status = QuicLbCodecStatus::kBadConfig;
    QuicLbConfigStatus config_status = QuicLbConfigStatus::kOk;  // Why, when kBadConfig.
    std::shared_ptr<const QuicLbCodec> codec;                    // Set iff kOk.
  };

  // Checks `config` and, with a key, runs one AES block so a broken
  // OpenSSL shows here rather than on the first datagram.
  static Creation Create(const QuicLbConfig& config);

  const QuicLbConfig& config() const { return config_; }
  QuicLbCipherMode mode() const { return mode_; }
  size_t cid_length() const { return config_.cid_length(); }

  // The first octet every CID of this config starts with.
  uint8_t FirstOctet() const;

  QuicLbEncodeResult Encode(std::span<const uint8_t> server_id, std::span<const uint8_t> nonce,
                            ConnectionId* out) const;

  QuicLbDecodeResult Decode(std::span<const uint8_t> cid, QuicLbPlaintext* out,
                            QuicLbDecodeDepth depth = QuicLbDecodeDepth::kServerIdAndNonce) const;
  QuicLbDecodeResult Decode(const ConnectionId& cid, QuicLbPlaintext* out,
                            QuicLbDecodeDepth depth = QuicLbDecodeDepth::kServerIdAndNonce) const {
    return Decode(cid.bytes(), out, depth);
  }

 private:
  using Half = std::array<uint8_t, QuicLbAes::kBlockLength>;

  QuicLbCodec(const QuicLbConfig& config, QuicLbCipherMode mode);

  size_t plaintext_length() const { return config_.server_id_length + config_.nonce_length; }
  size_t half_length() const { return (plaintext_length() + 1) / 2; }
  // One Feistel pass: target ^= truncate(AES(expand(len, pass, source)), half).
  QuicLbAesStatus Pass(uint8_t pass, const Half& source, Half* target) const;
  QuicLbAesStatus FeistelEncrypt(const uint8_t* plaintext, uint8_t* ciphertext) const;
  QuicLbAesStatus FeistelDecrypt(const uint8_t* ciphertext, uint8_t* plaintext,
                                 QuicLbDecodeDepth depth) const;

  QuicLbConfig config_;
  QuicLbCipherMode mode_;
  std::optional<QuicLbAes> aes_;  // Set iff config_.key is.
};

}  // namespace p2pquic
