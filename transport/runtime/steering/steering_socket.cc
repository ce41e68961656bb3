#include "transport/runtime/steering/steering_socket.h"

namespace p2pquic {

SteeringSocket::SteeringSocket(DatagramSocket& inner, uint32_t worker,
                               const WorkerSteeringConfig& config, DatagramForwarder& forwarder)
    : inner_(inner), worker_(worker), config_(config), forwarder_(forwarder) {
  inner_.SetReceiveHandler([this](const ReceivedDatagram& d) { OnInnerDatagram(d); });
  inner_.SetBurstEndHandler([this] {
    if (burst_end_) burst_end_();
  });
}

SteeringSocket::~SteeringSocket() {
  inner_.SetReceiveHandler(nullptr);
  inner_.SetBurstEndHandler(nullptr);
  inner_.SetWritableHandler(nullptr);
}

void SteeringSocket::OnInnerDatagram(const ReceivedDatagram& datagram) {
  const SteeringDecision decision = SteerDatagram(datagram.payload, config_);
  if (decision.kind != SteeringKind::kUnsteered && decision.worker != worker_) {
    ++stats_.misrouted;
    forwarder_.Forward(decision.worker, datagram);
    return;
  }
  if (decision.kind == SteeringKind::kUnsteered) ++stats_.unsteered;
  ++stats_.delivered_here;
  if (handler_) handler_(datagram);
}

void SteeringSocket::DeliverForwarded(const ReceivedDatagram& datagram) {
  ++stats_.forwarded_in;
  if (handler_) handler_(datagram);
  if (burst_end_) burst_end_();
}

}  // namespace p2pquic
