// WorkerSteering: which worker of a multi-worker server a datagram belongs
// to, read from its first packet's DCID alone (no state, no decryption).
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
//    server_id_length). Below worker_count: kByCid, that worker.
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
// without AES, which the kernel program does not do: such a deployment
// steers in user space (the forwarding fallback).
#pragma once

#include <cstdint>
#include <span>

#include "transport/routing/quic_lb_config.h"

namespace p2pquic {

struct WorkerSteeringConfig {
  QuicLbConfig lb;
  uint32_t worker_count = 1;  // >= 1.
};

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

SteeringDecision SteerDatagram(std::span<const uint8_t> datagram,
                               const WorkerSteeringConfig& config);

// FNV-1a, 32 bits (the kernel program computes the same).
uint32_t SteeringHash(std::span<const uint8_t> bytes);

}  // namespace p2pquic
