#include "transport/protocols/protobuf_reader.h"

namespace p2pquic::protocols {
namespace {

// The 10th byte holds bit 63 only.
constexpr uint8_t kMaxLastVarintByte = 0x01;
constexpr uint32_t kWireTypeMask = 0x7;

}  // namespace

ProtobufStatus ProtobufReader::ReadTag(uint32_t& field_number, WireType& wire_type) {
  uint64_t key = 0;
  const ProtobufStatus status = ReadVarint(key);
  if (status != ProtobufStatus::kOk) return status;
  const uint64_t number = key >> kProtobufTagTypeBits;
  if (number == 0 || number > kMaxProtobufFieldNumber) return ProtobufStatus::kBadFieldNumber;
  const uint32_t type = static_cast<uint32_t>(key) & kWireTypeMask;
  if (type > static_cast<uint32_t>(WireType::kFixed32)) return ProtobufStatus::kUnsupportedWireType;
  field_number = static_cast<uint32_t>(number);
  wire_type = static_cast<WireType>(type);
  return ProtobufStatus::kOk;
}

ProtobufStatus ProtobufReader::ReadVarint(uint64_t& value) {
  uint64_t result = 0;
  for (size_t i = 0; i < kMaxProtobufVarintBytes; ++i) {
    if (i == rest_.size()) return ProtobufStatus::kTruncated;
    const uint8_t byte = rest_[i];
    if (i + 1 == kMaxProtobufVarintBytes && byte > kMaxLastVarintByte) {
      return ProtobufStatus::kBadVarint;
    }
    result |= uint64_t{static_cast<uint8_t>(byte & kProtobufVarintPayloadMask)}
              << (kProtobufVarintBitsPerByte * i);
    if ((byte & kProtobufVarintContinuationBit) == 0) {
      rest_ = rest_.subspan(i + 1);
      value = result;
      return ProtobufStatus::kOk;
    }
  }
  return ProtobufStatus::kBadVarint;
}

ProtobufStatus ProtobufReader::ReadLengthDelimited(std::span<const uint8_t>& value) {
  uint64_t length = 0;
  const ProtobufStatus status = ReadVarint(length);
  if (status != ProtobufStatus::kOk) return status;
  if (length > rest_.size()) return ProtobufStatus::kTruncated;
  value = rest_.first(static_cast<size_t>(length));
  rest_ = rest_.subspan(static_cast<size_t>(length));
  return ProtobufStatus::kOk;
}

ProtobufStatus ProtobufReader::SkipValue(WireType wire_type) {
  uint64_t ignored_varint = 0;
  std::span<const uint8_t> ignored_bytes;
  switch (wire_type) {
    case WireType::kVarint:
      return ReadVarint(ignored_varint);
    case WireType::kFixed64:
      return Skip(kProtobufFixed64Bytes);
    case WireType::kLengthDelimited:
      return ReadLengthDelimited(ignored_bytes);
    case WireType::kFixed32:
      return Skip(kProtobufFixed32Bytes);
    case WireType::kStartGroup:
    case WireType::kEndGroup:
      return ProtobufStatus::kUnsupportedWireType;
  }
  return ProtobufStatus::kUnsupportedWireType;
}

ProtobufStatus ProtobufReader::Skip(size_t bytes) {
  if (bytes > rest_.size()) return ProtobufStatus::kTruncated;
  rest_ = rest_.subspan(bytes);
  return ProtobufStatus::kOk;
}

}  // namespace p2pquic::protocols
