// PerfClientHandler: the measuring side of /perf/1.0.0 on one stream. Once
// the stream opens it writes the 8-byte request and `upload_bytes` (as fast
// as the stream takes them: each Write takes what fits, the rest follows on
// OnWritable), half-closes, then counts the download until the server
// half-closes.
//
// Timings come from Clock::Now(): upload_time from OnOpen until the upload
// is handed to the stream and half-closed; download_time from then until
// the server's end; total_time from OnOpen to the report (negotiation is
// not included).
//
// on_done runs exactly once: when the server ends after exactly the bytes
// asked for (error empty); or with an error when the counts disagree, the
// server ends before the upload is done, the stream is reset, negotiation
// fails or the stream closes early. If the handler is destroyed before any
// of those (OpenStream refused it, or the host was destroyed), on_done runs
// from the destructor, with an error; the host may then be mid-destruction
// and must not be used from it. The report's counts say how far it got.
// The clock must outlive the handler (the destructor reads it).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "transport/runtime/clock.h"
#include "transport/host/stream_handler.h"
#include "transport/protocols/perf_client.h"
#include "transport/base/time.h"

namespace p2pquic {

struct PerfReport {
  uint64_t uploaded = 0;    // Upload bytes handed to the stream (header excluded).
  uint64_t downloaded = 0;  // Download bytes received.
  Duration upload_time{};
  Duration download_time{};
  Duration total_time{};
  std::string error;  // Empty on success.
};

class PerfClientHandler final : public StreamHandler {
 public:
  using DoneCallback = std::function<void(const PerfReport& report)>;

  PerfClientHandler(Clock& clock, uint64_t upload_bytes, uint64_t download_bytes,
                    DoneCallback on_done);
  ~PerfClientHandler() override;

  void OnOpen(Libp2pStream& stream) override;
  void OnData(Libp2pStream& stream, std::span<const uint8_t> data) override;
  void OnRemoteClosed(Libp2pStream& stream) override;
  void OnWritable(Libp2pStream& stream) override;
  void OnReset(Libp2pStream& stream, uint64_t app_error_code) override;
  void OnNegotiationFailed(const std::string& reason) override;
  void OnClosed() override;

 private:
  // Writes until the stream pushes back or the upload is out; then half-closes.
  void Pump(Libp2pStream& stream);
  // Resets the stream and reports `error`.
  void Fail(Libp2pStream& stream, std::string error);
  // Calls on_done once, with the counts and timings so far.
  void Finish(std::string error);

  Clock& clock_;
  DoneCallback on_done_;
  protocols::PerfClient client_;
  bool opened_ = false;
  bool upload_closed_ = false;  // Our side half-closed.
  Timestamp opened_at_{};
  Timestamp upload_done_at_{};
  bool done_ = false;
};

}  // namespace p2pquic
