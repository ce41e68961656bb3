#include "transport/protocols/uvarint_decoder.h"

namespace p2pquic::protocols {

const char* ToString(UvarintStatus status) {
  switch (status) {
    case UvarintStatus::kOk:
      return "ok";
    case UvarintStatus::kTruncated:
      return "varint truncated";
    case UvarintStatus::kOverlong:
      return "varint not minimally encoded";
    case UvarintStatus::kTooManyBytes:
      return "varint longer than 9 bytes";
    case UvarintStatus::kValueTooLarge:
      return "value above 2^63-1";
  }
  return "unknown";
}

UvarintStatus UvarintDecoder::Push(uint8_t byte) {
  if (status_ != UvarintStatus::kTruncated) return status_;
  const bool more = (byte & kUvarintContinuationBit) != 0;
  if (more && size_ + 1 == kMaxUvarintBytes) return status_ = UvarintStatus::kTooManyBytes;
  // A zero last group adds nothing: a shorter encoding of the same value exists.
  if (!more && byte == 0 && size_ > 0) return status_ = UvarintStatus::kOverlong;
  value_ |= uint64_t{static_cast<uint8_t>(byte & kUvarintPayloadMask)}
            << (kUvarintBitsPerByte * size_);
  ++size_;
  if (!more) status_ = UvarintStatus::kOk;
  return status_;
}

void UvarintDecoder::Reset() {
  value_ = 0;
  size_ = 0;
  status_ = UvarintStatus::kTruncated;
}

}  // namespace p2pquic::protocols
