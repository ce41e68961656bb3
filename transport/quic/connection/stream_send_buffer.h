// StreamSendBuffer: bytes written to one stream, kept until the peer has
// acknowledged them (ngtcp2 retransmits from our memory), in fixed-size
// chunks so appends never move bytes already handed to ngtcp2. It holds
// whatever it is given: its owner decides how much may be appended
// (SendBufferBudget, the stream's send backpressure).
//
// Offsets: acked <= sent <= written, all counted from the stream's start.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <vector>

namespace p2pquic {

class StreamSendBuffer {
 public:
  static constexpr size_t kChunkSize = 16 << 10;

  // Copies all of `data` behind the bytes already written.
  void Append(std::span<const uint8_t> data);
  // Up to `max` contiguous pieces of written-but-unsent bytes, in order.
  size_t UnsentPieces(std::span<std::span<const uint8_t>> out) const;
  void MarkSent(size_t bytes);
  // The peer acknowledged everything below `offset` (no gaps): free it.
  void AckUpTo(uint64_t offset);

  size_t unsent() const { return static_cast<size_t>(written_ - sent_); }
  size_t buffered() const { return static_cast<size_t>(written_ - acked_); }
  uint64_t written() const { return written_; }
  uint64_t sent() const { return sent_; }
  uint64_t acked() const { return acked_; }

 private:
  std::deque<std::unique_ptr<uint8_t[]>> chunks_;  // chunks_[0] starts at base_.
  uint64_t base_ = 0;  // Stream offset of chunks_[0][0] (a multiple of kChunkSize).
  uint64_t acked_ = 0;
  uint64_t sent_ = 0;
  uint64_t written_ = 0;
};

}  // namespace p2pquic
