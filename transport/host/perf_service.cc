#include "transport/host/perf_service.h"

#include <memory>

#include "transport/host/stream_abort_code.h"

namespace p2pquic {

void PerfService::Register(Libp2pHost& host) {
  host.Handle(std::string(protocols::kPerfProtocolId),
              [] { return std::make_unique<PerfService>(); });
}

PerfService::PerfService(uint64_t max_send_bytes) : server_(max_send_bytes) {}

void PerfService::OnOpen(Libp2pStream&) {}

void PerfService::OnData(Libp2pStream& stream, std::span<const uint8_t> data) {
  if (finished_) return;
  if (server_.Feed(data) != protocols::PerfResult::kOk) Abort(stream);
}

void PerfService::OnRemoteClosed(Libp2pStream& stream) {
  if (finished_) return;
  if (server_.FinishInput() != protocols::PerfResult::kOk) {
    Abort(stream);
    return;
  }
  Pump(stream);
}

void PerfService::OnWritable(Libp2pStream& stream) {
  if (!finished_) Pump(stream);
}

void PerfService::OnReset(Libp2pStream& stream, uint64_t) {
  if (!finished_) Abort(stream);
}

void PerfService::OnNegotiationFailed(const std::string&) {
  // Inbound streams never fail negotiation after a handler exists.
}

void PerfService::Pump(Libp2pStream& stream) {
  // Each pass either fills the send buffer (a short write ends the loop) or
  // advances by a whole chunk, so this ends within buffer/chunk passes.
  while (server_.state() == protocols::PerfServerState::kSending) {
    const std::span<const uint8_t> chunk = server_.NextChunk();
    const size_t written = stream.Write(chunk);
    server_.Advance(written);
    if (written < chunk.size()) return;  // OnWritable resumes.
  }
  if (server_.state() == protocols::PerfServerState::kDone) {
    finished_ = true;
    stream.CloseWrite();
  }
}

void PerfService::Abort(Libp2pStream& stream) {
  finished_ = true;
  stream.Reset(kStreamAbortCode);
}

}  // namespace p2pquic
