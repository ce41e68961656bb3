#include "transport/identity/varint.h"

namespace p2pquic {
namespace {

constexpr uint8_t kContinuation = 0x80;
constexpr uint8_t kPayload = 0x7f;
constexpr int kBitsPerByte = 7;

}  // namespace

const char* ToString(VarintStatus status) {
  switch (status) {
    case VarintStatus::kOk:
      return "ok";
    case VarintStatus::kTruncated:
      return "varint is truncated";
    case VarintStatus::kTooLong:
      return "varint is longer than 9 bytes";
    case VarintStatus::kNotMinimal:
      return "varint is not minimally encoded";
  }
  return "unknown varint status";
}

void Varint::Append(uint64_t value, std::vector<uint8_t>* out) {
  while (value >= kContinuation) {
    out->push_back(static_cast<uint8_t>(value & kPayload) | kContinuation);
    value >>= kBitsPerByte;
  }
  out->push_back(static_cast<uint8_t>(value));
}

VarintStatus Varint::Read(std::span<const uint8_t> bytes, uint64_t* value, size_t* consumed) {
  uint64_t result = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == kMaxVarintBytes) return VarintStatus::kTooLong;
    const uint8_t byte = bytes[i];
    result |= uint64_t{static_cast<uint8_t>(byte & kPayload)} << (kBitsPerByte * i);
    if ((byte & kContinuation) == 0) {
      // A last group of zero is padding unless it is the only group.
      if (byte == 0 && i > 0) return VarintStatus::kNotMinimal;
      *value = result;
      *consumed = i + 1;
      return VarintStatus::kOk;
    }
  }
  return bytes.size() >= kMaxVarintBytes ? VarintStatus::kTooLong : VarintStatus::kTruncated;
}

}  // namespace p2pquic
