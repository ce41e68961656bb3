#include "transport/protocols/identify_result.h"

namespace p2pquic::protocols {

const char* ToString(IdentifyResult result) {
  switch (result) {
    case IdentifyResult::kOk:
      return "ok";
    case IdentifyResult::kNeedMore:
      return "need more bytes";
    case IdentifyResult::kMessageTooLarge:
      return "identify message too large";
    case IdentifyResult::kTooManyListenAddrs:
      return "too many listen addresses";
    case IdentifyResult::kTooManyProtocols:
      return "too many protocols";
    case IdentifyResult::kTruncatedField:
      return "field runs past the end of the message";
    case IdentifyResult::kBadVarint:
      return "malformed protobuf varint";
    case IdentifyResult::kBadFieldNumber:
      return "invalid field number";
    case IdentifyResult::kUnsupportedWireType:
      return "unsupported wire type";
    case IdentifyResult::kWrongWireType:
      return "known field with the wrong wire type";
    case IdentifyResult::kBadLengthPrefix:
      return "malformed length prefix";
    case IdentifyResult::kTruncatedMessage:
      return "stream ended before a complete message";
    case IdentifyResult::kTooManyMessages:
      return "too many identify messages on one stream";
  }
  return "unknown";
}

}  // namespace p2pquic::protocols
