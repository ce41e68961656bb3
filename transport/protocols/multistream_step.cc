#include "transport/protocols/multistream_step.h"

namespace p2pquic::protocols {

const char* ToString(MultistreamOutcome outcome) {
  switch (outcome) {
    case MultistreamOutcome::kPending:
      return "pending";
    case MultistreamOutcome::kSelected:
      return "selected";
    case MultistreamOutcome::kNotSupported:
      return "not supported";
    case MultistreamOutcome::kProtocolError:
      return "protocol error";
  }
  return "unknown";
}

const char* ToString(MultistreamError error) {
  switch (error) {
    case MultistreamError::kNone:
      return "none";
    case MultistreamError::kInvalidLocalProtocols:
      return "invalid local protocol list";
    case MultistreamError::kBadLengthPrefix:
      return "bad message length prefix";
    case MultistreamError::kMessageTooLong:
      return "message too long";
    case MultistreamError::kMissingNewline:
      return "message does not end in a newline";
    case MultistreamError::kHeaderMismatch:
      return "peer does not speak /multistream/1.0.0";
    case MultistreamError::kUnexpectedMessage:
      return "unexpected reply to a proposal";
    case MultistreamError::kTooManyProposals:
      return "too many proposals";
  }
  return "unknown";
}

}  // namespace p2pquic::protocols
