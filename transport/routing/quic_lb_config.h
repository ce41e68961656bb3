// QuicLbConfig: the layout of the CIDs a server issues so that whatever
// sits in front of its connections can route a datagram by its DCID alone
// (draft-ietf-quic-load-balancers-21, §3 and §5):
//
//   byte 0:          3 config-rotation bits (config_id, 0..6; 7 means
//                    "unroutable") + 5 bits holding length - 1 (§3, the
//                    self-encoded length)
//   bytes 1..:       server ID (server_id_length bytes), then the nonce
//                    (nonce_length bytes), both drawn per CID; with a key,
//                    server ID + nonce are encrypted together (AES-128-ECB
//                    in one pass when they make 16 bytes, else the draft's
//                    four-round Feistel network): quic_lb_codec.h.
//
// p2pquic's server ID says which worker of which host owns the connection:
// its low `worker_bits` bits (all in its last byte, so worker_bits <= 8)
// are the worker, the rest the host (a multi-host deployment behind a
// QUIC-LB-aware load balancer gives each host its own host_id). A
// connection keeps its worker for its whole life, so every CID it issues
// carries the same server ID.
//
// Invariant of a config CheckQuicLbConfig accepts: config_id <= 6;
// server_id_length >= 1; nonce_length >= kMinNonceLength; 1 +
// server_id_length + nonce_length <= 20 (the whole CID); worker_bits <= 8
// and worker_bits <= 8 * server_id_length; host_id fits the bits left.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace p2pquic {

struct QuicLbConfig {
  static constexpr uint8_t kUnroutableConfigId = 7;
  static constexpr size_t kMinNonceLength = 4;
  static constexpr uint8_t kMaxWorkerBits = 8;
  using Key = std::array<uint8_t, 16>;

  uint8_t config_id = 0;
  size_t server_id_length = 2;
  size_t nonce_length = 5;  // CIDs of 1 + 2 + 5 = 8 bytes, p2pquic's default length.
  uint8_t worker_bits = 8;
  uint64_t host_id = 0;
  std::optional<Key> key;  // Absent: plaintext server ID (what the kernel program can read).

  size_t cid_length() const { return 1 + server_id_length + nonce_length; }

  friend bool operator==(const QuicLbConfig&, const QuicLbConfig&) = default;
};

enum class QuicLbConfigStatus : uint8_t {
  kOk,
  kBadConfigId,        // Above 6 (7 marks unroutable CIDs).
  kNoServerId,         // server_id_length 0.
  kNonceTooShort,      // Below kMinNonceLength.
  kCidTooLong,         // 1 + server ID + nonce above 20 bytes.
  kTooManyWorkerBits,  // Above 8, or more bits than the server ID has.
  kHostIdTooLarge,     // host_id does not fit the server ID's other bits.
};
const char* ToString(QuicLbConfigStatus status);
QuicLbConfigStatus CheckQuicLbConfig(const QuicLbConfig& config);

}  // namespace p2pquic
