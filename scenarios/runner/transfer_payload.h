// The transfer test protocol's data: what a stream of
// /p2pquic/sim/transfer/1.0.0 carries and how each end accounts for it.
//
// Wire format: an 8-byte big-endian stream tag (the scenario's stream
// index), then the payload. The payload is a pure function of (tag,
// offset), so a receiver knows what it should have got and both ends hash
// the same bytes; nothing else is written either way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace p2pquic::scenarios {

inline constexpr std::string_view kTransferProtocol = "/p2pquic/sim/transfer/1.0.0";
inline constexpr size_t kTransferTagBytes = 8;

// FNV-1a, 64 bit, over a byte stream fed in pieces.
class StreamHash {
 public:
  void Update(std::span<const uint8_t> bytes);
  uint64_t value() const { return value_; }

 private:
  uint64_t value_ = 14695981039346656037ULL;
};

// The payload byte at `offset` of the stream tagged `tag`.
uint8_t PayloadByte(uint64_t tag, uint64_t offset);
// PayloadByte for `out.size()` bytes from `offset`.
void FillPayload(uint64_t tag, uint64_t offset, std::span<uint8_t> out);

// What one stream carried, from one end's point of view.
struct StreamRecord {
  uint64_t tag = 0;
  uint64_t payload_bytes = 0;  // Sent (accepted by the stream) or received.
  uint64_t hash = 0;           // Of the payload bytes.
  bool fin = false;            // FIN sent (all bytes accepted) or received.
  bool reset = false;          // The receiver saw RESET_STREAM / the sender STOP_SENDING.
};

}  // namespace p2pquic::scenarios
