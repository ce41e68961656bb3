#include "transport/identity/key_protobuf.h"

#include <openssl/crypto.h>

#include <string>

#include "transport/identity/crypto.pb.h"
#include "transport/identity/key_limits.h"

namespace p2pquic {
namespace {

constexpr int kTypeFieldNumber = 1;

template <typename Message>
std::vector<uint8_t> EncodeAs(KeyType type, std::span<const uint8_t> data) {
  Message message;
  message.set_type(static_cast<identity::pb::KeyType>(type));
  message.set_data(data.data(), data.size());
  std::string bytes = message.SerializeAsString();
  std::vector<uint8_t> encoded(bytes.begin(), bytes.end());
  // Private key data must not linger in freed heap memory.
  OPENSSL_cleanse(message.mutable_data()->data(), message.data().size());
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return encoded;
}

// proto2 parks an enum value it does not know among the unknown fields and
// leaves the field unset; finding it there tells "unknown key type" apart
// from "no type at all".
bool HasUnknownTypeValue(const google::protobuf::Message& message) {
  const google::protobuf::UnknownFieldSet& unknown =
      message.GetReflection()->GetUnknownFields(message);
  for (int i = 0; i < unknown.field_count(); ++i) {
    if (unknown.field(i).number() == kTypeFieldNumber) return true;
  }
  return false;
}

template <typename Message>
KeyStatus DecodeAs(std::span<const uint8_t> bytes, KeyType* type, std::vector<uint8_t>* data) {
  Message message;
  // ParsePartial: the required fields are checked below with a precise
  // reason (ParseFromArray would also log to stderr).
  if (!message.ParsePartialFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return KeyStatus::kMalformedProtobuf;
  }
  if (!message.has_type()) {
    return HasUnknownTypeValue(message) ? KeyStatus::kUnknownKeyType : KeyStatus::kMissingField;
  }
  if (!message.has_data()) return KeyStatus::kMissingField;
  KeyType parsed_type;
  if (!KeyTypeFromWire(static_cast<uint64_t>(message.type()), &parsed_type)) {
    return KeyStatus::kUnknownKeyType;
  }
  *type = parsed_type;
  data->assign(message.data().begin(), message.data().end());
  OPENSSL_cleanse(message.mutable_data()->data(), message.data().size());
  return KeyStatus::kOk;
}

}  // namespace

std::vector<uint8_t> KeyProtobuf::Encode(Kind kind, KeyType type, std::span<const uint8_t> data) {
  return kind == Kind::kPublicKey ? EncodeAs<identity::pb::PublicKey>(type, data)
                                  : EncodeAs<identity::pb::PrivateKey>(type, data);
}

KeyStatus KeyProtobuf::Decode(Kind kind, std::span<const uint8_t> bytes, KeyType* type,
                              std::vector<uint8_t>* data) {
  if (bytes.size() > kMaxEncodedKeyBytes) return KeyStatus::kTooLarge;
  if (bytes.empty()) return KeyStatus::kMissingField;
  return kind == Kind::kPublicKey ? DecodeAs<identity::pb::PublicKey>(bytes, type, data)
                                  : DecodeAs<identity::pb::PrivateKey>(bytes, type, data);
}

}  // namespace p2pquic
