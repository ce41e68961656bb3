// PingResponder: the echo side of /ipfs/ping/1.0.0. Payloads arrive in any
// pieces; each complete 32-byte payload is returned for echoing, a partial
// one is held (at most 31 bytes) until the rest arrives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "transport/protocols/ping_payload.h"

namespace p2pquic::protocols {

enum class PingResponderResult : uint8_t {
  kClean,           // The peer ended after whole payloads only.
  kPartialPayload,  // The peer ended inside a payload; those bytes are dropped.
};

const char* ToString(PingResponderResult result);

class PingResponder {
 public:
  // Bytes read from the stream. Returns the bytes to write back: every
  // payload this input completed, in order (a multiple of 32 bytes).
  std::vector<uint8_t> Feed(std::span<const uint8_t> in);

  // The peer closed its side of the stream: whether it left a payload unfinished.
  PingResponderResult Finish() const;

  uint64_t echoed_payloads() const { return echoed_payloads_; }

 private:
  PingPayload partial_{};
  size_t partial_bytes_ = 0;
  uint64_t echoed_payloads_ = 0;
};

}  // namespace p2pquic::protocols
