#include "sim/sim_socket.h"

#include "sim/sim_network.h"

namespace p2pquic::sim {

SimSocket::~SimSocket() {
  *alive_ = false;
  network_.Unbind(*this);
}

SendResult SimSocket::SendTo(const SocketAddress& remote, std::span<const uint8_t> payload) {
  if (remote.family() != local_.family()) return SendResult::kFamilyMismatch;
  if (payload.size() > kMaxUdpPayload) return SendResult::kMessageTooLong;
  const Timestamp now = network_.queue_.Now();
  if (send_buffer_bytes_ > 0) {
    Release(now);
    if (buffered_ >= send_buffer_bytes_) {
      ++network_.stats_.would_block;
      AwaitWritable();
      return SendResult::kWouldBlock;
    }
  }
  const std::optional<Timestamp> departure =
      network_.Transmit(network_.HostOf(local_), local_, remote, payload);
  if (send_buffer_bytes_ > 0 && departure && *departure > now) {
    departures_.emplace(*departure, payload.size());
    buffered_ += payload.size();
  }
  return SendResult::kSent;
}

size_t SimSocket::buffered_bytes() {
  Release(network_.queue_.Now());
  return buffered_;
}

void SimSocket::Release(Timestamp now) {
  while (!departures_.empty() && departures_.begin()->first <= now) {
    buffered_ -= departures_.begin()->second;
    departures_.erase(departures_.begin());
  }
}

void SimSocket::AwaitWritable() {
  if (writable_scheduled_) return;
  // Nothing is added while the socket refuses sends, so the moment the
  // buffer reaches half is known now.
  size_t left = buffered_;
  Timestamp at = network_.queue_.Now();
  for (const auto& [departure, bytes] : departures_) {
    if (left <= send_buffer_bytes_ / 2) break;
    left -= bytes;
    at = departure;
  }
  writable_scheduled_ = true;
  network_.queue_.Schedule(at, [this, alive = alive_] {
    if (!*alive) return;
    writable_scheduled_ = false;
    if (writable_) {
      const WritableHandler call = writable_;  // It may replace itself.
      call();
    }
  });
}

RebindResult SimSocket::Rebind(const SocketAddress& new_local) {
  switch (network_.Move(*this, new_local)) {
    case NetworkResult::kOk:
      return RebindResult::kRebound;
    case NetworkResult::kAddressInUse:
    case NetworkResult::kNoFreePort:
      return RebindResult::kAddressInUse;
    default:
      return RebindResult::kAddressUnavailable;
  }
}

void SimSocket::Receive(const ReceivedDatagram& datagram) {
  const std::shared_ptr<bool> alive = alive_;
  if (handler_) handler_(datagram);
  if (*alive && burst_end_) burst_end_();
}

}  // namespace p2pquic::sim
