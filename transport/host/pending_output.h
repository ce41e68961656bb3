// PendingOutput: the bytes a handler has produced but its stream has not
// taken yet. Libp2pStream::Write takes only what fits in the send buffer;
// the rest waits here until OnWritable, in order, so nothing is dropped.
// Bounded: a peer that never reads cannot make a handler buffer without
// limit; Write refuses (and queues nothing) past the bound, and the handler
// decides what to do (typically reset the stream).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "transport/host/stream_handler.h"

namespace p2pquic {

enum class PendingWriteResult : uint8_t {
  kOk,        // Written, or queued for Flush.
  kOverflow,  // Queuing the rest would exceed the bound: nothing was written.
};

const char* ToString(PendingWriteResult result);

class PendingOutput {
 public:
  explicit PendingOutput(size_t max_pending_bytes);

  // Writes `data` after anything already queued; what the stream does not
  // take is queued. kOverflow (nothing written or queued) if the queue would
  // grow beyond the bound, judged by the stream's WriteSpace() (a stream
  // that takes less than that may leave the queue that much over).
  PendingWriteResult Write(Libp2pStream& stream, std::span<const uint8_t> data);

  // Writes what is queued, as far as the stream takes it (call on OnWritable).
  void Flush(Libp2pStream& stream);

  bool empty() const { return queued_.empty(); }
  size_t size() const { return queued_.size(); }

 private:
  size_t max_pending_bytes_;
  std::vector<uint8_t> queued_;  // Front first; at most max_pending_bytes_.
};

}  // namespace p2pquic
