// ProtobufReader: walks the fields of one protobuf message held in a byte
// span. Every read is bounds-checked: running off the end is kTruncated,
// never a read past the span. Non-minimal varints are accepted, as every
// protobuf parser does. The reader never allocates; length-delimited values
// are views into the input.
#pragma once

#include <cstdint>
#include <span>

#include "transport/protocols/protobuf_wire.h"

namespace p2pquic::protocols {

class ProtobufReader {
 public:
  explicit ProtobufReader(std::span<const uint8_t> message) : rest_(message) {}

  bool AtEnd() const { return rest_.empty(); }

  // Reads a field key. On kOk, the field's value follows.
  ProtobufStatus ReadTag(uint32_t& field_number, WireType& wire_type);
  ProtobufStatus ReadVarint(uint64_t& value);
  // `value` views the field's bytes inside the message.
  ProtobufStatus ReadLengthDelimited(std::span<const uint8_t>& value);
  // Skips the value of a field of `wire_type` (an unknown field).
  ProtobufStatus SkipValue(WireType wire_type);

 private:
  ProtobufStatus Skip(size_t bytes);

  std::span<const uint8_t> rest_;
};

}  // namespace p2pquic::protocols
