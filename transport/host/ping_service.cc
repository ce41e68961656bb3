#include "transport/host/ping_service.h"

#include <memory>
#include <vector>

#include "transport/host/stream_abort_code.h"
#include "transport/protocols/ping_payload.h"

namespace p2pquic {

void PingService::Register(Libp2pHost& host) {
  host.Handle(std::string(protocols::kPingProtocolId),
              [] { return std::make_unique<PingService>(); });
}

PingService::PingService() : echoes_(kMaxPendingEchoBytes) {}

void PingService::OnOpen(Libp2pStream&) {}

void PingService::OnData(Libp2pStream& stream, std::span<const uint8_t> data) {
  if (write_closed_) return;  // Reset already: what still arrives is moot.
  const std::vector<uint8_t> echo = responder_.Feed(data);
  if (echo.empty()) return;
  if (echoes_.Write(stream, echo) == PendingWriteResult::kOverflow) {
    write_closed_ = true;
    stream.Reset(kStreamAbortCode);
  }
}

void PingService::OnRemoteClosed(Libp2pStream& stream) {
  // A trailing partial payload is simply not echoed (PingResponder drops it).
  remote_closed_ = true;
  MaybeCloseWrite(stream);
}

void PingService::OnWritable(Libp2pStream& stream) {
  if (write_closed_) return;
  echoes_.Flush(stream);
  MaybeCloseWrite(stream);
}

void PingService::OnReset(Libp2pStream& stream, uint64_t) {
  // Abort our direction too, so the stream ends even if the peer only
  // stopped one of its directions.
  if (write_closed_) return;
  write_closed_ = true;
  stream.Reset(kStreamAbortCode);
}

void PingService::OnNegotiationFailed(const std::string&) {
  // Inbound streams never fail negotiation after a handler exists.
}

void PingService::MaybeCloseWrite(Libp2pStream& stream) {
  if (!remote_closed_ || write_closed_ || !echoes_.empty()) return;
  write_closed_ = true;
  stream.CloseWrite();
}

}  // namespace p2pquic
