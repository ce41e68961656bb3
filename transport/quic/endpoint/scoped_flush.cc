#include "transport/quic/endpoint/scoped_flush.h"

namespace p2pquic {

const char* ToString(FlushNesting nesting) {
  switch (nesting) {
    case FlushNesting::kNone:
      return "none";
    case FlushNesting::kOpen:
      return "open";
  }
  return "?";
}

ScopedFlush::ScopedFlush(FlushNesting& nesting, SocketSink& sink)
    : nesting_(nesting), sink_(sink), outermost_(nesting == FlushNesting::kNone) {
  nesting_ = FlushNesting::kOpen;
}

ScopedFlush::~ScopedFlush() {
  if (!outermost_) return;
  // Closed before the flush: a write pass the flush itself sets off (none
  // does today) would open a scope of its own and flush it.
  nesting_ = FlushNesting::kNone;
  sink_.Flush();
}

}  // namespace p2pquic
