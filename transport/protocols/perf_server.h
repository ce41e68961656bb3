// PerfServer: the serving side of /perf/1.0.0 on one stream. It reads the
// 8-byte request, counts and drops the upload until the client ends its
// side, then offers the requested number of bytes; it never sends while the
// upload runs (the spec forbids it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "transport/protocols/perf_output.h"
#include "transport/protocols/perf_protocol.h"

namespace p2pquic::protocols {

enum class PerfServerState : uint8_t {
  kReadingHeader,  // Fewer than 8 bytes so far.
  kReceiving,      // Header read; counting the upload until the client ends its side.
  kSending,        // Write NextChunk() until it is empty.
  kDone,           // Everything requested is written: close the stream.
  kFailed,         // A PerfResult error was returned; reset the stream.
};

const char* ToString(PerfServerState state);

class PerfServer {
 public:
  // Requests above `max_send_bytes` fail with kRequestTooLarge.
  explicit PerfServer(uint64_t max_send_bytes = kPerfUnlimited);

  // Bytes read from the stream. kUnexpectedData once the client has ended
  // its side. Errors are final: later calls return them.
  PerfResult Feed(std::span<const uint8_t> in);

  // The client ended its side of the stream: sending starts (kShortHeader
  // if the request never arrived whole).
  PerfResult FinishInput();

  // The next bytes to write; empty unless kSending.
  std::span<const uint8_t> NextChunk() const;

  // The caller wrote the first `bytes` of NextChunk(). Writing the last one
  // makes the state kDone.
  PerfResult Advance(size_t bytes);

  PerfServerState state() const;
  uint64_t requested_bytes() const { return requested_bytes_; }
  uint64_t received_bytes() const { return received_bytes_; }  // Upload, header excluded.
  uint64_t sent_bytes() const { return output_.body_bytes_sent(); }

 private:
  size_t ReadHeader(std::span<const uint8_t> in);
  PerfResult Fail(PerfResult result);

  uint64_t max_send_bytes_;
  size_t header_bytes_ = 0;  // Of the 8-byte request read so far.
  uint64_t requested_bytes_ = 0;
  uint64_t received_bytes_ = 0;
  bool input_finished_ = false;
  PerfOutput output_;
  PerfResult failure_ = PerfResult::kOk;  // kOk while healthy.
};

}  // namespace p2pquic::protocols
