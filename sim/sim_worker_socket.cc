#include "sim/sim_worker_socket.h"

namespace p2pquic::sim {

SendResult SimWorkerSocket::SendTo(const SocketAddress& remote, std::span<const uint8_t> payload) {
  const SendResult result = shared_.SendTo(remote, payload);
  if (result == SendResult::kWouldBlock) owed_ = WritableOwed::kYes;
  return result;
}

RebindResult SimWorkerSocket::Rebind(const SocketAddress& /*new_local*/) {
  return RebindResult::kError;
}

void SimWorkerSocket::Receive(const ReceivedDatagram& datagram) {
  ++received_;
  if (handler_) handler_(datagram);
  if (burst_end_) burst_end_();
}

void SimWorkerSocket::Writable() {
  if (owed_ == WritableOwed::kNo) return;
  owed_ = WritableOwed::kNo;
  if (writable_) writable_();
}

}  // namespace p2pquic::sim
