#include "sim/sim_network.h"

#include <algorithm>

namespace p2pquic::sim {
namespace {

std::vector<uint8_t> HostOf(const SocketAddress& address) {
  const auto bytes = address.address_bytes();
  return {bytes.begin(), bytes.end()};
}

std::pair<std::vector<uint8_t>, uint16_t> KeyOf(const SocketAddress& address) {
  return {HostOf(address), address.port()};
}

}  // namespace

void SimNetwork::SetConditions(const SocketAddress& from, const SocketAddress& to,
                               const LinkConditions& conditions) {
  links_[{HostOf(from), HostOf(to)}] = conditions;
}

const LinkConditions& SimNetwork::ConditionsFor(const SocketAddress& from,
                                                const SocketAddress& to) const {
  auto it = links_.find({HostOf(from), HostOf(to)});
  return it == links_.end() ? default_ : it->second;
}

std::unique_ptr<SimSocket> SimNetwork::Bind(const SocketAddress& local) {
  if (sockets_.count(KeyOf(local)) != 0) return nullptr;
  std::unique_ptr<SimSocket> socket(new SimSocket(*this, local));
  sockets_[KeyOf(local)] = socket.get();
  return socket;
}

double SimNetwork::Uniform() {
  return static_cast<double>(random_.NextU64() >> 11) * (1.0 / 9007199254740992.0);
}

void SimNetwork::Mix(uint64_t value) {
  for (int i = 0; i < 8; ++i) {
    digest_ ^= (value >> (8 * i)) & 0xff;
    digest_ *= 1099511628211ULL;
  }
}

void SimNetwork::Transmit(const SocketAddress& from, const SocketAddress& to,
                          std::span<const uint8_t> payload) {
  ++stats_.sent;
  const LinkConditions& link = ConditionsFor(from, to);
  if (Uniform() < link.loss) {
    ++stats_.lost;
    return;
  }
  const int copies = Uniform() < link.duplicate ? 2 : 1;
  stats_.duplicated += copies - 1;
  for (int copy = 0; copy < copies; ++copy) {
    std::vector<uint8_t> bytes(payload.begin(), payload.end());
    if (!bytes.empty() && Uniform() < link.corrupt) {
      bytes[random_.NextU64() % bytes.size()] ^= static_cast<uint8_t>(1 + random_.NextU64() % 255);
      ++stats_.corrupted;
    }
    const Duration extra = link.jitter > Duration::zero()
                               ? Duration(static_cast<Duration::rep>(
                                     Uniform() * static_cast<double>(link.jitter.count())))
                               : Duration::zero();
    queue_.Schedule(queue_.Now() + link.delay + extra,
                    [this, from, to, moved = std::move(bytes)]() mutable {
                      Deliver(from, to, std::move(moved));
                    });
  }
}

void SimNetwork::Deliver(const SocketAddress& from, const SocketAddress& to,
                         std::vector<uint8_t> bytes) {
  auto it = sockets_.find(KeyOf(to));
  if (it == sockets_.end()) {
    ++stats_.unroutable;
    return;
  }
  ++stats_.delivered;
  Mix(static_cast<uint64_t>(queue_.Now().time_since_epoch().count()));
  Mix((uint64_t{from.port()} << 16) | to.port());
  for (uint8_t b : bytes) Mix(b);
  it->second->Receive({bytes, from, to, queue_.Now()});
}

SimSocket::~SimSocket() {
  auto& sockets = network_.sockets_;
  auto it = sockets.find(KeyOf(local_));
  if (it != sockets.end() && it->second == this) sockets.erase(it);
}

SendResult SimSocket::SendTo(const SocketAddress& remote, std::span<const uint8_t> payload) {
  if (remote.family() != local_.family()) return SendResult::kFamilyMismatch;
  network_.Transmit(local_, remote, payload);
  return SendResult::kSent;
}

RebindResult SimSocket::Rebind(const SocketAddress& new_local) {
  auto& sockets = network_.sockets_;
  if (sockets.count(KeyOf(new_local)) != 0) return RebindResult::kAddressInUse;
  sockets.erase(KeyOf(local_));
  local_ = new_local;
  sockets[KeyOf(local_)] = this;
  return RebindResult::kRebound;
}

void SimSocket::Receive(const ReceivedDatagram& datagram) {
  if (handler_) handler_(datagram);
  if (burst_end_) burst_end_();
}

}  // namespace p2pquic::sim
