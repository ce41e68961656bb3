#include "testing/echo_app.h"

namespace p2pquic::testing {

EndpointDelegate::ConnectionParts EchoApp::OnConnectionCreated(ConnectionHandle handle,
                                                               bool inbound, const NetworkPath&) {
  auto& slot = connections_[handle.index];
  slot = std::make_unique<PerConnection>(*this, handle);
  ++(inbound ? inbound_count_ : outbound_count_);
  return {slot.get(), &verifier_};
}

void EchoApp::OnConnectionClosed(ConnectionHandle handle, const ConnectionEnd& end) {
  closed_.push_back({handle, end.reason, end.cause});
}

std::vector<uint8_t> EchoApp::ReceivedOn(int64_t stream_id) const {
  const auto it = received_by_stream_.find(stream_id);
  return it == received_by_stream_.end() ? std::vector<uint8_t>() : it->second;
}

void EchoApp::PerConnection::OnStreamData(int64_t stream_id, std::span<const uint8_t> data,
                                          bool fin) {
  auto& bytes = app_.received_by_stream_[stream_id];
  bytes.insert(bytes.end(), data.begin(), data.end());
  app_.received_.insert(app_.received_.end(), data.begin(), data.end());
  QuicConnection* quic = app_.endpoint_->Find(handle_);
  quic->ConsumeStream(stream_id, data.size());
  if (app_.mode_ == EchoMode::kEcho) {
    // The tests' transfers fit the send buffer, so nothing is refused here.
    size_t accepted;
    quic->WriteStream(stream_id, data, fin, &accepted);
  }
  if (fin) app_.finished_.push_back(stream_id);
}

}  // namespace p2pquic::testing
