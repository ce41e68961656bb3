// Protocol Buffers wire format basics (protobuf.dev/programming-guides/encoding),
// shared by ProtobufReader and ProtobufWriter. Just enough of the format for
// libp2p's small messages, hand-written so decoding enforces our limits as it
// goes and reports what was wrong (see identify_codec.h for why).
#pragma once

#include <cstddef>
#include <cstdint>

namespace p2pquic::protocols {

enum class WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,  // Deprecated groups: rejected, no libp2p message uses them.
  kEndGroup = 4,
  kFixed32 = 5,
};

inline constexpr uint32_t kMaxProtobufFieldNumber = (uint32_t{1} << 29) - 1;
// A 64-bit value takes at most 10 groups of 7 bits.
inline constexpr size_t kMaxProtobufVarintBytes = 10;
inline constexpr int kProtobufTagTypeBits = 3;
inline constexpr int kProtobufVarintBitsPerByte = 7;
inline constexpr uint8_t kProtobufVarintContinuationBit = 0x80;
inline constexpr uint8_t kProtobufVarintPayloadMask = 0x7f;
inline constexpr size_t kProtobufFixed64Bytes = 8;
inline constexpr size_t kProtobufFixed32Bytes = 4;

enum class ProtobufStatus : uint8_t {
  kOk,
  kTruncated,            // A varint or field runs past the end of the data.
  kBadVarint,            // Longer than 10 bytes, or over 64 bits.
  kBadFieldNumber,       // Field number 0, or above kMaxProtobufFieldNumber.
  kUnsupportedWireType,  // Groups (3, 4) or the undefined types 6 and 7.
};

const char* ToString(ProtobufStatus status);

}  // namespace p2pquic::protocols
