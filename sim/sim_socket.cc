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
  network_.Transmit(local_, remote, payload);
  return SendResult::kSent;
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
