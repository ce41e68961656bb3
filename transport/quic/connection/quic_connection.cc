// QuicConnection forwards every call to its Ngtcp2Connection (see the
// header's private section for why).
#include "transport/quic/connection/quic_connection.h"

#include <utility>

#include "transport/quic/connection/ngtcp2_connection.h"

namespace p2pquic {

QuicConnection::QuicConnection(std::unique_ptr<Ngtcp2Connection> impl) : impl_(std::move(impl)) {}

QuicConnection::~QuicConnection() = default;

CreateResult QuicConnection::CreateClient(const Context& context, const NetworkPath& path,
                                          Timestamp now, std::unique_ptr<QuicConnection>* out,
                                          std::span<const uint8_t> token) {
  auto impl = std::make_unique<Ngtcp2Connection>(context);
  const CreateResult result = impl->InitClient(path, token, now);
  if (result == CreateResult::kOk) out->reset(new QuicConnection(std::move(impl)));
  return result;
}

CreateResult QuicConnection::CreateServer(const Context& context, const NetworkPath& path,
                                          const ServerHandshakeInfo& info,
                                          const ConnectionId& local_cid, Timestamp now,
                                          std::unique_ptr<QuicConnection>* out) {
  auto impl = std::make_unique<Ngtcp2Connection>(context);
  const CreateResult result = impl->InitServer(path, info, local_cid, now);
  if (result == CreateResult::kOk) out->reset(new QuicConnection(std::move(impl)));
  return result;
}

ReadResult QuicConnection::Read(std::span<const uint8_t> datagram, const NetworkPath& path,
                                Timestamp now) {
  return impl_->Read(datagram, path, now);
}

size_t QuicConnection::Write(Timestamp now, DatagramSink& sink) { return impl_->Write(now, sink); }

NewTokenResult QuicConnection::SubmitNewToken(std::span<const uint8_t> token) {
  return impl_->SubmitNewToken(token);
}

Timestamp QuicConnection::Expiry() const { return impl_->Expiry(); }

ConnectionState QuicConnection::HandleExpiry(Timestamp now) { return impl_->HandleExpiry(now); }

MigrateResult QuicConnection::Migrate(const SocketAddress& new_local, MigrationMode mode,
                                      Timestamp now) {
  return impl_->Migrate(new_local, mode, now);
}

NetworkPath QuicConnection::path() const { return impl_->path(); }

bool QuicConnection::PeerDisallowsMigration() const { return impl_->PeerDisallowsMigration(); }

MigrateResult QuicConnection::MigrationBlocker(Timestamp now) const {
  return impl_->MigrationBlocker(now);
}

void QuicConnection::Close(uint64_t app_error_code, Timestamp now) {
  impl_->Close(app_error_code, now);
}

StreamOpenResult QuicConnection::OpenStream(int64_t* stream_id) {
  return impl_->OpenStream(stream_id);
}

StreamWriteResult QuicConnection::WriteStream(int64_t stream_id, std::span<const uint8_t> data,
                                              bool fin, size_t* accepted) {
  return impl_->WriteStream(stream_id, data, fin, accepted);
}

StreamShutdownResult QuicConnection::ShutdownStream(int64_t stream_id) {
  return impl_->ShutdownStream(stream_id);
}

StreamAbortResult QuicConnection::ResetStream(int64_t stream_id, uint64_t app_error_code) {
  return impl_->ResetStream(stream_id, app_error_code);
}

StreamAbortResult QuicConnection::StopSending(int64_t stream_id, uint64_t app_error_code) {
  return impl_->StopSending(stream_id, app_error_code);
}

StreamConsumeResult QuicConnection::ConsumeStream(int64_t stream_id, size_t bytes) {
  return impl_->ConsumeStream(stream_id, bytes);
}

size_t QuicConnection::StreamSendSpace(int64_t stream_id) const {
  return impl_->StreamSendSpace(stream_id);
}

ConnectionState QuicConnection::state() const { return impl_->state(); }
bool QuicConnection::is_server() const { return impl_->is_server(); }
std::optional<CloseCause> QuicConnection::close_cause() const { return impl_->close_cause(); }
const std::string& QuicConnection::close_reason() const { return impl_->close_reason(); }
const ClosingPeriod& QuicConnection::closing_period() const { return impl_->closing_period(); }
ConnectionId QuicConnection::original_dcid() const { return impl_->original_dcid(); }
bool QuicConnection::peer_certificate_rejected() const {
  return impl_->peer_certificate_rejected();
}
std::string QuicConnection::negotiated_alpn() const { return impl_->negotiated_alpn(); }
PathMtuMode QuicConnection::path_mtu_mode() const { return impl_->path_mtu_mode(); }
uint64_t QuicConnection::pmtu_black_holes() const { return impl_->pmtu_black_holes(); }
size_t QuicConnection::open_streams() const { return impl_->streams().size(); }
size_t QuicConnection::open_outbound_streams() const { return impl_->streams().outbound(); }

}  // namespace p2pquic
