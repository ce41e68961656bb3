#include "tests/sim/echo_peer.h"

namespace p2pquic::sim {

EndpointDelegate::ConnectionParts EchoPeer::OnConnectionCreated(ConnectionHandle handle, bool,
                                                                const NetworkPath&) {
  handle_ = handle;
  return {this, &verifier_};
}

void EchoPeer::OnConnectionClosed(ConnectionHandle, const ConnectionEnd& end) {
  closed_ = true;
  close_reason_ = end.reason;
}

void EchoPeer::OnStreamData(int64_t stream_id, std::span<const uint8_t> data, bool fin) {
  received_.insert(received_.end(), data.begin(), data.end());
  QuicConnection* quic = endpoint_->Find(handle_);
  quic->ConsumeStream(stream_id, data.size());
  if (mode_ == EchoMode::kEcho) {
    // The tests' transfers fit the send buffer, so nothing is refused here.
    size_t accepted;
    quic->WriteStream(stream_id, data, fin, &accepted);
  }
  if (fin) finished_ = true;
}

}  // namespace p2pquic::sim
