#include "transport/quic/connection/stream_send_buffer.h"

#include <algorithm>
#include <cstring>

namespace p2pquic {

void StreamSendBuffer::Append(std::span<const uint8_t> data) {
  const size_t take = data.size();
  size_t copied = 0;
  while (copied < take) {
    const uint64_t end = base_ + chunks_.size() * kChunkSize;
    if (written_ == end) chunks_.push_back(std::make_unique<uint8_t[]>(kChunkSize));
    const size_t in_chunk = static_cast<size_t>((written_ - base_) % kChunkSize);
    const size_t n = std::min(take - copied, kChunkSize - in_chunk);
    std::memcpy(chunks_.back().get() + in_chunk, data.data() + copied, n);
    copied += n;
    written_ += n;
  }
}

size_t StreamSendBuffer::UnsentPieces(std::span<std::span<const uint8_t>> out) const {
  size_t count = 0;
  uint64_t offset = sent_;
  while (count < out.size() && offset < written_) {
    const size_t chunk = static_cast<size_t>((offset - base_) / kChunkSize);
    const size_t in_chunk = static_cast<size_t>((offset - base_) % kChunkSize);
    const size_t n =
        static_cast<size_t>(std::min<uint64_t>(kChunkSize - in_chunk, written_ - offset));
    out[count++] = {chunks_[chunk].get() + in_chunk, n};
    offset += n;
  }
  return count;
}

void StreamSendBuffer::MarkSent(size_t bytes) {
  sent_ = std::min<uint64_t>(sent_ + bytes, written_);
}

void StreamSendBuffer::AckUpTo(uint64_t offset) {
  acked_ = std::max(acked_, std::min(offset, sent_));
  while (!chunks_.empty() && base_ + kChunkSize <= acked_) {
    chunks_.pop_front();
    base_ += kChunkSize;
  }
}

}  // namespace p2pquic
