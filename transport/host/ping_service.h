// PingService: the responding side of /ipfs/ping/1.0.0. Echoes every whole
// 32-byte payload (PingResponder reassembles split ones) and half-closes
// once the peer has half-closed and every echo is written. Echoes the
// stream does not take at once wait in a bounded PendingOutput; a peer that
// keeps pinging without reading its echoes gets the stream reset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "transport/host/libp2p_host.h"
#include "transport/host/pending_output.h"
#include "transport/host/stream_handler.h"
#include "transport/protocols/ping_responder.h"

namespace p2pquic {

// Echo bytes held back when the peer does not read (2048 payloads).
inline constexpr size_t kMaxPendingEchoBytes = 64 * 1024;

class PingService final : public StreamHandler {
 public:
  // Serves /ipfs/ping/1.0.0 on `host`'s inbound streams.
  static void Register(Libp2pHost& host);

  PingService();

  void OnOpen(Libp2pStream& stream) override;
  void OnData(Libp2pStream& stream, std::span<const uint8_t> data) override;
  void OnRemoteClosed(Libp2pStream& stream) override;
  void OnWritable(Libp2pStream& stream) override;
  void OnReset(Libp2pStream& stream, uint64_t app_error_code) override;
  void OnNegotiationFailed(const std::string& reason) override;

 private:
  // Half-closes once the peer has and nothing is left to echo.
  void MaybeCloseWrite(Libp2pStream& stream);

  protocols::PingResponder responder_;
  PendingOutput echoes_;
  bool remote_closed_ = false;
  bool write_closed_ = false;
};

}  // namespace p2pquic
