#include "transport/host/perf_client_handler.h"

#include <utility>

#include "transport/host/stream_abort_code.h"
#include "transport/protocols/perf_protocol.h"

namespace p2pquic {

PerfClientHandler::PerfClientHandler(Clock& clock, uint64_t upload_bytes, uint64_t download_bytes,
                                     DoneCallback on_done)
    : clock_(clock), on_done_(std::move(on_done)), client_(upload_bytes, download_bytes) {}

PerfClientHandler::~PerfClientHandler() {
  Finish("the stream was dropped before the perf run finished");
}

void PerfClientHandler::OnOpen(Libp2pStream& stream) {
  opened_ = true;
  opened_at_ = clock_.Now();
  Pump(stream);
}

void PerfClientHandler::OnData(Libp2pStream& stream, std::span<const uint8_t> data) {
  if (done_) return;
  const protocols::PerfResult result = client_.Feed(data);
  if (result != protocols::PerfResult::kOk) {
    Fail(stream, std::string("bad perf download: ") + protocols::ToString(result));
  }
}

void PerfClientHandler::OnRemoteClosed(Libp2pStream& stream) {
  if (done_) return;
  const protocols::PerfResult result = client_.FinishInput();
  if (result != protocols::PerfResult::kOk) {
    Fail(stream, std::string("bad perf download: ") + protocols::ToString(result));
    return;
  }
  if (!upload_closed_) {
    Fail(stream, "the server ended the stream before the upload was done");
    return;
  }
  Finish("");
}

void PerfClientHandler::OnWritable(Libp2pStream& stream) {
  if (!done_) Pump(stream);
}

void PerfClientHandler::OnReset(Libp2pStream& stream, uint64_t app_error_code) {
  if (done_) return;
  Fail(stream, "the peer reset the perf stream (code " + std::to_string(app_error_code) + ")");
}

void PerfClientHandler::OnNegotiationFailed(const std::string& reason) {
  Finish("protocol negotiation failed: " + reason);
}

void PerfClientHandler::OnClosed() { Finish("the stream closed before the perf run finished"); }

void PerfClientHandler::Pump(Libp2pStream& stream) {
  // Each pass either fills the send buffer (a short write ends the loop) or
  // advances by a whole chunk, so this ends within buffer/chunk passes.
  while (client_.state() == protocols::PerfClientState::kUploading) {
    const std::span<const uint8_t> chunk = client_.NextChunk();
    const size_t written = stream.Write(chunk);
    client_.Advance(written);
    if (written < chunk.size()) return;  // OnWritable resumes.
  }
  if (!upload_closed_ && client_.state() != protocols::PerfClientState::kFailed) {
    upload_closed_ = true;
    upload_done_at_ = clock_.Now();
    stream.CloseWrite();
  }
}

void PerfClientHandler::Fail(Libp2pStream& stream, std::string error) {
  stream.Reset(kStreamAbortCode);
  Finish(std::move(error));
}

void PerfClientHandler::Finish(std::string error) {
  if (done_) return;
  done_ = true;
  PerfReport report;
  report.uploaded = client_.uploaded_bytes();
  report.downloaded = client_.downloaded_bytes();
  if (opened_) {
    const Timestamp now = clock_.Now();
    const Timestamp upload_end = upload_closed_ ? upload_done_at_ : now;
    report.upload_time = upload_end - opened_at_;
    report.download_time = upload_closed_ ? now - upload_done_at_ : Duration::zero();
    report.total_time = now - opened_at_;
  }
  report.error = std::move(error);
  if (on_done_) std::exchange(on_done_, nullptr)(report);
}

}  // namespace p2pquic
