// TransferSender: the opening (sending) end of a transfer test protocol
// stream (transfer_payload.h). Once the protocol is agreed it writes the tag,
// then the payload bytes queued so far, as fast as the stream takes them
// (the rest on OnWritable: backpressure, never a drop), then FIN once asked.
// It reads nothing; the receiver half-closes when it has everything.
//
// Contract: `record` outlives the handler (the workload's records outlive
// every host life). `on_closed` runs once when the stream is gone (OnClosed,
// or the destructor if the host dropped the handler first), so the
// workload stops using the handler.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "scenarios/runner/transfer_payload.h"
#include "transport/host/stream_handler.h"

namespace p2pquic::scenarios {

class TransferSender final : public StreamHandler {
 public:
  TransferSender(uint64_t tag, StreamRecord& record, std::function<void()> on_closed);
  ~TransferSender() override;

  // `bytes` more payload bytes, then FIN if `fin`.
  void Queue(uint64_t bytes, bool fin);
  // Aborts both directions (RESET_STREAM and STOP_SENDING with `code`);
  // before the protocol is agreed, as soon as it is.
  void Reset(uint64_t code);

  void OnOpen(Libp2pStream& stream) override;
  void OnData(Libp2pStream&, std::span<const uint8_t>) override {}
  void OnRemoteClosed(Libp2pStream&) override {}
  void OnWritable(Libp2pStream& stream) override { Pump(stream); }
  void OnReset(Libp2pStream& stream, uint64_t app_error_code) override;
  void OnNegotiationFailed(const std::string& reason) override;
  void OnClosed() override;

 private:
  // Writes as much as the stream takes: the tag, the payload, then FIN.
  void Pump(Libp2pStream& stream);
  void NotifyClosed();

  uint64_t tag_;
  StreamRecord& record_;
  std::function<void()> on_closed_;
  std::array<uint8_t, kTransferTagBytes> header_{};
  size_t header_sent_ = 0;
  uint64_t queued_ = 0;  // Payload bytes asked for so far.
  bool fin_wanted_ = false;
  std::optional<uint64_t> reset_wanted_;
  StreamHash hash_;
  Libp2pStream* stream_ = nullptr;  // From OnOpen until OnClosed.
};

}  // namespace p2pquic::scenarios
