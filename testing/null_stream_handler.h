// NullStreamHandler: a StreamHandler that does nothing, for test handlers
// to override only the callbacks they script.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "transport/host/stream_handler.h"

namespace p2pquic::testing {

class NullStreamHandler : public StreamHandler {
 public:
  void OnOpen(Libp2pStream&) override {}
  void OnData(Libp2pStream&, std::span<const uint8_t>) override {}
  void OnRemoteClosed(Libp2pStream&) override {}
  void OnReset(Libp2pStream&, uint64_t) override {}
  void OnNegotiationFailed(const std::string&) override {}
};

}  // namespace p2pquic::testing
