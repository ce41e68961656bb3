#include "transport/host/pending_output.h"

#include <algorithm>

namespace p2pquic {

const char* ToString(PendingWriteResult result) {
  switch (result) {
    case PendingWriteResult::kOk:
      return "ok";
    case PendingWriteResult::kOverflow:
      return "the peer is not reading: too much output is waiting";
  }
  return "unknown";
}

PendingOutput::PendingOutput(size_t max_pending_bytes) : max_pending_bytes_(max_pending_bytes) {}

PendingWriteResult PendingOutput::Write(Libp2pStream& stream, std::span<const uint8_t> data) {
  Flush(stream);
  // Order matters: new bytes go straight to the stream only behind nothing.
  const size_t direct = queued_.empty() ? std::min(data.size(), stream.WriteSpace()) : 0;
  if (queued_.size() + (data.size() - direct) > max_pending_bytes_) {
    return PendingWriteResult::kOverflow;
  }
  const size_t taken = queued_.empty() && !data.empty() ? stream.Write(data) : 0;
  queued_.insert(queued_.end(), data.begin() + static_cast<std::ptrdiff_t>(taken), data.end());
  return PendingWriteResult::kOk;
}

void PendingOutput::Flush(Libp2pStream& stream) {
  if (queued_.empty()) return;
  const size_t taken = stream.Write(queued_);
  queued_.erase(queued_.begin(), queued_.begin() + static_cast<std::ptrdiff_t>(taken));
}

}  // namespace p2pquic
