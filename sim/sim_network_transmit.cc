// SimNetwork's datapath: a datagram from SendTo to its fate. The order of
// the checks and of the random draws is the contract in sim_network.h; keep
// them in step.
#include <cstring>

#include "sim/sim_network.h"

namespace p2pquic::sim {
namespace {

constexpr uint64_t kFnvPrime = 1099511628211ULL;
constexpr int kMantissaBits = 53;         // A double's exact integers.
constexpr double kUnitScale = 0x1.0p-53;  // 2^-53: maps them into [0, 1).
constexpr uint64_t kByteValues = 256;     // A flip XORs with 1..255.

}  // namespace

double SimNetwork::Uniform() {
  return static_cast<double>(random_.NextU64() >> (64 - kMantissaBits)) * kUnitScale;
}

void SimNetwork::Mix(uint64_t value) {
  for (int i = 0; i < 8; ++i) {
    digest_ ^= (value >> (8 * i)) & 0xff;
    digest_ *= kFnvPrime;
  }
}

void SimNetwork::MixBytes(std::span<const uint8_t> bytes) {
  // A word at a time: per-byte FNV over every payload was nearly all of the
  // simulator's per-datagram cost (sim_bench). Multiply then fold the high
  // half down, so every input bit reaches every digest bit.
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    digest_ = (digest_ ^ word) * kFnvPrime;
    digest_ ^= digest_ >> 32;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
  Mix(tail);
}

void SimNetwork::MixAddress(const SocketAddress& address) {
  Mix(static_cast<uint64_t>(address.family()));
  for (uint8_t b : address.address_bytes()) Mix(b);
  Mix(address.port());
}

DatagramEvent SimNetwork::StartEvent(HostId from_host, const SocketAddress& from,
                                     const SocketAddress& to, size_t size) {
  ++stats_.sent;
  DatagramEvent event;
  event.time = queue_.Now();
  event.datagram = next_datagram_++;
  event.from_host = from_host;
  event.to_host = HostOf(to);
  event.from = from;
  event.to = to;
  const NatMapping* mapping = nat_.FindByInside(from);
  event.delivered_from = mapping != nullptr ? mapping->outside : from;
  event.delivered_to = to;
  event.size = size;
  return event;
}

NetworkResult SimNetwork::SendSpoofed(HostId via, const SocketAddress& from,
                                      const SocketAddress& to, std::span<const uint8_t> payload) {
  if (!KnownHost(via)) return NetworkResult::kUnknownHost;
  if (from.family() == AddressFamily::kUnspecified) return NetworkResult::kUnspecifiedAddress;
  if (from.family() != to.family()) return NetworkResult::kFamilyMismatch;
  if (OwnerOf(from) != nullptr) return NetworkResult::kAddressTaken;
  if (payload.size() > kMaxUdpPayload) return NetworkResult::kMessageTooLong;
  Transmit(via, from, to, payload);
  return NetworkResult::kOk;
}

std::optional<Timestamp> SimNetwork::Transmit(HostId from_host, const SocketAddress& from,
                                              const SocketAddress& to,
                                              std::span<const uint8_t> payload) {
  DatagramEvent event = StartEvent(from_host, from, to, payload.size());
  const HostPair direction{event.from_host, event.to_host};
  const LinkConditions& conditions = ConditionsFor(event.from_host, event.to_host);
  if (payload.size() > conditions.mtu) {
    Report(event, payload, DatagramFate::kTooBig);
    return std::nullopt;
  }
  const DatagramFate cut = CutBetween(event.from_host, event.to_host);
  if (cut != DatagramFate::kDelivered) {
    Report(event, payload, cut);
    return std::nullopt;
  }
  SimLink& link = links_[direction];
  Timestamp departure;
  if (link.Admit(queue_.Now(), payload.size(), conditions, &departure) == Admission::kQueueFull) {
    Report(event, payload, DatagramFate::kQueueFull);
    return std::nullopt;
  }
  const auto shared = bottleneck_of_.find(direction);
  if (shared == bottleneck_of_.end()) {
    Forward(event, payload, conditions, link, departure);
  } else if (SharedBottleneck& bottleneck = bottlenecks_.at(shared->second);
             departure == queue_.Now()) {
    Share(event, payload, conditions, link, bottleneck);
  } else {
    // It reaches the bottleneck when its last bit leaves the link, with the
    // conditions of its send; until then it is in flight.
    ++in_flight_;
    queue_.Schedule(departure,
                    [this, event, bytes = std::vector<uint8_t>(payload.begin(), payload.end()),
                     conditions, &link, &bottleneck]() mutable {
                      --in_flight_;
                      Share(event, bytes, conditions, link, bottleneck);
                    });
  }
  return departure;
}

void SimNetwork::Share(DatagramEvent& event, std::span<const uint8_t> payload,
                       const LinkConditions& conditions, SimLink& link,
                       SharedBottleneck& bottleneck) {
  event.time = queue_.Now();
  Timestamp departure;
  if (bottleneck.Admit(queue_.Now(), payload.size(), &departure) == Admission::kQueueFull) {
    return Report(event, payload, DatagramFate::kQueueFull);
  }
  Forward(event, payload, conditions, link, departure);
}

void SimNetwork::Forward(DatagramEvent& event, std::span<const uint8_t> payload,
                         const LinkConditions& conditions, SimLink& link, Timestamp departure) {
  // From here on the datagram used the bandwidth, lost or not.
  if (link.loss().Next(conditions.loss, conditions.loss_burst, Uniform()) == LossDecision::kLost) {
    return Report(event, payload, DatagramFate::kLost);
  }
  const uint8_t copies = Uniform() < conditions.duplicate ? 2 : 1;
  stats_.duplicated += copies - 1;
  for (uint8_t copy = 0; copy < copies; ++copy) {
    Launch(event, copy, payload, conditions, departure);
  }
}

void SimNetwork::Launch(const DatagramEvent& event, uint8_t copy, std::span<const uint8_t> payload,
                        const LinkConditions& conditions, Timestamp departure) {
  InFlight flight{event, {payload.begin(), payload.end()}};
  flight.event.copy = copy;
  if (Uniform() < conditions.corrupt && !flight.bytes.empty()) {
    const size_t position = random_.NextU64() % flight.bytes.size();
    flight.bytes[position] ^= static_cast<uint8_t>(1 + random_.NextU64() % (kByteValues - 1));
    flight.corrupted = true;
    ++stats_.corrupted;
  }
  const Duration jitter(
      static_cast<Duration::rep>(Uniform() * static_cast<double>(conditions.jitter.count())));
  ++in_flight_;
  const Duration late = copy > 0 ? conditions.duplicate_delay : Duration::zero();
  queue_.Schedule(departure + conditions.delay + jitter + late,
                  [this, moved = std::move(flight)]() mutable { Arrive(std::move(moved)); });
}

DatagramFate SimNetwork::Resolve(const SocketAddress& to, SocketAddress* delivered_to,
                                 SimSocket** socket) const {
  *delivered_to = to;
  if (const NatMapping* mapping = nat_.FindByOutside(to); mapping != nullptr) {
    *delivered_to = mapping->inside;
  } else if (const IpOwner* owner = OwnerOf(to);
             owner != nullptr && owner->role == IpRole::kNatOutside) {
    return DatagramFate::kNoNatMapping;
  }
  auto it = sockets_.find(AddressKey::Of(*delivered_to));
  if (it == sockets_.end()) return DatagramFate::kUnroutable;
  *socket = it->second;
  return DatagramFate::kDelivered;
}

void SimNetwork::Arrive(InFlight flight) {
  --in_flight_;
  DatagramEvent& event = flight.event;
  event.time = queue_.Now();
  // A cut made while the datagram was in flight drops it here.
  const DatagramFate cut = CutBetween(event.from_host, event.to_host);
  if (cut != DatagramFate::kDelivered) return Report(event, flight.bytes, cut);
  SimSocket* socket = nullptr;
  const DatagramFate resolved = Resolve(event.to, &event.delivered_to, &socket);
  if (resolved != DatagramFate::kDelivered) return Report(event, flight.bytes, resolved);
  const DatagramFate fate = flight.corrupted ? DatagramFate::kCorrupted
                            : event.copy > 0 ? DatagramFate::kDuplicate
                                             : DatagramFate::kDelivered;
  Mix(static_cast<uint64_t>(event.time.time_since_epoch().count()));
  MixAddress(event.delivered_from);
  MixAddress(event.delivered_to);
  Mix(flight.bytes.size());
  MixBytes(flight.bytes);
  Report(event, flight.bytes, fate);
  socket->Receive({flight.bytes, event.delivered_from, event.delivered_to, event.time});
}

void SimNetwork::Report(DatagramEvent& event, std::span<const uint8_t> payload, DatagramFate fate) {
  event.fate = fate;
  event.payload = payload;
  ++stats_.fates[static_cast<size_t>(fate)];
  // By index: an observer may not add or remove observers, but a stale
  // iterator must not be the way that rule is found out.
  for (size_t i = 0; i < observers_.size(); ++i) observers_[i]->OnDatagram(event);
  event.payload = {};
}

}  // namespace p2pquic::sim
