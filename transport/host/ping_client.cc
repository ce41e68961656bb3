#include "transport/host/ping_client.h"

#include <utility>

#include "transport/host/stream_abort_code.h"
#include "transport/protocols/ping_payload.h"

namespace p2pquic {

PingClient::PingClient(Clock& clock, Random& random, int count, Duration interval,
                       RttCallback on_rtt, DoneCallback on_done)
    : clock_(clock),
      random_(random),
      count_(count),
      interval_(interval),
      on_rtt_(std::move(on_rtt)),
      on_done_(std::move(on_done)),
      // One payload is outstanding at a time: that is all that can wait.
      output_(protocols::kPingPayloadBytes) {}

PingClient::~PingClient() {
  CancelTimer();
  Finish("the stream was dropped before the pings finished");
}

void PingClient::OnOpen(Libp2pStream& stream) {
  stream_ = &stream;
  if (count_ < 1) {
    stream.CloseWrite();
    Finish("");
    return;
  }
  SendPing();
}

void PingClient::OnData(Libp2pStream& stream, std::span<const uint8_t> data) {
  if (done_) return;
  const protocols::PingInitiatorResult result = initiator_.Feed(data);
  switch (result) {
    case protocols::PingInitiatorResult::kNeedMore:
      return;
    case protocols::PingInitiatorResult::kEchoMatched:
      OnEcho();
      return;
    default:
      Fail(stream, std::string("bad ping echo: ") + protocols::ToString(result));
      return;
  }
}

void PingClient::OnRemoteClosed(Libp2pStream& stream) {
  if (done_) return;
  Fail(stream, "the peer closed the stream after " + std::to_string(report_.completed) + " of " +
                   std::to_string(count_) + " pings (" +
                   protocols::ToString(initiator_.PeerClosed()) + ")");
}

void PingClient::OnWritable(Libp2pStream& stream) { output_.Flush(stream); }

void PingClient::OnReset(Libp2pStream& stream, uint64_t app_error_code) {
  if (done_) return;
  Fail(stream, "the peer reset the stream (code " + std::to_string(app_error_code) + ") after " +
                   std::to_string(report_.completed) + " of " + std::to_string(count_) + " pings");
}

void PingClient::OnNegotiationFailed(const std::string& reason) {
  Finish("protocol negotiation failed: " + reason);
}

void PingClient::OnClosed() {
  CancelTimer();
  stream_ = nullptr;
  Finish("the stream closed after " + std::to_string(report_.completed) + " of " +
         std::to_string(count_) + " pings");
}

void PingClient::ScheduleNext() {
  const Timestamp due = sent_at_ + interval_;
  if (interval_ <= Duration::zero() || due <= clock_.Now()) {
    SendPing();
    return;
  }
  timer_ = clock_.ScheduleAt(due, [this] {
    timer_ = TimerId{};
    if (!done_ && stream_ != nullptr) SendPing();
  });
}

void PingClient::SendPing() {
  const protocols::PingPayload payload = protocols::DrawPingPayload(random_);
  initiator_.Start(payload);  // Never busy: the previous echo has matched.
  sent_at_ = clock_.Now();
  if (output_.Write(*stream_, payload) == PendingWriteResult::kOverflow) {
    Fail(*stream_, ToString(PendingWriteResult::kOverflow));
  }
}

void PingClient::OnEcho() {
  const Duration rtt = clock_.Now() - sent_at_;
  report_.rtts.push_back(rtt);
  const int index = report_.completed++;
  if (on_rtt_) on_rtt_(index, rtt);
  if (report_.completed < count_) {
    ScheduleNext();
    return;
  }
  stream_->CloseWrite();
  Finish("");
}

void PingClient::Fail(Libp2pStream& stream, std::string error) {
  CancelTimer();
  stream.Reset(kStreamAbortCode);
  Finish(std::move(error));
}

void PingClient::Finish(std::string error) {
  if (done_) return;
  done_ = true;
  report_.error = std::move(error);
  if (on_done_) std::exchange(on_done_, nullptr)(report_);
}

void PingClient::CancelTimer() {
  if (timer_ == TimerId{}) return;
  clock_.Cancel(std::exchange(timer_, TimerId{}));
}

}  // namespace p2pquic
