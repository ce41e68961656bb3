// PingInitiator: the measuring side of /ipfs/ping/1.0.0. One ping is
// outstanding at a time: Start records the payload the caller writes (drawn
// with DrawPingPayload), Feed checks the echo byte for byte. The caller reads
// its Clock at Start and again when Feed says kEchoMatched.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "transport/protocols/ping_payload.h"

namespace p2pquic::protocols {

enum class PingInitiatorResult : uint8_t {
  kOk,              // Start: the payload is outstanding; write it now.
  kBusy,            // Start: a ping is already outstanding (nothing changed).
  kNeedMore,        // Feed: the echo is not complete yet.
  kEchoMatched,     // Feed: the echo is complete and equal: one round trip.
  kEchoMismatch,    // The echo differs from the payload sent. Final.
  kUnexpectedData,  // Bytes beyond the outstanding echo. Final.
  kTruncatedEcho,   // PeerClosed with an echo outstanding. Final.
};

const char* ToString(PingInitiatorResult result);

class PingInitiator {
 public:
  // Makes `payload` the outstanding ping. After a final result, returns it.
  PingInitiatorResult Start(const PingPayload& payload);

  // Bytes read from the stream. After a final result, returns it.
  PingInitiatorResult Feed(std::span<const uint8_t> in);

  // The peer closed its side: kOk, or kTruncatedEcho if a ping was outstanding.
  PingInitiatorResult PeerClosed();

  bool outstanding() const { return outstanding_; }
  uint64_t completed_pings() const { return completed_pings_; }

 private:
  PingInitiatorResult Fail(PingInitiatorResult result);

  PingPayload payload_{};
  size_t echoed_bytes_ = 0;  // Bytes of payload_ already matched.
  bool outstanding_ = false;
  uint64_t completed_pings_ = 0;
  PingInitiatorResult failure_ = PingInitiatorResult::kOk;  // kOk while healthy.
};

}  // namespace p2pquic::protocols
