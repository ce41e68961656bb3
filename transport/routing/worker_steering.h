// WorkerSteering: which worker of a multi-worker server a datagram belongs
// to, read from its first packet's DCID alone (no connection state; no
// decryption unless the CID layout has a key).
// It is the user-space twin of the kernel's reuseport program
// (transport/runtime/reuseport/): both implement exactly the rule below,
// and a test feeds the same packets to both.
//
// The rule, for a server whose CIDs follow `config.lb` (quic_lb_config.h):
// 1. Find the DCID: a long header (first bit set) carries its length at
//    byte 5 (at most 20, and all of it present); a short header's DCID is
//    the first cid_length() bytes after byte 0. Anything too short for
//    that: kUnsteered.
// 2. A DCID of cid_length() bytes whose config-rotation bits (the top 3 of
//    its byte 0) are config.lb.config_id names a worker: the low
//    worker_bits bits of the server ID's last byte (DCID byte
//    server_id_length; with a key, that byte of the decrypted server ID).
//    Below worker_count: kByCid, that worker.
// 3. Otherwise a long header (a client's Initial or 0-RTT with a DCID it
//    chose, or junk) goes by a hash of the DCID: kByHash, FNV-1a-32 of the
//    DCID bytes modulo worker_count. Every packet with that DCID lands on
//    one worker, which then owns the connection.
// 4. Otherwise (a short header for no CID of ours): kUnsteered; whichever
//    worker has it answers it (a stateless reset needs no state).
// kUnsteered leaves the choice to the kernel's 4-tuple hash.
//
// A CID minted by QuicLbCidMinter for worker w < worker_count therefore
// always steers to w, long header or short, from any address: migration
// and NAT rebinding keep reaching the owner.
//
// With an encrypted config (config.lb.key) the server ID is not readable
// without AES: step 2 first decrypts the DCID with config.codec (the
// QuicLbCodec of config.lb, quic_lb_codec.h; at most three AES passes when
// the server ID is no longer than the nonce) and reads the worker from the
// decrypted server ID; everything else is the same rule. This is
// user-space only: the kernel program (transport/runtime/reuseport/) reads
// plaintext server IDs and does no AES, so a keyed deployment steers here
// (the forwarding fallback). A keyed config without a codec names no worker
// at step 2; CheckWorkerSteeringConfig refuses it, and a codec built from
// another config.
//
// Why the config holds a shared_ptr<const QuicLbCodec>: building a codec
// checks the config and tries AES once, which does not belong on a
// per-datagram path; a shared codec is immutable and safe to use from
// every worker's thread at once (its AES contexts are per thread), so
// copies of one config, one per worker socket, can share it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "transport/routing/quic_lb_codec.h"
#include "transport/routing/quic_lb_config.h"

namespace p2pquic {

struct WorkerSteeringConfig {
  QuicLbConfig lb;
  uint32_t worker_count = 1;  // >= 1.
  // Required when lb.key is set: built from lb (MakeWorkerSteeringConfig).
  std::shared_ptr<const QuicLbCodec> codec;
};

enum class WorkerSteeringConfigStatus : uint8_t {
  kOk,
  kBadLbConfig,        // CheckQuicLbConfig refused lb.
  kNoWorkers,          // worker_count 0.
  kMissingCodec,       // lb.key set but no codec.
  kCodecMismatch,      // codec built from a config other than lb.
  kCipherUnavailable,  // OpenSSL could not run AES for lb.key.
};
const char* ToString(WorkerSteeringConfigStatus status);
WorkerSteeringConfigStatus CheckWorkerSteeringConfig(const WorkerSteeringConfig& config);

// Builds a checked config for `lb` and `worker_count`, with a codec when lb
// has a key. On anything but kOk, `out` is untouched; on kBadLbConfig,
// `lb_status` (if given) says why lb was refused.
WorkerSteeringConfigStatus MakeWorkerSteeringConfig(const QuicLbConfig& lb, uint32_t worker_count,
                                                    WorkerSteeringConfig* out,
                                                    QuicLbConfigStatus* lb_status = nullptr);

enum class SteeringKind : uint8_t {
  kByCid,      // The DCID names the worker.
  kByHash,     // A long header whose DCID is not ours: hashed.
  kUnsteered,  // Too short, or a short header for no CID of ours.
};
const char* ToString(SteeringKind kind);

struct SteeringDecision {
  SteeringKind kind = SteeringKind::kUnsteered;
  uint32_t worker = 0;  // Meaningful unless kUnsteered.
};

// No heap allocation, also with a key (see quic_lb_aes.h).
SteeringDecision SteerDatagram(std::span<const uint8_t> datagram,
                               const WorkerSteeringConfig& config);

// FNV-1a, 32 bits (the kernel program computes the same).
uint32_t SteeringHash(std::span<const uint8_t> bytes);

}  // namespace p2pquic
