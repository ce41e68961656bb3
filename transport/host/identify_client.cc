#include "transport/host/identify_client.h"

#include <utility>

#include "transport/host/stream_abort_code.h"
#include "transport/protocols/identify_result.h"

namespace p2pquic {

IdentifyClient::IdentifyClient(DoneCallback on_done) : on_done_(std::move(on_done)) {}

IdentifyClient::~IdentifyClient() {
  Finish("the stream was dropped before the identify response arrived");
}

void IdentifyClient::OnOpen(Libp2pStream&) {
  // Nothing to send: the responder speaks first and only.
}

void IdentifyClient::OnData(Libp2pStream& stream, std::span<const uint8_t> data) {
  if (done_) return;
  const protocols::IdentifyResult result = reader_.Feed(data);
  if (result != protocols::IdentifyResult::kNeedMore) {
    Fail(stream, std::string("malformed identify response: ") + protocols::ToString(result));
  }
}

void IdentifyClient::OnRemoteClosed(Libp2pStream& stream) {
  if (done_) return;
  const protocols::IdentifyResult result = reader_.Finish();
  if (result != protocols::IdentifyResult::kOk) {
    Fail(stream, std::string("malformed identify response: ") + protocols::ToString(result));
    return;
  }
  // Our side ends too, so the stream closes and the host drops us.
  stream.CloseWrite();
  Finish("");
}

void IdentifyClient::OnReset(Libp2pStream& stream, uint64_t app_error_code) {
  if (done_) return;
  Fail(stream, "the peer reset the identify stream (code " + std::to_string(app_error_code) + ")");
}

void IdentifyClient::OnNegotiationFailed(const std::string& reason) {
  Finish("protocol negotiation failed: " + reason);
}

void IdentifyClient::OnClosed() {
  Finish("the stream closed before the identify response was complete");
}

void IdentifyClient::Fail(Libp2pStream& stream, std::string error) {
  stream.Reset(kStreamAbortCode);
  Finish(std::move(error));
}

void IdentifyClient::Finish(std::string error) {
  if (done_) return;
  done_ = true;
  IdentifyReport report;
  report.error = std::move(error);
  if (report.error.empty()) report.message = reader_.message();
  if (on_done_) std::exchange(on_done_, nullptr)(report);
}

}  // namespace p2pquic
