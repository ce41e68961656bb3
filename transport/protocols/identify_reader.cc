#include "transport/protocols/identify_reader.h"

#include "transport/protocols/identify_codec.h"

namespace p2pquic::protocols {

IdentifyReader::IdentifyReader() : frames_(kMaxIdentifyMessageBytes) {}

IdentifyResult IdentifyReader::Feed(std::span<const uint8_t> in) {
  if (failure_ != IdentifyResult::kOk) return failure_;
  for (;;) {
    switch (frames_.Next(in)) {
      case FrameStatus::kNeedMore:
        return IdentifyResult::kNeedMore;
      case FrameStatus::kComplete:
        break;
      case FrameStatus::kTooLong:
        return Fail(IdentifyResult::kMessageTooLarge);
      case FrameStatus::kLengthOverlong:
      case FrameStatus::kLengthTooManyBytes:
        return Fail(IdentifyResult::kBadLengthPrefix);
    }
    if (++messages_read_ > kMaxIdentifyMessagesPerStream) {
      return Fail(IdentifyResult::kTooManyMessages);
    }
    const IdentifyResult result = DecodeIdentify(frames_.frame(), message_);
    if (result != IdentifyResult::kOk) return Fail(result);
  }
}

IdentifyResult IdentifyReader::Finish() {
  if (failure_ != IdentifyResult::kOk) return failure_;
  if (frames_.InsideFrame() || messages_read_ == 0) {
    return Fail(IdentifyResult::kTruncatedMessage);
  }
  return IdentifyResult::kOk;
}

IdentifyResult IdentifyReader::Fail(IdentifyResult result) {
  failure_ = result;
  return result;
}

}  // namespace p2pquic::protocols
