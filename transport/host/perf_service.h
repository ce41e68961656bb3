// PerfService: the serving side of /perf/1.0.0. Reads the 8-byte request,
// counts and drops the upload until the client half-closes, then writes the
// requested number of bytes (PerfServer) as fast as the stream takes them:
// each Write takes what fits, the rest follows on OnWritable. Half-closes
// when everything is written; a malformed request (or a peer reset) resets
// the stream.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "transport/host/libp2p_host.h"
#include "transport/host/stream_handler.h"
#include "transport/protocols/perf_protocol.h"
#include "transport/protocols/perf_server.h"

namespace p2pquic {

class PerfService final : public StreamHandler {
 public:
  // Serves /perf/1.0.0 on `host`'s inbound streams, any request size.
  static void Register(Libp2pHost& host);

  // Requests above `max_send_bytes` are refused (the stream is reset).
  explicit PerfService(uint64_t max_send_bytes = protocols::kPerfUnlimited);

  void OnOpen(Libp2pStream& stream) override;
  void OnData(Libp2pStream& stream, std::span<const uint8_t> data) override;
  void OnRemoteClosed(Libp2pStream& stream) override;
  void OnWritable(Libp2pStream& stream) override;
  void OnReset(Libp2pStream& stream, uint64_t app_error_code) override;
  void OnNegotiationFailed(const std::string& reason) override;

 private:
  // Writes until the stream pushes back or everything is sent; then half-closes.
  void Pump(Libp2pStream& stream);
  void Abort(Libp2pStream& stream);

  protocols::PerfServer server_;
  bool finished_ = false;  // Half-closed or reset: nothing more to do.
};

}  // namespace p2pquic
