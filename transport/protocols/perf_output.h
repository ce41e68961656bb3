// PerfOutput: what one side of /perf/1.0.0 still has to write: an optional
// 8-byte header, then a count of zero bytes. Offered in chunks of at most
// kMaxPerfChunkBytes from one shared zero buffer, so no buffer grows with
// the transfer, and partial writes (flow control) are simply advanced over.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "transport/protocols/perf_protocol.h"

namespace p2pquic::protocols {

class PerfOutput {
 public:
  // Nothing to send.
  PerfOutput() = default;

  // The 8-byte big-endian `header_value`, then `body_bytes` zeros (the client).
  static PerfOutput WithHeader(uint64_t header_value, uint64_t body_bytes);
  // `body_bytes` zeros (the server).
  static PerfOutput BodyOnly(uint64_t body_bytes);

  // The next bytes to write; empty once everything is written. Valid until
  // the next Advance.
  std::span<const uint8_t> NextChunk() const;

  // The caller wrote the first `bytes` of NextChunk(). kAdvanceTooFar
  // (nothing changes) if that is more than NextChunk() offered.
  PerfResult Advance(size_t bytes);

  bool Done() const { return header_sent_ == header_bytes_ && body_remaining_ == 0; }
  uint64_t body_bytes_sent() const { return body_sent_; }

 private:
  std::array<uint8_t, kPerfHeaderBytes> header_{};
  size_t header_bytes_ = 0;
  size_t header_sent_ = 0;
  uint64_t body_remaining_ = 0;
  uint64_t body_sent_ = 0;
};

}  // namespace p2pquic::protocols
