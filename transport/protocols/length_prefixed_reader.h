// LengthPrefixedReader: reassembles <uvarint length><payload> frames from a
// byte stream that arrives in arbitrary pieces. The frame length is checked
// against a maximum before any payload is buffered, so a peer cannot make the
// reader hold more than that maximum.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "transport/protocols/uvarint_decoder.h"

namespace p2pquic::protocols {

enum class FrameStatus : uint8_t {
  kNeedMore,            // All input consumed; the current frame is not complete yet.
  kComplete,            // frame() holds one complete payload.
  kLengthOverlong,      // The length prefix is not minimally encoded.
  kLengthTooManyBytes,  // The length prefix is longer than 9 bytes.
  kTooLong,             // The length prefix announces more than the maximum.
};

const char* ToString(FrameStatus status);

class LengthPrefixedReader {
 public:
  explicit LengthPrefixedReader(size_t max_payload_bytes);

  // Consumes bytes from the front of `in` (advancing it) until one frame
  // completes or `in` is empty; bytes after a completed frame stay in `in`.
  // After kComplete, frame() is valid until the next call, which starts the
  // next frame. Errors are final: later calls return them and consume nothing.
  FrameStatus Next(std::span<const uint8_t>& in);

  // The payload of the frame just completed.
  std::span<const uint8_t> frame() const { return payload_; }

  // Part of a frame (length or payload bytes) has been consumed but the frame
  // is not complete: a stream ending now cuts a frame short.
  bool InsideFrame() const;

 private:
  FrameStatus ReadLength(std::span<const uint8_t>& in);
  FrameStatus ReadPayload(std::span<const uint8_t>& in);
  void StartFrame();

  size_t max_payload_bytes_;
  UvarintDecoder length_;
  bool have_length_ = false;
  size_t expected_ = 0;
  std::vector<uint8_t> payload_;
  FrameStatus status_ = FrameStatus::kNeedMore;
};

}  // namespace p2pquic::protocols
