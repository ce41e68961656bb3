// PingClient: the measuring side of /ipfs/ping/1.0.0 on one stream. Sends
// `count` pings one at a time (PingInitiator checks each echo byte for
// byte), the next one `interval` after the previous one was sent (at once
// when the echo took longer, back to back when `interval` is zero), then
// half-closes. Round-trip times come from Clock::Now() read when a payload
// is written and when its echo is complete.
//
// Callbacks: on_rtt after each echo; on_done exactly once, with the report:
// when the last echo arrives (error empty), or on the first failure (echo
// mismatch, the peer closing or resetting early, negotiation failure, the
// stream closing early; the stream is reset where it still exists). If the
// handler is destroyed before any of those (OpenStream refused it, or the
// host was destroyed), on_done runs from the destructor, with an error; the
// host may then be mid-destruction and must not be used from it.
//
// The clock must outlive the handler (the interval timer is cancelled on
// OnClosed and in the destructor).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "transport/runtime/clock.h"
#include "transport/host/pending_output.h"
#include "transport/host/stream_handler.h"
#include "transport/protocols/ping_initiator.h"
#include "transport/runtime/random.h"
#include "transport/base/time.h"

namespace p2pquic {

struct PingReport {
  int completed = 0;           // Echoes received and matched.
  std::vector<Duration> rtts;  // One per completed ping, in order.
  std::string error;           // Empty on success.
};

class PingClient final : public StreamHandler {
 public:
  // `index` counts completed pings from 0.
  using RttCallback = std::function<void(int index, Duration rtt)>;
  using DoneCallback = std::function<void(const PingReport& report)>;

  // `count` < 1 sends nothing and reports success as soon as the stream opens.
  PingClient(Clock& clock, Random& random, int count, Duration interval, RttCallback on_rtt,
             DoneCallback on_done);
  ~PingClient() override;

  void OnOpen(Libp2pStream& stream) override;
  void OnData(Libp2pStream& stream, std::span<const uint8_t> data) override;
  void OnRemoteClosed(Libp2pStream& stream) override;
  void OnWritable(Libp2pStream& stream) override;
  void OnReset(Libp2pStream& stream, uint64_t app_error_code) override;
  void OnNegotiationFailed(const std::string& reason) override;
  void OnClosed() override;

 private:
  // Sends the next ping now, or arms the timer for it.
  void ScheduleNext();
  void SendPing();
  void OnEcho();
  // Resets the stream and reports `error`.
  void Fail(Libp2pStream& stream, std::string error);
  // Calls on_done once; later calls do nothing.
  void Finish(std::string error);
  void CancelTimer();

  Clock& clock_;
  Random& random_;
  int count_;
  Duration interval_;
  RttCallback on_rtt_;
  DoneCallback on_done_;
  protocols::PingInitiator initiator_;
  PendingOutput output_;
  Libp2pStream* stream_ = nullptr;  // Valid from OnOpen until OnClosed.
  Timestamp sent_at_{};             // When the outstanding ping was written.
  TimerId timer_{};
  PingReport report_;
  bool done_ = false;
};

}  // namespace p2pquic
