#include "transport/runtime/reuseport/reuseport_steering.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>
#include <utility>

#include "transport/routing/quic_lb_config.h"
#include "transport/runtime/reuseport/reuseport_steering.skel.h"

namespace p2pquic {
namespace {

// Serialises Attach: libbpf's print callback is one process-wide pointer,
// swapped in for the duration of a call and restored afterwards.
std::mutex g_attach_mutex;
// Guarded by g_attach_mutex: where the callback appends, and whether it
// also echoes to stderr.
std::string* g_libbpf_log = nullptr;
LibbpfEcho g_libbpf_echo = LibbpfEcho::kQuiet;

int CaptureLibbpfPrint(enum libbpf_print_level level, const char* format, va_list args) {
  // Debug output is libbpf narrating each step; the warnings carry the
  // reasons (including the verifier log on a refused load).
  if (level == LIBBPF_DEBUG) return 0;
  va_list measure;
  va_copy(measure, args);
  const int length = std::vsnprintf(nullptr, 0, format, measure);
  va_end(measure);
  if (length <= 0) return 0;
  std::string line(static_cast<size_t>(length) + 1, '\0');
  va_list render;
  va_copy(render, args);
  std::vsnprintf(line.data(), line.size(), format, render);
  va_end(render);
  line.resize(static_cast<size_t>(length));
  if (g_libbpf_echo == LibbpfEcho::kStderr) std::fputs(line.c_str(), stderr);
  if (g_libbpf_log != nullptr) {
    g_libbpf_log->append(line);
    // Keep the tail: the verifier's verdict is at the end of its log.
    if (g_libbpf_log->size() > ReuseportSteering::kMaxLibbpfLogBytes) {
      g_libbpf_log->erase(0, g_libbpf_log->size() - ReuseportSteering::kMaxLibbpfLogBytes);
    }
  }
  return length;
}

// Routes libbpf's messages into `log` while alive; restores the previous
// callback after.
class ScopedLibbpfCapture {
 public:
  ScopedLibbpfCapture(std::string* log, LibbpfEcho echo) {
    g_libbpf_log = log;
    g_libbpf_echo = echo;
    previous_ = libbpf_set_print(&CaptureLibbpfPrint);
  }
  ~ScopedLibbpfCapture() {
    libbpf_set_print(previous_);
    g_libbpf_log = nullptr;
    g_libbpf_echo = LibbpfEcho::kQuiet;
  }
  ScopedLibbpfCapture(const ScopedLibbpfCapture&) = delete;
  ScopedLibbpfCapture& operator=(const ScopedLibbpfCapture&) = delete;

 private:
  libbpf_print_fn_t previous_ = nullptr;
};

struct SkeletonDeleter {
  void operator()(reuseport_steering_bpf* skeleton) const {
    reuseport_steering_bpf__destroy(skeleton);
  }
};
using SkeletonPtr = std::unique_ptr<reuseport_steering_bpf, SkeletonDeleter>;

bool IsPrivilegeError(int error) { return error == EPERM || error == EACCES; }

std::string Describe(const std::string& what, int error, const std::string& libbpf_log) {
  std::string text = what + ": " + std::strerror(error);
  if (!libbpf_log.empty()) text += "; libbpf says: " + libbpf_log;
  return text;
}

// The address part of a bound socket's name that must be equal across a
// reuseport group (family, address, port; scope for IPv6).
struct LocalAddress {
  sa_family_t family = AF_UNSPEC;
  uint16_t port = 0;
  uint8_t address[16] = {};
  uint32_t scope = 0;

  friend bool operator==(const LocalAddress& a, const LocalAddress& b) {
    return a.family == b.family && a.port == b.port && a.scope == b.scope &&
           std::memcmp(a.address, b.address, sizeof(a.address)) == 0;
  }
};

// Checks that `fd` is a bound UDP socket with SO_REUSEPORT; fills `local`.
// Returns an empty string when it is, else what is wrong.
std::string CheckWorkerSocket(int fd, LocalAddress* local) {
  if (fd < 0 || fcntl(fd, F_GETFD) == -1) return "is not an open descriptor";
  int value = 0;
  socklen_t length = sizeof(value);
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &value, &length) != 0) return "is not a socket";
  if (value != SOCK_DGRAM) return "is not a datagram socket";
  length = sizeof(value);
  if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &value, &length) != 0 || value != IPPROTO_UDP) {
    return "is not a UDP socket";
  }
  length = sizeof(value);
  if (getsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &value, &length) != 0 || value == 0) {
    return "does not have SO_REUSEPORT set";
  }
  sockaddr_storage name{};
  socklen_t name_length = sizeof(name);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&name), &name_length) != 0) {
    return "has no local address";
  }
  if (name.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&name);
    local->family = AF_INET;
    local->port = ntohs(v4->sin_port);
    std::memcpy(local->address, &v4->sin_addr, sizeof(v4->sin_addr));
  } else if (name.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&name);
    local->family = AF_INET6;
    local->port = ntohs(v6->sin6_port);
    std::memcpy(local->address, &v6->sin6_addr, sizeof(v6->sin6_addr));
    local->scope = v6->sin6_scope_id;
  } else {
    return "is not an IPv4 or IPv6 socket";
  }
  if (local->port == 0) return "is not bound";
  return {};
}

}  // namespace

const char* ToString(AttachResult result) {
  switch (result) {
    case AttachResult::kAttached:
      return "attached";
    case AttachResult::kNoPrivilege:
      return "no-privilege";
    case AttachResult::kEncryptedConfig:
      return "encrypted-config";
    case AttachResult::kBadConfig:
      return "bad-config";
    case AttachResult::kUnsupported:
      return "unsupported";
    case AttachResult::kBadSockets:
      return "bad-sockets";
  }
  return "unknown";
}

AttachResult ReuseportSteering::Attach(std::span<const int> socket_fds,
                                       const WorkerSteeringConfig& config,
                                       std::unique_ptr<ReuseportSteering>* out, std::string* why,
                                       LibbpfEcho echo) {
  const QuicLbConfigStatus status = CheckQuicLbConfig(config.lb);
  if (status != QuicLbConfigStatus::kOk) {
    *why = std::string("QUIC-LB config refused: ") + ToString(status);
    return AttachResult::kBadConfig;
  }
  if (config.worker_count == 0 || config.worker_count > kMaxWorkers) {
    *why = "worker_count " + std::to_string(config.worker_count) + " is not in 1.." +
           std::to_string(kMaxWorkers);
    return AttachResult::kBadConfig;
  }
  if (config.lb.key.has_value()) {
    *why =
        "the QUIC-LB config is encrypted (a key is set): the kernel program reads plaintext "
        "server IDs only";
    return AttachResult::kEncryptedConfig;
  }
  if (socket_fds.size() != config.worker_count) {
    *why = std::to_string(socket_fds.size()) + " sockets for worker_count " +
           std::to_string(config.worker_count) + " (one socket per worker)";
    return AttachResult::kBadSockets;
  }
  LocalAddress group_address;
  std::set<int> seen;
  std::vector<AttachedSocket> sockets;
  for (size_t i = 0; i < socket_fds.size(); ++i) {
    const int fd = socket_fds[i];
    LocalAddress local;
    const std::string problem = CheckWorkerSocket(fd, &local);
    if (!problem.empty()) {
      *why = "socket " + std::to_string(i) + " (fd " + std::to_string(fd) + ") " + problem;
      return AttachResult::kBadSockets;
    }
    if (!seen.insert(fd).second) {
      *why = "socket " + std::to_string(i) + " (fd " + std::to_string(fd) +
             ") is listed twice: each worker needs a socket of its own";
      return AttachResult::kBadSockets;
    }
    if (i == 0) {
      group_address = local;
    } else if (!(local == group_address)) {
      *why = "socket " + std::to_string(i) + " (fd " + std::to_string(fd) +
             ") is bound to another address than socket 0: not one reuseport group";
      return AttachResult::kBadSockets;
    }
    uint64_t cookie = 0;
    socklen_t cookie_length = sizeof(cookie);
    if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &cookie_length) != 0) {
      *why = Describe("SO_COOKIE of socket " + std::to_string(i), errno, {});
      return AttachResult::kUnsupported;
    }
    sockets.push_back({fd, cookie});
  }

  std::lock_guard<std::mutex> lock(g_attach_mutex);
  std::string libbpf_log;
  ScopedLibbpfCapture capture(&libbpf_log, echo);

  SkeletonPtr skeleton(reuseport_steering_bpf__open());
  if (!skeleton) {
    const int error = errno;
    *why = Describe("opening the embedded BPF object", error, libbpf_log);
    return IsPrivilegeError(error) ? AttachResult::kNoPrivilege : AttachResult::kUnsupported;
  }
  skeleton->rodata->steering_config_id = config.lb.config_id;
  skeleton->rodata->steering_cid_length = static_cast<uint32_t>(config.lb.cid_length());
  skeleton->rodata->steering_server_id_length = static_cast<uint32_t>(config.lb.server_id_length);
  skeleton->rodata->steering_worker_mask = static_cast<uint8_t>((1u << config.lb.worker_bits) - 1);
  skeleton->rodata->steering_worker_count = config.worker_count;
  int error = -bpf_map__set_max_entries(skeleton->maps.worker_sockets, config.worker_count);
  if (error != 0) {
    *why = Describe("sizing the worker sockarray", error, libbpf_log);
    return AttachResult::kUnsupported;
  }

  error = -reuseport_steering_bpf__load(skeleton.get());
  if (error != 0) {
    *why = Describe("loading the steering program", error, libbpf_log);
    return IsPrivilegeError(error) ? AttachResult::kNoPrivilege : AttachResult::kUnsupported;
  }

  for (uint32_t worker = 0; worker < config.worker_count; ++worker) {
    const uint64_t fd = static_cast<uint64_t>(sockets[worker].fd);
    error = -bpf_map__update_elem(skeleton->maps.worker_sockets, &worker, sizeof(worker), &fd,
                                  sizeof(fd), BPF_ANY);
    if (error != 0) {
      *why = Describe("putting socket " + std::to_string(worker) + " in the sockarray", error,
                      libbpf_log);
      return IsPrivilegeError(error) ? AttachResult::kNoPrivilege : AttachResult::kBadSockets;
    }
  }

  const int program_fd = bpf_program__fd(skeleton->progs.steer_by_cid);
  if (setsockopt(sockets[0].fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_EBPF, &program_fd,
                 sizeof(program_fd)) != 0) {
    error = errno;
    *why = Describe("SO_ATTACH_REUSEPORT_EBPF", error, libbpf_log);
    return IsPrivilegeError(error) ? AttachResult::kNoPrivilege : AttachResult::kUnsupported;
  }

  bpf_prog_info info{};
  uint32_t info_length = sizeof(info);
  uint32_t program_id = 0;
  uint32_t instruction_count = 0;
  if (bpf_obj_get_info_by_fd(program_fd, &info, &info_length) == 0) {
    program_id = info.id;
    instruction_count = info.xlated_prog_len / sizeof(bpf_insn);
  }
  out->reset(
      new ReuseportSteering(skeleton.release(), std::move(sockets), program_id, instruction_count));
  return AttachResult::kAttached;
}

ReuseportSteering::ReuseportSteering(reuseport_steering_bpf* skeleton,
                                     std::vector<AttachedSocket> sockets, uint32_t program_id,
                                     uint32_t instruction_count)
    : skeleton_(skeleton),
      sockets_(std::move(sockets)),
      program_id_(program_id),
      instruction_count_(instruction_count) {}

ReuseportSteering::~ReuseportSteering() {
  // Detach through any socket of the group that is still the one attached
  // (same cookie); one detach covers the whole group. If none is, the
  // sockets are closed and the group already dropped the program.
  for (const AttachedSocket& socket : sockets_) {
    uint64_t cookie = 0;
    socklen_t cookie_length = sizeof(cookie);
    if (getsockopt(socket.fd, SOL_SOCKET, SO_COOKIE, &cookie, &cookie_length) != 0 ||
        cookie != socket.cookie) {
      continue;
    }
    int unused = 0;
    if (setsockopt(socket.fd, SOL_SOCKET, SO_DETACH_REUSEPORT_BPF, &unused, sizeof(unused)) == 0) {
      break;
    }
  }
  reuseport_steering_bpf__destroy(skeleton_);
}

}  // namespace p2pquic
