#include "scenarios/runner/transfer_sender.h"

#include <algorithm>
#include <utility>

namespace p2pquic::scenarios {
namespace {

constexpr size_t kChunkBytes = 16 << 10;  // Payload generated per Write.

}  // namespace

TransferSender::TransferSender(uint64_t tag, StreamRecord& record, std::function<void()> on_closed)
    : tag_(tag), record_(record), on_closed_(std::move(on_closed)) {
  for (size_t i = 0; i < kTransferTagBytes; ++i) {
    header_[i] = static_cast<uint8_t>(tag >> (8 * (kTransferTagBytes - 1 - i)));
  }
  record_.tag = tag;
}

TransferSender::~TransferSender() { NotifyClosed(); }

void TransferSender::Queue(uint64_t bytes, bool fin) {
  queued_ += bytes;
  fin_wanted_ = fin_wanted_ || fin;
  if (stream_ != nullptr) Pump(*stream_);
}

void TransferSender::Reset(uint64_t code) {
  if (stream_ == nullptr) {
    reset_wanted_ = code;  // Negotiation still runs: reset once it is done.
    return;
  }
  record_.reset = true;
  stream_->Reset(code);
}

void TransferSender::OnOpen(Libp2pStream& stream) {
  stream_ = &stream;
  if (reset_wanted_) return Reset(*reset_wanted_);
  Pump(stream);
}

void TransferSender::Pump(Libp2pStream& stream) {
  if (record_.fin || record_.reset) return;
  while (header_sent_ < kTransferTagBytes) {
    const size_t accepted = stream.Write(std::span(header_).subspan(header_sent_));
    header_sent_ += accepted;
    if (accepted == 0) return;  // OnWritable resumes.
  }
  std::array<uint8_t, kChunkBytes> chunk;
  while (record_.payload_bytes < queued_) {
    // At most the free space (bytes made and thrown away cost a busy run
    // most of its time), but never zero: a short write is what asks the
    // connection for OnWritable.
    const size_t space = std::max<size_t>(stream.WriteSpace(), 1);
    const size_t size = static_cast<size_t>(
        std::min<uint64_t>({kChunkBytes, queued_ - record_.payload_bytes, space}));
    FillPayload(tag_, record_.payload_bytes, std::span(chunk).first(size));
    const size_t accepted = stream.Write(std::span(chunk).first(size));
    hash_.Update(std::span(chunk).first(accepted));
    record_.payload_bytes += accepted;
    record_.hash = hash_.value();
    if (accepted < size) return;
  }
  if (fin_wanted_) {
    stream.CloseWrite();
    record_.fin = true;
  }
}

void TransferSender::OnReset(Libp2pStream&, uint64_t) { record_.reset = true; }

void TransferSender::OnNegotiationFailed(const std::string&) {}

void TransferSender::OnClosed() {
  stream_ = nullptr;
  NotifyClosed();
}

void TransferSender::NotifyClosed() {
  if (on_closed_) std::exchange(on_closed_, nullptr)();
}

}  // namespace p2pquic::scenarios
