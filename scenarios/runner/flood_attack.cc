#include "scenarios/runner/flood_attack.h"

#include <chrono>
#include <utility>

#include "scenarios/runner/initial_capture.h"

namespace p2pquic::scenarios {
namespace {

// Payload randomness: the run's seed mixed with the event's index, apart
// from every host's and the network's.
constexpr uint64_t kPayloadSalt = 0x666c6f6f64706179ULL;  // "floodpay"
constexpr uint64_t kEventStride = 0x9e3779b97f4a7c15ULL;
// Sizes: a long header at QUIC's minimum Initial size (RFC 9000 §14.1: an
// endpoint answers Version Negotiation only to datagrams that large);
// short headers between a plausible smallest packet and the same size.
constexpr size_t kJunkLongBytes = 1200;
constexpr size_t kJunkShortMinBytes = 64;
constexpr size_t kJunkShortMaxBytes = 1200;
// Long header layout (RFC 8999 §5.1): form and fixed bits, version, then
// length-prefixed DCID and SCID.
constexpr uint8_t kLongForm = 0x80;
constexpr uint8_t kFixedBit = 0x40;
constexpr uint8_t kTypeBitsMask = 0x3f;  // The bits after form and fixed.
constexpr size_t kJunkCidBytes = 8;
// RFC 9000 §15: versions 0x?a?a?a?a are reserved, never supported, so a
// junk long header always meets Version Negotiation.
constexpr uint32_t kReservedVersionMask = 0xf0f0f0f0;
constexpr uint32_t kReservedVersionBits = 0x0a0a0a0a;
// RFC 9000 §17.2: v1's long packet types.
constexpr uint32_t kQuicV1 = 1;
constexpr int kLongTypeShift = 4;
constexpr uint8_t kLongTypeMask = 0x3;
constexpr uint8_t kTypeInitial = 0, kTypeHandshake = 2, kTypeRetry = 3;
constexpr size_t kVersionOffset = 1;
constexpr size_t kVersionBytes = 4;

uint32_t ReadVersion(std::span<const uint8_t> datagram) {
  uint32_t version = 0;
  for (size_t i = 0; i < kVersionBytes; ++i) {
    version = (version << 8) | datagram[kVersionOffset + i];
  }
  return version;
}

}  // namespace

FloodAnswer ClassifyAnswer(std::span<const uint8_t> datagram) {
  if (datagram.empty()) return FloodAnswer::kOther;
  if ((datagram[0] & kLongForm) == 0) return FloodAnswer::kShort;
  if (datagram.size() < kVersionOffset + kVersionBytes) return FloodAnswer::kOther;
  const uint32_t version = ReadVersion(datagram);
  if (version == 0) return FloodAnswer::kVersionNegotiation;
  if (version != kQuicV1) return FloodAnswer::kOther;
  switch ((datagram[0] >> kLongTypeShift) & kLongTypeMask) {
    case kTypeInitial:
      return FloodAnswer::kInitial;
    case kTypeHandshake:
      return FloodAnswer::kHandshake;
    case kTypeRetry:
      return FloodAnswer::kRetry;
    default:
      return FloodAnswer::kOther;
  }
}

FloodAttack::FloodAttack(uint64_t seed, sim::EventQueue& queue, sim::SimNetwork& network,
                         FloodTally& tally)
    : seed_(seed),
      queue_(queue),
      network_(network),
      tally_(tally),
      attacker_(network.AddHost("flood-attacker")) {
  network_.AddObserver(this);
}

FloodAttack::~FloodAttack() { network_.RemoveObserver(this); }

bool FloodAttack::Start(const FloodAction& flood, size_t event_index, const SocketAddress& target,
                        std::string* error) {
  auto running = std::make_unique<Running>(
      Running{flood,
              target,
              queue_.Now(),
              FloodDatagrams(flood),
              0,
              SeededRandom(seed_ ^ kPayloadSalt ^ (kEventStride * (event_index + 1))),
              {}});
  if (flood.payload == FloodPayload::kInitialReplay) {
    auto [it, fresh] = captured_.try_emplace(target.ToString());
    if (fresh) {
      const CaptureStatus status = CaptureClientInitial(seed_, target, &it->second, error);
      if (status != CaptureStatus::kOk) {
        *error = std::string(ToString(status)) + ": " + *error;
        captured_.erase(it);
        return false;
      }
    }
    running->initial = it->second;
  }
  Running& started = *running;
  running_[event_index] = std::move(running);
  SendNext(started);
  return true;
}

std::vector<uint8_t> FloodAttack::Payload(Running& running) {
  Random& random = running.random;
  switch (running.flood.payload) {
    case FloodPayload::kInitialReplay:
      return running.initial;
    case FloodPayload::kJunkLong: {
      std::vector<uint8_t> bytes(kJunkLongBytes);
      random.Fill(bytes);
      bytes[0] = static_cast<uint8_t>(kLongForm | kFixedBit | (bytes[0] & kTypeBitsMask));
      const uint32_t version =
          (static_cast<uint32_t>(random.NextU64()) & kReservedVersionMask) | kReservedVersionBits;
      for (size_t i = 0; i < kVersionBytes; ++i) {
        bytes[kVersionOffset + i] = static_cast<uint8_t>(version >> (8 * (kVersionBytes - 1 - i)));
      }
      const size_t dcid_length_at = kVersionOffset + kVersionBytes;
      bytes[dcid_length_at] = kJunkCidBytes;
      bytes[dcid_length_at + 1 + kJunkCidBytes] = kJunkCidBytes;  // SCID length.
      return bytes;
    }
    case FloodPayload::kJunkShort: {
      const size_t size =
          kJunkShortMinBytes + random.NextU64() % (kJunkShortMaxBytes - kJunkShortMinBytes + 1);
      std::vector<uint8_t> bytes(size);
      random.Fill(bytes);
      bytes[0] = static_cast<uint8_t>(kFixedBit | (bytes[0] & kTypeBitsMask));
      return bytes;
    }
  }
  return {};
}

void FloodAttack::SendNext(Running& running) {
  const std::vector<uint8_t> payload = Payload(running);
  const SocketAddress source = FloodSource(running.next % running.flood.sources);
  if (network_.SendSpoofed(attacker_, source, running.target, payload) == sim::NetworkResult::kOk) {
    ++tally_.datagrams_sent;
    tally_.bytes_sent += payload.size();
  } else {
    ++tally_.send_failures;
  }
  if (++running.next >= running.total) return;
  // k / rate seconds after the start, to the ns (rounded down): no drift
  // over a long flood, whatever the rate.
  constexpr uint64_t kNanosPerSecond = 1'000'000'000;
  const Timestamp at = running.start + std::chrono::nanoseconds(static_cast<int64_t>(
                                           running.next * kNanosPerSecond / running.flood.rate));
  queue_.Schedule(at, [this, &running] { SendNext(running); });
}

void FloodAttack::OnDatagram(const sim::DatagramEvent& event) {
  // One count per answer sent: the original copy's fate, whatever it is.
  if (event.copy != 0 || !InFloodPrefix(event.to)) return;
  ++tally_.answers[static_cast<size_t>(FloodAnswer::kAny)];
  ++tally_.answers[static_cast<size_t>(ClassifyAnswer(event.payload))];
  tally_.answer_bytes += event.size;
}

}  // namespace p2pquic::scenarios
