// TransferReceiver: the accepting end of a transfer test protocol stream
// (transfer_payload.h). It reads the tag, then hashes the payload into the
// record its workload keeps for that tag; on the sender's FIN it marks the
// record finished and half-closes its own (empty) side, so the stream ends
// on both hosts.
//
// Contract: `find_record` returns the record for a tag; records outlive the
// handler.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "scenarios/runner/transfer_payload.h"
#include "transport/host/stream_handler.h"

namespace p2pquic::scenarios {

class TransferReceiver final : public StreamHandler {
 public:
  using RecordFor = std::function<StreamRecord&(uint64_t tag)>;
  explicit TransferReceiver(RecordFor record_for);

  void OnOpen(Libp2pStream&) override {}
  void OnData(Libp2pStream& stream, std::span<const uint8_t> data) override;
  void OnRemoteClosed(Libp2pStream& stream) override;
  void OnReset(Libp2pStream& stream, uint64_t app_error_code) override;
  void OnNegotiationFailed(const std::string&) override {}

 private:
  RecordFor record_for_;
  std::array<uint8_t, kTransferTagBytes> header_{};
  size_t header_received_ = 0;
  StreamRecord* record_ = nullptr;  // Once the tag is in.
  StreamHash hash_;
};

}  // namespace p2pquic::scenarios
