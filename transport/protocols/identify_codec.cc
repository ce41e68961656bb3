#include "transport/protocols/identify_codec.h"

#include <string_view>

#include "transport/protocols/protobuf_reader.h"
#include "transport/protocols/protobuf_writer.h"
#include "transport/protocols/uvarint.h"

namespace p2pquic::protocols {
namespace {

// Field numbers of `message Identify`.
constexpr uint32_t kPublicKeyField = 1;
constexpr uint32_t kListenAddrsField = 2;
constexpr uint32_t kProtocolsField = 3;
constexpr uint32_t kObservedAddrField = 4;
constexpr uint32_t kProtocolVersionField = 5;
constexpr uint32_t kAgentVersionField = 6;
constexpr uint32_t kSignedPeerRecordField = 8;

IdentifyResult FromProtobuf(ProtobufStatus status) {
  switch (status) {
    case ProtobufStatus::kOk:
      return IdentifyResult::kOk;
    case ProtobufStatus::kTruncated:
      return IdentifyResult::kTruncatedField;
    case ProtobufStatus::kBadVarint:
      return IdentifyResult::kBadVarint;
    case ProtobufStatus::kBadFieldNumber:
      return IdentifyResult::kBadFieldNumber;
    case ProtobufStatus::kUnsupportedWireType:
      return IdentifyResult::kUnsupportedWireType;
  }
  return IdentifyResult::kBadVarint;
}

bool IsKnownField(uint32_t field_number) {
  return (field_number >= kPublicKeyField && field_number <= kAgentVersionField) ||
         field_number == kSignedPeerRecordField;
}

std::vector<uint8_t> ToBytes(std::span<const uint8_t> value) {
  return {value.begin(), value.end()};
}

std::string ToText(std::span<const uint8_t> value) {
  return {reinterpret_cast<const char*>(value.data()), value.size()};
}

IdentifyResult Apply(uint32_t field_number, std::span<const uint8_t> value,
                     IdentifyMessage& message) {
  switch (field_number) {
    case kPublicKeyField:
      message.public_key = ToBytes(value);
      break;
    case kListenAddrsField:
      if (message.listen_addrs.size() == kMaxIdentifyListenAddrs) {
        return IdentifyResult::kTooManyListenAddrs;
      }
      message.listen_addrs.push_back(ToBytes(value));
      break;
    case kProtocolsField:
      if (message.protocols.size() == kMaxIdentifyProtocols) {
        return IdentifyResult::kTooManyProtocols;
      }
      message.protocols.push_back(ToText(value));
      break;
    case kObservedAddrField:
      message.observed_addr = ToBytes(value);
      break;
    case kProtocolVersionField:
      message.protocol_version = ToText(value);
      break;
    case kAgentVersionField:
      message.agent_version = ToText(value);
      break;
    case kSignedPeerRecordField:
      message.signed_peer_record = ToBytes(value);
      break;
  }
  return IdentifyResult::kOk;
}

IdentifyResult DecodeField(ProtobufReader& reader, uint32_t field_number, WireType wire_type,
                           IdentifyMessage& message) {
  if (!IsKnownField(field_number)) return FromProtobuf(reader.SkipValue(wire_type));
  // Every field of Identify is length-delimited; anything else is a broken
  // peer, and skipping it would hide the bug.
  if (wire_type != WireType::kLengthDelimited) return IdentifyResult::kWrongWireType;
  std::span<const uint8_t> value;
  const ProtobufStatus status = reader.ReadLengthDelimited(value);
  if (status != ProtobufStatus::kOk) return FromProtobuf(status);
  return Apply(field_number, value, message);
}

void WriteFields(const IdentifyMessage& message, ProtobufWriter& writer) {
  if (message.public_key) writer.BytesField(kPublicKeyField, *message.public_key);
  for (const auto& addr : message.listen_addrs) writer.BytesField(kListenAddrsField, addr);
  for (const auto& protocol : message.protocols) writer.StringField(kProtocolsField, protocol);
  if (message.observed_addr) writer.BytesField(kObservedAddrField, *message.observed_addr);
  if (message.protocol_version) {
    writer.StringField(kProtocolVersionField, *message.protocol_version);
  }
  if (message.agent_version) writer.StringField(kAgentVersionField, *message.agent_version);
  if (message.signed_peer_record) {
    writer.BytesField(kSignedPeerRecordField, *message.signed_peer_record);
  }
}

}  // namespace

IdentifyResult EncodeIdentify(const IdentifyMessage& message, std::vector<uint8_t>& out) {
  if (message.listen_addrs.size() > kMaxIdentifyListenAddrs) {
    return IdentifyResult::kTooManyListenAddrs;
  }
  if (message.protocols.size() > kMaxIdentifyProtocols) return IdentifyResult::kTooManyProtocols;
  const size_t start = out.size();
  ProtobufWriter writer(out);
  WriteFields(message, writer);
  if (out.size() - start > kMaxIdentifyMessageBytes) {
    out.resize(start);
    return IdentifyResult::kMessageTooLarge;
  }
  return IdentifyResult::kOk;
}

IdentifyResult AppendIdentifyFrame(const IdentifyMessage& message, std::vector<uint8_t>& out) {
  std::vector<uint8_t> encoded;
  const IdentifyResult result = EncodeIdentify(message, encoded);
  if (result != IdentifyResult::kOk) return result;
  AppendLengthPrefixed(encoded, out);
  return IdentifyResult::kOk;
}

IdentifyResult DecodeIdentify(std::span<const uint8_t> bytes, IdentifyMessage& message) {
  if (bytes.size() > kMaxIdentifyMessageBytes) return IdentifyResult::kMessageTooLarge;
  ProtobufReader reader(bytes);
  while (!reader.AtEnd()) {
    uint32_t field_number = 0;
    WireType wire_type = WireType::kVarint;
    const ProtobufStatus status = reader.ReadTag(field_number, wire_type);
    if (status != ProtobufStatus::kOk) return FromProtobuf(status);
    const IdentifyResult result = DecodeField(reader, field_number, wire_type, message);
    if (result != IdentifyResult::kOk) return result;
  }
  return IdentifyResult::kOk;
}

}  // namespace p2pquic::protocols
