// ReuseportSteering: steers each UDP datagram that reaches a SO_REUSEPORT
// group of N worker sockets to the worker that owns it, in the kernel,
// before any worker thread sees it. It loads reuseport_steering.bpf.c (an
// SK_REUSEPORT eBPF program implementing exactly SteerDatagram's rule,
// transport/routing/worker_steering.h) with libbpf, fills its
// REUSEPORT_SOCKARRAY with the workers' sockets (slot i = worker i) and
// attaches it to the group with SO_ATTACH_REUSEPORT_EBPF.
//
// What the kernel then does with a datagram:
// - kByCid / kByHash under SteerDatagram: delivered to that worker's socket;
// - kUnsteered, or the worker's slot is empty (its socket closed): the
//   kernel's own 4-tuple hash picks a socket of the group. Never dropped.
//
// When Attach refuses, the caller falls back to user-space steering
// (SteeringSocket forwarding misroutes): kNoPrivilege when the kernel
// refuses bpf() to this process (no CAP_BPF / CAP_SYS_ADMIN),
// kEncryptedConfig when the CIDs are AES-encrypted (the program cannot
// decode them), kUnsupported when the kernel or its verifier refuses the
// program or the attach (`why` carries libbpf's reason).
//
// Lifetime. The group keeps a reference to the attached program, and the
// program one to its sockarray. Destroying a ReuseportSteering while the
// sockets are open detaches the program from the group
// (SO_DETACH_REUSEPORT_BPF; the kernel's hash takes over) and frees the
// program and map. If the sockets closed first, each close already removed
// its socket from the sockarray (its slot empties, so datagrams for that
// worker fall back to the hash among those left) and the last close freed
// the group and its reference to the program; destruction then only closes
// this object's program and map descriptors. The sockets are recognised by
// their SO_COOKIE, so a descriptor number reused by an unrelated socket is
// never touched.
//
// Contract: the fds stay owned by the caller. Attach serialises with other
// Attach calls (libbpf's print callback is process-wide and is swapped for
// the call's duration, then restored). Not copyable or movable (the
// descriptors are the object's identity).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "transport/routing/worker_steering.h"

struct reuseport_steering_bpf;

namespace p2pquic {

enum class AttachResult : uint8_t {
  kAttached,
  kNoPrivilege,      // bpf() refused (EPERM/EACCES): steer in user space instead.
  kEncryptedConfig,  // config.lb.key is set: the kernel cannot read the server ID.
  kBadConfig,        // CheckQuicLbConfig refused it, or worker_count not in 1..kMaxWorkers.
  kUnsupported,      // The kernel or verifier refused the program, map or attach.
  kBadSockets,       // Not worker_count bound SO_REUSEPORT UDP sockets on one address.
};
const char* ToString(AttachResult result);

// Whether libbpf's own messages also go to stderr. They always go to
// `why` on failure.
enum class LibbpfEcho : uint8_t {
  kQuiet,
  kStderr,
};

class ReuseportSteering {
 public:
  // A worker is named by at most QuicLbConfig::kMaxWorkerBits bits; the
  // program's sockarray has this many slots at most.
  static constexpr uint32_t kMaxWorkers = 1u << QuicLbConfig::kMaxWorkerBits;
  // How much of libbpf's output (the verifier log's tail, where its verdict
  // is) `why` keeps.
  static constexpr size_t kMaxLibbpfLogBytes = 4096;

  // `socket_fds[i]` is worker i's UDP socket; all bound with SO_REUSEPORT to
  // one address, config.worker_count of them. On kAttached, *out owns the
  // program; otherwise *out is untouched and *why says what was wrong.
  static AttachResult Attach(std::span<const int> socket_fds, const WorkerSteeringConfig& config,
                             std::unique_ptr<ReuseportSteering>* out, std::string* why,
                             LibbpfEcho echo = LibbpfEcho::kQuiet);

  ~ReuseportSteering();
  ReuseportSteering(const ReuseportSteering&) = delete;
  ReuseportSteering& operator=(const ReuseportSteering&) = delete;

  uint32_t worker_count() const { return static_cast<uint32_t>(sockets_.size()); }
  // The kernel's id of the loaded program (bpftool prog show id N).
  uint32_t program_id() const { return program_id_; }
  // Instructions of the program after the verifier's rewriting (xlated).
  uint32_t instruction_count() const { return instruction_count_; }

 private:
  struct AttachedSocket {
    int fd = -1;
    uint64_t cookie = 0;  // SO_COOKIE at attach: recognises the socket later.
  };

  ReuseportSteering(reuseport_steering_bpf* skeleton, std::vector<AttachedSocket> sockets,
                    uint32_t program_id, uint32_t instruction_count);

  reuseport_steering_bpf* skeleton_;
  std::vector<AttachedSocket> sockets_;
  uint32_t program_id_;
  uint32_t instruction_count_;
};

}  // namespace p2pquic
