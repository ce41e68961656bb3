// PerfClient: the measuring side of /perf/1.0.0 on one stream. It offers the
// 8-byte request and the upload to write, then says when to half-close, and
// counts the download against what it asked for. Timing is the caller's
// (its Clock); a timer-based run may simply stop early.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "transport/protocols/perf_output.h"
#include "transport/protocols/perf_protocol.h"

namespace p2pquic::protocols {

enum class PerfClientState : uint8_t {
  kUploading,    // Write NextChunk() until it is empty.
  kDownloading,  // Upload written: half-close the stream, read until the server ends.
  kDone,         // Exactly the requested bytes arrived and the server ended.
  kFailed,       // A PerfResult error was returned; reset the stream.
};

const char* ToString(PerfClientState state);

class PerfClient {
 public:
  PerfClient(uint64_t upload_bytes, uint64_t download_bytes);

  // The request header, then the upload; empty once all is written.
  std::span<const uint8_t> NextChunk() const;
  // The caller wrote the first `bytes` of NextChunk().
  PerfResult Advance(size_t bytes);

  // Download bytes read from the stream. kUnexpectedData past the bytes
  // requested or after the server ended. Errors are final.
  PerfResult Feed(std::span<const uint8_t> in);
  // The server ended its side: kByteCountMismatch if bytes are missing.
  PerfResult FinishInput();

  PerfClientState state() const;
  uint64_t uploaded_bytes() const { return output_.body_bytes_sent(); }
  uint64_t downloaded_bytes() const { return downloaded_bytes_; }

 private:
  PerfResult Fail(PerfResult result);

  uint64_t download_bytes_;
  uint64_t downloaded_bytes_ = 0;
  bool input_finished_ = false;
  PerfOutput output_;
  PerfResult failure_ = PerfResult::kOk;  // kOk while healthy.
};

}  // namespace p2pquic::protocols
