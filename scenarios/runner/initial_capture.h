// CaptureClientInitial: the first datagram a real client sends when it dials
// `target`: a client Initial, which a flood of kind initial_replay replays
// byte for byte from its spoofed sources (the measured attack of issue 11
// replayed one captured Initial from many ports).
//
// The client is a throwaway: a host built as p2pquic-node builds one
// (node::BuildNodeHost), with an identity and randomness seeded from `seed`,
// dialing from its own address in a private simulated world of its own
// (its own event queue, clock and network), so capturing draws nothing
// from the run's network or hosts and leaves their runs as they were.
// Its DCID and keys come from `seed`; what TLS draws inside itself is as
// deterministic as the process makes it (sim/deterministic_process.h), as
// for every host of the run.
//
// Contract: single-threaded; returns when the Initial was caught or the
// private world ran kCaptureLimit of virtual time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "transport/base/socket_address.h"

namespace p2pquic::scenarios {

enum class CaptureStatus : uint8_t {
  kOk,
  kHostFailed,  // The throwaway client could not be built or could not dial.
  kNoInitial,   // It sent nothing within the limit.
};
const char* ToString(CaptureStatus status);

// On kOk `*initial` holds the datagram; otherwise `*error` says why.
CaptureStatus CaptureClientInitial(uint64_t seed, const SocketAddress& target,
                                   std::vector<uint8_t>* initial, std::string* error);

}  // namespace p2pquic::scenarios
