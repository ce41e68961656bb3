#include "scenarios/runner/transfer_receiver.h"

#include <utility>

namespace p2pquic::scenarios {

TransferReceiver::TransferReceiver(RecordFor record_for) : record_for_(std::move(record_for)) {}

void TransferReceiver::OnData(Libp2pStream&, std::span<const uint8_t> data) {
  while (record_ == nullptr && !data.empty()) {
    header_[header_received_++] = data.front();
    data = data.subspan(1);
    if (header_received_ == kTransferTagBytes) {
      uint64_t tag = 0;
      for (uint8_t b : header_) tag = (tag << 8) | b;
      record_ = &record_for_(tag);
      record_->tag = tag;
    }
  }
  if (record_ == nullptr) return;
  hash_.Update(data);
  record_->payload_bytes += data.size();
  record_->hash = hash_.value();
}

void TransferReceiver::OnRemoteClosed(Libp2pStream& stream) {
  if (record_ != nullptr) record_->fin = true;
  stream.CloseWrite();
}

void TransferReceiver::OnReset(Libp2pStream&, uint64_t) {
  if (record_ != nullptr) record_->reset = true;
}

}  // namespace p2pquic::scenarios
