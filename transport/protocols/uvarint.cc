#include "transport/protocols/uvarint.h"

namespace p2pquic::protocols {

UvarintStatus AppendUvarint(uint64_t value, std::vector<uint8_t>& out) {
  if (value > kMaxUvarintValue) return UvarintStatus::kValueTooLarge;
  while (value > kUvarintPayloadMask) {
    out.push_back(static_cast<uint8_t>((value & kUvarintPayloadMask) | kUvarintContinuationBit));
    value >>= kUvarintBitsPerByte;
  }
  out.push_back(static_cast<uint8_t>(value));
  return UvarintStatus::kOk;
}

size_t UvarintSize(uint64_t value) {
  size_t size = 1;
  while (value > kUvarintPayloadMask) {
    value >>= kUvarintBitsPerByte;
    ++size;
  }
  return size;
}

UvarintParse ParseUvarint(std::span<const uint8_t> in) {
  UvarintDecoder decoder;
  UvarintParse parse;
  for (uint8_t byte : in) {
    parse.status = decoder.Push(byte);
    if (parse.status != UvarintStatus::kTruncated) break;
  }
  if (parse.status == UvarintStatus::kOk) {
    parse.value = decoder.value();
    parse.size = decoder.size();
  }
  return parse;
}

void AppendLengthPrefixed(std::span<const uint8_t> payload, std::vector<uint8_t>& out) {
  // A span's size never exceeds kMaxUvarintValue on a 64-bit host's address
  // space, so the prefix always encodes.
  AppendUvarint(payload.size(), out);
  out.insert(out.end(), payload.begin(), payload.end());
}

}  // namespace p2pquic::protocols
