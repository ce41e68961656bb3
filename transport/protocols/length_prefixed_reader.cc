#include "transport/protocols/length_prefixed_reader.h"

#include <algorithm>

namespace p2pquic::protocols {

const char* ToString(FrameStatus status) {
  switch (status) {
    case FrameStatus::kNeedMore:
      return "need more bytes";
    case FrameStatus::kComplete:
      return "complete";
    case FrameStatus::kLengthOverlong:
      return "length prefix not minimally encoded";
    case FrameStatus::kLengthTooManyBytes:
      return "length prefix longer than 9 bytes";
    case FrameStatus::kTooLong:
      return "frame longer than the maximum";
  }
  return "unknown";
}

LengthPrefixedReader::LengthPrefixedReader(size_t max_payload_bytes)
    : max_payload_bytes_(max_payload_bytes) {}

FrameStatus LengthPrefixedReader::Next(std::span<const uint8_t>& in) {
  if (status_ == FrameStatus::kComplete) StartFrame();
  if (status_ != FrameStatus::kNeedMore) return status_;
  if (!have_length_) {
    status_ = ReadLength(in);
    if (status_ != FrameStatus::kNeedMore || !have_length_) return status_;
  }
  return status_ = ReadPayload(in);
}

bool LengthPrefixedReader::InsideFrame() const {
  return status_ == FrameStatus::kNeedMore && (have_length_ || length_.size() > 0);
}

FrameStatus LengthPrefixedReader::ReadLength(std::span<const uint8_t>& in) {
  while (!in.empty()) {
    const UvarintStatus status = length_.Push(in.front());
    in = in.subspan(1);
    switch (status) {
      case UvarintStatus::kTruncated:
        continue;
      case UvarintStatus::kOk:
        if (length_.value() > max_payload_bytes_) return FrameStatus::kTooLong;
        expected_ = static_cast<size_t>(length_.value());
        have_length_ = true;
        payload_.reserve(expected_);
        return FrameStatus::kNeedMore;
      case UvarintStatus::kOverlong:
        return FrameStatus::kLengthOverlong;
      case UvarintStatus::kTooManyBytes:
      case UvarintStatus::kValueTooLarge:
        return FrameStatus::kLengthTooManyBytes;
    }
  }
  return FrameStatus::kNeedMore;
}

FrameStatus LengthPrefixedReader::ReadPayload(std::span<const uint8_t>& in) {
  const size_t take = std::min(in.size(), expected_ - payload_.size());
  payload_.insert(payload_.end(), in.begin(), in.begin() + take);
  in = in.subspan(take);
  return payload_.size() == expected_ ? FrameStatus::kComplete : FrameStatus::kNeedMore;
}

void LengthPrefixedReader::StartFrame() {
  length_.Reset();
  have_length_ = false;
  expected_ = 0;
  payload_.clear();
  status_ = FrameStatus::kNeedMore;
}

}  // namespace p2pquic::protocols
