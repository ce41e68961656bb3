// IdentifyService: the responding side of /ipfs/id/1.0.0. On each stream it
// writes one length-prefixed IdentifyMessage describing `host`, then
// half-closes; anything the peer sends is ignored. The message:
//   publicKey       the host key (libp2p PublicKey protobuf);
//   listenAddrs     the host's listen address, without /p2p/;
//   observedAddr    the peer's address as this host sees it (omitted if
//                   the connection has no known remote address);
//   protocols       every protocol the host serves;
//   protocolVersion, agentVersion from the host options.
// A message that cannot be encoded (over the identify limits) resets the
// stream instead.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "transport/host/libp2p_host.h"
#include "transport/host/pending_output.h"
#include "transport/host/stream_handler.h"
#include "transport/protocols/identify_message.h"

namespace p2pquic {

class IdentifyService final : public StreamHandler {
 public:
  // Serves /ipfs/id/1.0.0 on `host`'s inbound streams.
  static void Register(Libp2pHost& host);

  // `host` must outlive the handler (it does: the host owns its handlers).
  explicit IdentifyService(const Libp2pHost& host);

  // What this host tells the peer on `connection`.
  static protocols::IdentifyMessage Describe(const Libp2pHost& host, ConnectionHandle connection);

  void OnOpen(Libp2pStream& stream) override;
  void OnData(Libp2pStream& stream, std::span<const uint8_t> data) override;
  void OnRemoteClosed(Libp2pStream& stream) override;
  void OnWritable(Libp2pStream& stream) override;
  void OnReset(Libp2pStream& stream, uint64_t app_error_code) override;
  void OnNegotiationFailed(const std::string& reason) override;

 private:
  // Half-closes once the whole frame is written.
  void MaybeCloseWrite(Libp2pStream& stream);

  const Libp2pHost& host_;
  PendingOutput output_;
  bool write_closed_ = false;
};

}  // namespace p2pquic
