// ProtobufWriter: appends protobuf wire format to a byte vector. Fields are
// written in the order called; callers write them in field-number order, as
// libprotobuf does, so the bytes match its serialization.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "transport/protocols/protobuf_wire.h"

namespace p2pquic::protocols {

class ProtobufWriter {
 public:
  // Appends to `out`, which must outlive the writer.
  explicit ProtobufWriter(std::vector<uint8_t>& out) : out_(out) {}

  void Varint(uint64_t value);
  // `field_number` in 1..kMaxProtobufFieldNumber (a programming error otherwise).
  void Tag(uint32_t field_number, WireType wire_type);
  void BytesField(uint32_t field_number, std::span<const uint8_t> value);
  void StringField(uint32_t field_number, std::string_view value);

 private:
  std::vector<uint8_t>& out_;
};

}  // namespace p2pquic::protocols
