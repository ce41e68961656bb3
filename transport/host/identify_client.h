// IdentifyClient: the requesting side of /ipfs/id/1.0.0 on one stream. It
// reads the responder's length-prefixed messages (IdentifyReader merges
// them, within the identify limits) until the responder half-closes, then
// half-closes its own side.
//
// on_done runs exactly once: with the merged message when the responder
// ended cleanly (error empty), or with an error on a malformed or truncated
// response (the stream is reset), a reset, a failed negotiation or the
// stream closing early. If the handler is destroyed before any of those
// (OpenStream refused it, or the host was destroyed), on_done runs from the
// destructor, with an error; the host may then be mid-destruction and must
// not be used from it.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "transport/host/stream_handler.h"
#include "transport/protocols/identify_message.h"
#include "transport/protocols/identify_reader.h"

namespace p2pquic {

struct IdentifyReport {
  std::string error;                   // Empty on success.
  protocols::IdentifyMessage message;  // Meaningful only on success.
};

class IdentifyClient final : public StreamHandler {
 public:
  using DoneCallback = std::function<void(const IdentifyReport& report)>;

  explicit IdentifyClient(DoneCallback on_done);
  ~IdentifyClient() override;

  void OnOpen(Libp2pStream& stream) override;
  void OnData(Libp2pStream& stream, std::span<const uint8_t> data) override;
  void OnRemoteClosed(Libp2pStream& stream) override;
  void OnReset(Libp2pStream& stream, uint64_t app_error_code) override;
  void OnNegotiationFailed(const std::string& reason) override;
  void OnClosed() override;

 private:
  // Resets the stream and reports `error`.
  void Fail(Libp2pStream& stream, std::string error);
  // Calls on_done once; later calls do nothing.
  void Finish(std::string error);

  DoneCallback on_done_;
  protocols::IdentifyReader reader_;
  bool done_ = false;
};

}  // namespace p2pquic
