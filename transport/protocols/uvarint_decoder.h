// Unsigned varints as multiformats defines them
// (github.com/multiformats/unsigned-varint): 7 bits per byte, least
// significant group first, high bit set on every byte but the last. They must
// be minimally encoded and are at most 9 bytes long, so they carry at most 63
// bits. Every length prefix of multistream-select and identify is one.
//
// UvarintDecoder reads one byte at a time, so a varint split across reads
// needs no reassembly by the caller.
#pragma once

#include <cstddef>
#include <cstdint>

namespace p2pquic::protocols {

inline constexpr size_t kMaxUvarintBytes = 9;
inline constexpr uint64_t kMaxUvarintValue = (uint64_t{1} << 63) - 1;
inline constexpr int kUvarintBitsPerByte = 7;
inline constexpr uint8_t kUvarintContinuationBit = 0x80;
inline constexpr uint8_t kUvarintPayloadMask = 0x7f;

enum class UvarintStatus : uint8_t {
  kOk,             // A complete varint (decoding) or it was appended (encoding).
  kTruncated,      // The input ended inside the varint: more bytes may complete it.
  kOverlong,       // Not minimally encoded: the last byte is a 0x00 group after the first.
  kTooManyBytes,   // The 9th byte still says "more follows" (over 63 bits).
  kValueTooLarge,  // Encoding only: the value is above kMaxUvarintValue.
};

const char* ToString(UvarintStatus status);

class UvarintDecoder {
 public:
  // Consumes one byte. kTruncated: feed the next one. kOk: value() is
  // complete. kOverlong / kTooManyBytes: the varint is invalid; the decoder
  // stays failed (returns the same status) until Reset.
  UvarintStatus Push(uint8_t byte);

  // The decoded value; meaningful once Push returned kOk.
  uint64_t value() const { return value_; }
  // Bytes consumed so far by the current varint.
  size_t size() const { return size_; }

  void Reset();

 private:
  uint64_t value_ = 0;
  size_t size_ = 0;
  UvarintStatus status_ = UvarintStatus::kTruncated;
};

}  // namespace p2pquic::protocols
