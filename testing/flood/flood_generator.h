// FloodGenerator: an attacker's datagram spray at a UDP target on loopback,
// from many spoofed source addresses in 127.0.0.0/8, for tests and
// benchmarks of flood defence (issue 11). It writes whole IPv4 packets
// through a raw socket (IPPROTO_RAW, which implies IP_HDRINCL), so it needs
// root or CAP_NET_RAW; without them Run() fails with kRawSocketFailed (it
// never falls back to unspoofed sends, which would measure something else).
//
// Loopback only, by construction: CheckFloodSettings refuses a target
// outside 127.0.0.0/8, every source address is in 127.0.0.0/8, and the
// socket is bound to the loopback device (SO_BINDTODEVICE "lo"), so the
// kernel cannot route a packet elsewhere even if a check were wrong.
//
// Sources: source i (0 <= i < sources) lives in spray prefix
// k = i % prefixes, the /24 127.(1 + k / 256).(k % 256).0 (never
// 127.0.0.0/24, where real peers of a test live), host 1 + (i / prefixes) %
// 254, UDP port kFirstSourcePort + (i / (prefixes * 254)) % kSourcePorts.
// Datagram n comes from source n % sources, so `sources` distinct 4-tuples
// repeat in a cycle.
//
// Payloads:
// - kCapturedInitial: the given bytes, as captured (a client's first
//   datagram), replayed unchanged.
// - kUnsupportedVersion: `size` random bytes made a long header (form and
//   fixed bits set) of a random version that is neither 0 (Version
//   Negotiation) nor QUIC v1: each asks for a Version Negotiation.
// - kShortHeader: `size` random bytes made a short header (form bit clear,
//   fixed bit set): to a server, an unknown DCID asking for a stateless
//   reset.
// The first kRandomHeaderBytes of every junk datagram are drawn afresh; the
// rest come from one buffer drawn at the start (so one core sends at line
// rate instead of drawing random bytes).
//
// Contract: Run() blocks until `count` datagrams are sent, `max_duration`
// passed, or `*stop` became true (polled between batches); it is safe to
// call from a thread of its own while another thread sets `stop`.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "transport/base/socket_address.h"

namespace p2pquic::testing {

enum class FloodPayload : uint8_t { kCapturedInitial, kUnsupportedVersion, kShortHeader };

// Prefixes available: 127.1.0.0/24 .. 127.254.255.0/24.
inline constexpr uint32_t kMaxSprayPrefixes = 254 * 256;
inline constexpr uint32_t kHostsPerPrefix = 254;
inline constexpr uint16_t kFirstSourcePort = 10000;
inline constexpr uint32_t kSourcePorts = 50000;
inline constexpr uint64_t kMaxSources =
    static_cast<uint64_t>(kMaxSprayPrefixes) * kHostsPerPrefix * kSourcePorts;
// Largest UDP payload sent (a jumbo datagram would be no QUIC datagram).
inline constexpr size_t kMaxFloodPayload = 1500;
inline constexpr size_t kRandomHeaderBytes = 64;

struct FloodSettings {
  SocketAddress target;  // IPv4, in 127.0.0.0/8.
  FloodPayload payload = FloodPayload::kUnsupportedVersion;
  std::vector<uint8_t> initial;  // kCapturedInitial's bytes.
  size_t size = 1200;            // Junk datagram size (UDP payload bytes).
  uint64_t sources = 1;          // Distinct source 4-tuples, 1..kMaxSources.
  uint32_t prefixes = 1;         // Spray /24s they spread over, 1..kMaxSprayPrefixes.
  uint64_t count = 0;            // Datagrams to send; 0: until max_duration.
  double per_second = 0;         // Target rate; 0: as fast as one core can.
  std::chrono::milliseconds max_duration{10000};  // Positive.
  uint64_t seed = 1;
};

enum class FloodStatus : uint8_t {
  kOk,
  kTargetNotIpv4,
  kTargetNotLoopback,
  kBadSources,    // 0, or more than kMaxSources.
  kBadPrefixes,   // 0, more than kMaxSprayPrefixes, or more than sources.
  kEmptyInitial,  // kCapturedInitial without bytes.
  kBadSize,       // Junk smaller than a header, or any payload over kMaxFloodPayload.
  kNoLimit,       // max_duration not positive: every flood is bounded in time.
  kRawSocketFailed,
  kBindToDeviceFailed,
  kSendFailed,
};
const char* ToString(FloodStatus status);

FloodStatus CheckFloodSettings(const FloodSettings& settings);

struct FloodResult {
  FloodStatus status = FloodStatus::kOk;
  uint64_t sent = 0;
  std::chrono::steady_clock::duration elapsed{};
  std::string error;  // With the OS's errno text when a syscall failed.
};

class FloodGenerator {
 public:
  explicit FloodGenerator(const FloodSettings& settings) : settings_(settings) {}

  // The source address of datagram `n` (see the header comment).
  SocketAddress SourceOf(uint64_t n) const;
  FloodResult Run(const std::atomic<bool>* stop = nullptr) const;

 private:
  FloodSettings settings_;
};

}  // namespace p2pquic::testing
