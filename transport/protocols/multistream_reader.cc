#include "transport/protocols/multistream_reader.h"

#include "transport/protocols/multistream_message.h"

namespace p2pquic::protocols {

const char* ToString(MultistreamReadStatus status) {
  switch (status) {
    case MultistreamReadStatus::kNeedMore:
      return "need more bytes";
    case MultistreamReadStatus::kMessage:
      return "message";
    case MultistreamReadStatus::kError:
      return "error";
  }
  return "unknown";
}

MultistreamReader::MultistreamReader() : frames_(kMaxMultistreamMessageBytes) {}

MultistreamReadStatus MultistreamReader::Next(std::span<const uint8_t>& in) {
  if (error_ != MultistreamError::kNone) return MultistreamReadStatus::kError;
  switch (frames_.Next(in)) {
    case FrameStatus::kNeedMore:
      return MultistreamReadStatus::kNeedMore;
    case FrameStatus::kComplete:
      if (frames_.frame().empty() || frames_.frame().back() != '\n') {
        return Fail(MultistreamError::kMissingNewline);
      }
      return MultistreamReadStatus::kMessage;
    case FrameStatus::kLengthOverlong:
    case FrameStatus::kLengthTooManyBytes:
      return Fail(MultistreamError::kBadLengthPrefix);
    case FrameStatus::kTooLong:
      return Fail(MultistreamError::kMessageTooLong);
  }
  return Fail(MultistreamError::kBadLengthPrefix);
}

std::string_view MultistreamReader::text() const {
  const std::span<const uint8_t> frame = frames_.frame();
  if (frame.empty()) return {};
  return {reinterpret_cast<const char*>(frame.data()), frame.size() - 1};
}

MultistreamReadStatus MultistreamReader::Fail(MultistreamError error) {
  error_ = error;
  return MultistreamReadStatus::kError;
}

}  // namespace p2pquic::protocols
