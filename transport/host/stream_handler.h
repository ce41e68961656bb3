// The application side of one negotiated libp2p stream.
//
// Libp2pStream: what a handler may do to its stream. Writes are buffered in
// the QUIC stream's bounded send buffer; Write returns how much it took,
// and OnWritable says when there is room again (backpressure, never a
// silent drop).
//
// StreamHandler: what happens on the stream. Callbacks run on the host's
// thread; a handler may write, close or reset its own stream from them. The
// host owns the handler and destroys it after OnClosed.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "transport/routing/connection_handle.h"
#include "transport/identity/peer_id.h"

namespace p2pquic {

class Libp2pStream {
 public:
  virtual ~Libp2pStream() = default;
  virtual size_t Write(std::span<const uint8_t> data) = 0;
  // Half-close: FIN after the buffered bytes.
  virtual void CloseWrite() = 0;
  // Abort both directions with an application error code.
  virtual void Reset(uint64_t app_error_code) = 0;
  virtual size_t WriteSpace() const = 0;
  virtual const std::string& protocol() const = 0;
  virtual const PeerId& peer() const = 0;
  virtual ConnectionHandle connection() const = 0;
};

class StreamHandler {
 public:
  virtual ~StreamHandler() = default;
  // The protocol is agreed; the handler may start writing.
  virtual void OnOpen(Libp2pStream& stream) = 0;
  virtual void OnData(Libp2pStream& stream, std::span<const uint8_t> data) = 0;
  // The peer half-closed: no more data will arrive.
  virtual void OnRemoteClosed(Libp2pStream& stream) = 0;
  virtual void OnWritable(Libp2pStream&) {}
  // The peer reset its side, or stopped reading ours.
  virtual void OnReset(Libp2pStream& stream, uint64_t app_error_code) = 0;
  // Negotiation failed: no protocol in common (outbound streams only).
  virtual void OnNegotiationFailed(const std::string& reason) = 0;
  // The stream is gone; the handler is destroyed right after.
  virtual void OnClosed() {}
};

}  // namespace p2pquic
