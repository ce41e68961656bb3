// IdentifyReader: the receiving side of /ipfs/id/1.0.0 (and identify/push)
// on one stream. The responder writes length-prefixed messages and closes;
// the message is complete only when the stream ends. Messages are merged in
// order (go-libp2p splits a large one in two), at most
// kMaxIdentifyMessagesPerStream of them, each at most kMaxIdentifyMessageBytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "transport/protocols/identify_message.h"
#include "transport/protocols/identify_result.h"
#include "transport/protocols/length_prefixed_reader.h"

namespace p2pquic::protocols {

class IdentifyReader {
 public:
  IdentifyReader();

  // Bytes read from the stream, in any pieces. kNeedMore while all is well;
  // any other result is an error, and final (returned by later calls too).
  IdentifyResult Feed(std::span<const uint8_t> in);

  // The peer closed the stream. kOk when at least one whole message arrived
  // and none was cut short; message() is then the merged result.
  IdentifyResult Finish();

  const IdentifyMessage& message() const { return message_; }
  size_t messages_read() const { return messages_read_; }

 private:
  IdentifyResult Fail(IdentifyResult result);

  LengthPrefixedReader frames_;
  IdentifyMessage message_;
  size_t messages_read_ = 0;
  IdentifyResult failure_ = IdentifyResult::kOk;  // kOk while healthy.
};

}  // namespace p2pquic::protocols
