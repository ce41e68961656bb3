#include "testing/flood/flood_generator.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <thread>

#include "transport/runtime/seeded_random.h"

namespace p2pquic::testing {
namespace {

constexpr uint8_t kLoopbackFirstOctet = 127;
// Datagrams handed to the kernel per sendmmsg call.
constexpr size_t kBatch = 64;
constexpr size_t kIpHeader = sizeof(iphdr);
constexpr size_t kUdpHeader = sizeof(udphdr);
constexpr uint8_t kTtl = 64;
// QUIC header bits (RFC 9000 §17): form, fixed.
constexpr uint8_t kLongForm = 0x80;
constexpr uint8_t kFixedBit = 0x40;
constexpr uint32_t kQuicV1 = 1;
// A long header's first byte and version; a short header's first byte and
// some DCID.
constexpr size_t kMinLongHeader = 7;
constexpr size_t kMinShortHeader = 9;
constexpr char kLoopbackDevice[] = "lo";

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

const char* ToString(FloodStatus status) {
  switch (status) {
    case FloodStatus::kOk:
      return "ok";
    case FloodStatus::kTargetNotIpv4:
      return "the flood target must be an IPv4 address";
    case FloodStatus::kTargetNotLoopback:
      return "the flood target must be on loopback (127.0.0.0/8); a flood never leaves this host";
    case FloodStatus::kBadSources:
      return "sources must be at least 1 and at most kMaxSources";
    case FloodStatus::kBadPrefixes:
      return "prefixes must be at least 1, at most kMaxSprayPrefixes (65024) and at most sources";
    case FloodStatus::kEmptyInitial:
      return "a captured-Initial flood needs the captured bytes";
    case FloodStatus::kBadSize:
      return "junk smaller than its header, or a payload over 1500 bytes";
    case FloodStatus::kNoLimit:
      return "max_duration must be positive: every flood is bounded in time";
    case FloodStatus::kRawSocketFailed:
      return "cannot open a raw socket (IPPROTO_RAW needs root or CAP_NET_RAW)";
    case FloodStatus::kBindToDeviceFailed:
      return "cannot bind the raw socket to the loopback device";
    case FloodStatus::kSendFailed:
      return "sendmmsg failed";
  }
  return "unknown";
}

FloodStatus CheckFloodSettings(const FloodSettings& s) {
  if (s.target.family() != AddressFamily::kIpv4) return FloodStatus::kTargetNotIpv4;
  if (s.target.address_bytes()[0] != kLoopbackFirstOctet) return FloodStatus::kTargetNotLoopback;
  if (s.sources == 0 || s.sources > kMaxSources) return FloodStatus::kBadSources;
  if (s.prefixes == 0 || s.prefixes > kMaxSprayPrefixes || s.prefixes > s.sources) {
    return FloodStatus::kBadPrefixes;
  }
  switch (s.payload) {
    case FloodPayload::kCapturedInitial:
      if (s.initial.empty()) return FloodStatus::kEmptyInitial;
      if (s.initial.size() > kMaxFloodPayload) return FloodStatus::kBadSize;
      break;
    case FloodPayload::kUnsupportedVersion:
      if (s.size < kMinLongHeader || s.size > kMaxFloodPayload) return FloodStatus::kBadSize;
      break;
    case FloodPayload::kShortHeader:
      if (s.size < kMinShortHeader || s.size > kMaxFloodPayload) return FloodStatus::kBadSize;
      break;
  }
  if (s.max_duration.count() <= 0) return FloodStatus::kNoLimit;
  return FloodStatus::kOk;
}

SocketAddress FloodGenerator::SourceOf(uint64_t n) const {
  const uint64_t i = n % settings_.sources;
  const uint32_t k = static_cast<uint32_t>(i % settings_.prefixes);
  const uint64_t j = i / settings_.prefixes;
  const uint8_t host = static_cast<uint8_t>(1 + j % kHostsPerPrefix);
  const uint16_t port =
      static_cast<uint16_t>(kFirstSourcePort + (j / kHostsPerPrefix) % kSourcePorts);
  return SocketAddress::Ipv4(
      {kLoopbackFirstOctet, static_cast<uint8_t>(1 + k / 256), static_cast<uint8_t>(k % 256), host},
      port);
}

FloodResult FloodGenerator::Run(const std::atomic<bool>* stop) const {
  FloodResult result;
  result.status = CheckFloodSettings(settings_);
  if (result.status != FloodStatus::kOk) {
    result.error = ToString(result.status);
    return result;
  }
  const Fd fd(socket(AF_INET, SOCK_RAW, IPPROTO_RAW));
  if (fd.get() < 0) {
    result.status = FloodStatus::kRawSocketFailed;
    result.error = Errno(ToString(result.status));
    return result;
  }
  if (setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, kLoopbackDevice, sizeof(kLoopbackDevice)) !=
      0) {
    result.status = FloodStatus::kBindToDeviceFailed;
    result.error = Errno(ToString(result.status));
    return result;
  }

  const std::vector<uint8_t>* fixed =
      settings_.payload == FloodPayload::kCapturedInitial ? &settings_.initial : nullptr;
  const size_t payload_size = fixed != nullptr ? fixed->size() : settings_.size;
  SeededRandom random(settings_.seed);
  // The junk body every datagram shares past its random header bytes.
  std::vector<uint8_t> body(payload_size);
  if (fixed != nullptr) {
    body = *fixed;
  } else {
    random.Fill(body);
  }

  sockaddr_in destination{};
  destination.sin_family = AF_INET;
  destination.sin_port = htons(settings_.target.port());
  std::memcpy(&destination.sin_addr, settings_.target.address_bytes().data(), 4);

  const size_t packet_size = kIpHeader + kUdpHeader + payload_size;
  std::vector<std::array<uint8_t, kIpHeader + kUdpHeader + kMaxFloodPayload>> packets(kBatch);
  std::array<iovec, kBatch> iov;
  std::array<mmsghdr, kBatch> messages{};
  for (size_t b = 0; b < kBatch; ++b) {
    uint8_t* p = packets[b].data();
    std::memcpy(p + kIpHeader + kUdpHeader, body.data(), payload_size);
    iphdr* ip = reinterpret_cast<iphdr*>(p);
    ip->version = 4;
    ip->ihl = kIpHeader / 4;
    ip->tot_len = htons(static_cast<uint16_t>(packet_size));
    ip->ttl = kTtl;
    ip->protocol = IPPROTO_UDP;
    std::memcpy(&ip->daddr, &destination.sin_addr, 4);  // The kernel fills id and checksum.
    udphdr* udp = reinterpret_cast<udphdr*>(p + kIpHeader);
    udp->dest = destination.sin_port;
    udp->len = htons(static_cast<uint16_t>(kUdpHeader + payload_size));
    udp->check = 0;  // None (RFC 768: allowed over IPv4).
    iov[b] = {p, packet_size};
    messages[b].msg_hdr.msg_iov = &iov[b];
    messages[b].msg_hdr.msg_iovlen = 1;
    messages[b].msg_hdr.msg_name = &destination;
    messages[b].msg_hdr.msg_namelen = sizeof(destination);
  }

  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + settings_.max_duration;  // Positive (checked).
  const uint64_t limit = settings_.count > 0 ? settings_.count : UINT64_MAX;
  while (result.sent < limit) {
    if (stop != nullptr && stop->load(std::memory_order_relaxed)) break;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    if (settings_.per_second > 0) {
      const auto due =
          start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(result.sent / settings_.per_second));
      if (due > now) std::this_thread::sleep_for(std::min(due - now, deadline - now));
    }
    const size_t batch = static_cast<size_t>(std::min<uint64_t>(kBatch, limit - result.sent));
    for (size_t b = 0; b < batch; ++b) {
      uint8_t* p = packets[b].data();
      const SocketAddress source = SourceOf(result.sent + b);
      std::memcpy(&reinterpret_cast<iphdr*>(p)->saddr, source.address_bytes().data(), 4);
      reinterpret_cast<udphdr*>(p + kIpHeader)->source = htons(source.port());
      uint8_t* payload = p + kIpHeader + kUdpHeader;
      if (fixed != nullptr) continue;
      random.Fill({payload, std::min(kRandomHeaderBytes, payload_size)});
      if (settings_.payload == FloodPayload::kUnsupportedVersion) {
        payload[0] |= kLongForm | kFixedBit;
        uint32_t version;
        std::memcpy(&version, payload + 1, 4);
        if (version == 0 || ntohl(version) == kQuicV1) payload[4] ^= 0x02;  // Neither.
      } else {
        payload[0] = static_cast<uint8_t>((payload[0] & ~kLongForm) | kFixedBit);
      }
    }
    const int n = sendmmsg(fd.get(), messages.data(), static_cast<unsigned>(batch), 0);
    if (n < 0) {
      if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN) continue;
      result.status = FloodStatus::kSendFailed;
      result.error = Errno(ToString(result.status));
      break;
    }
    result.sent += static_cast<uint64_t>(n);
  }
  result.elapsed = std::chrono::steady_clock::now() - start;
  return result;
}

}  // namespace p2pquic::testing
