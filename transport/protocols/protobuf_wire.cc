#include "transport/protocols/protobuf_wire.h"

namespace p2pquic::protocols {

const char* ToString(ProtobufStatus status) {
  switch (status) {
    case ProtobufStatus::kOk:
      return "ok";
    case ProtobufStatus::kTruncated:
      return "field runs past the end of the message";
    case ProtobufStatus::kBadVarint:
      return "malformed protobuf varint";
    case ProtobufStatus::kBadFieldNumber:
      return "invalid field number";
    case ProtobufStatus::kUnsupportedWireType:
      return "unsupported wire type";
  }
  return "unknown";
}

}  // namespace p2pquic::protocols
