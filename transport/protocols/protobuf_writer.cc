#include "transport/protocols/protobuf_writer.h"

namespace p2pquic::protocols {

void ProtobufWriter::Varint(uint64_t value) {
  for (; value > kProtobufVarintPayloadMask; value >>= kProtobufVarintBitsPerByte) {
    out_.push_back(static_cast<uint8_t>((value & kProtobufVarintPayloadMask) |
                                        kProtobufVarintContinuationBit));
  }
  out_.push_back(static_cast<uint8_t>(value));
}

void ProtobufWriter::Tag(uint32_t field_number, WireType wire_type) {
  Varint((uint64_t{field_number} << kProtobufTagTypeBits) | static_cast<uint64_t>(wire_type));
}

void ProtobufWriter::BytesField(uint32_t field_number, std::span<const uint8_t> value) {
  Tag(field_number, WireType::kLengthDelimited);
  Varint(value.size());
  out_.insert(out_.end(), value.begin(), value.end());
}

void ProtobufWriter::StringField(uint32_t field_number, std::string_view value) {
  BytesField(field_number, {reinterpret_cast<const uint8_t*>(value.data()), value.size()});
}

}  // namespace p2pquic::protocols
