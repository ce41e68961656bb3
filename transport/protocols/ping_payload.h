// /ipfs/ping/1.0.0 (github.com/libp2p/specs, ping/ping.md): the initiator
// writes 32 random bytes, the responder echoes them, repeatedly on one
// stream. Round-trip time is the initiator's to measure with its Clock.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "transport/runtime/random.h"

namespace p2pquic::protocols {

inline constexpr std::string_view kPingProtocolId = "/ipfs/ping/1.0.0";
inline constexpr size_t kPingPayloadBytes = 32;

using PingPayload = std::array<uint8_t, kPingPayloadBytes>;

// A fresh payload from the caller's Random (the core draws none of its own).
inline PingPayload DrawPingPayload(Random& random) {
  PingPayload payload;
  random.Fill(payload);
  return payload;
}

}  // namespace p2pquic::protocols
