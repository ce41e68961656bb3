// Results of encoding, decoding and reading identify messages.
#pragma once

#include <cstdint>

namespace p2pquic::protocols {

enum class IdentifyResult : uint8_t {
  kOk,
  kNeedMore,             // IdentifyReader: healthy so far; the stream has not ended.
  kMessageTooLarge,      // Over kMaxIdentifyMessageBytes (encoded, or a frame's length).
  kTooManyListenAddrs,   // Over kMaxIdentifyListenAddrs (across merged messages).
  kTooManyProtocols,     // Over kMaxIdentifyProtocols (across merged messages).
  kTruncatedField,       // A field runs past the end of the message.
  kBadVarint,            // A protobuf varint over 10 bytes or 64 bits.
  kBadFieldNumber,       // Field number 0 or above 2^29-1.
  kUnsupportedWireType,  // Groups or the undefined wire types 6 and 7.
  kWrongWireType,        // A known field that is not length-delimited.
  kBadLengthPrefix,      // A frame's length prefix is overlong or over 9 bytes.
  kTruncatedMessage,     // The stream ended inside a message, or before any.
  kTooManyMessages,      // Over kMaxIdentifyMessagesPerStream messages on one stream.
};

const char* ToString(IdentifyResult result);

}  // namespace p2pquic::protocols
