// ScopedFlush: an RAII flush of a SocketSink. What the connections write
// inside a scope is collected (GSO runs) and sent when the scope ends; a
// scope opened while another over the same FlushNesting is open flushes
// nothing itself, so nested scopes flush once, when the outermost ends (as
// QUICHE's ScopedPacketFlusher). This is what keeps a write pass started
// from inside another (a delegate that dials from a callback) from cutting
// the outer pass's batch in two.
//
// Contract: the FlushNesting and the sink outlive the scope; scopes over one
// FlushNesting end in the reverse order they began (stack objects do).
#pragma once

#include <cstdint>

#include "transport/quic/endpoint/socket_sink.h"

namespace p2pquic {

// Whether a ScopedFlush over this state is open: the owner of the sink
// keeps one, starting at kNone.
enum class FlushNesting : uint8_t {
  kNone,  // No scope open: the next one to begin is the outermost.
  kOpen,  // The outermost scope is open: it flushes when it ends.
};
const char* ToString(FlushNesting nesting);

class ScopedFlush {
 public:
  ScopedFlush(FlushNesting& nesting, SocketSink& sink);
  ~ScopedFlush();
  ScopedFlush(const ScopedFlush&) = delete;
  ScopedFlush& operator=(const ScopedFlush&) = delete;

  // Whether this scope is the outermost (the one that flushes).
  bool outermost() const { return outermost_; }

 private:
  FlushNesting& nesting_;
  SocketSink& sink_;
  bool outermost_;
};

}  // namespace p2pquic
