// What one call into a multistream-select state machine (MultistreamDialer,
// MultistreamListener) produced: bytes to write back, where negotiation
// stands, and the application bytes that followed the negotiation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace p2pquic::protocols {

enum class MultistreamOutcome : uint8_t {
  kPending,        // Negotiating: write `output`, feed what the peer sends.
  kSelected,       // `protocol` is agreed; later bytes belong to it.
  kNotSupported,   // Dialer: the listener answered "na" to every proposal.
  kProtocolError,  // `error` says what went wrong; close or reset the stream.
};

const char* ToString(MultistreamOutcome outcome);

enum class MultistreamError : uint8_t {
  kNone,
  kInvalidLocalProtocols,  // Our own list: see IsValidProtocolId and the count limits.
  kBadLengthPrefix,        // A message length is overlong or over 9 bytes.
  kMessageTooLong,         // A message is over kMaxMultistreamMessageBytes.
  kMissingNewline,         // A message is empty or does not end in '\n'.
  kHeaderMismatch,         // The first message is not /multistream/1.0.0.
  kUnexpectedMessage,      // Dialer: a reply that is neither our proposal nor "na".
  kTooManyProposals,       // Listener: over kMaxMultistreamProposals requests.
};

const char* ToString(MultistreamError error);

struct MultistreamStep {
  MultistreamOutcome outcome = MultistreamOutcome::kPending;
  MultistreamError error = MultistreamError::kNone;  // Set for kProtocolError.
  std::vector<uint8_t> output;                       // Write these to the peer, in order.
  std::string protocol;                              // The agreed protocol, for kSelected.
  // kSelected: bytes fed after the selecting message, i.e. the first
  // application data (e.g. a pipelined request). Never part of negotiation.
  std::vector<uint8_t> leftover;
};

}  // namespace p2pquic::protocols
