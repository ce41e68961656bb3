// KeyProtobuf: the libp2p key envelope `{ required KeyType Type = 1;
// required bytes Data = 2; }` (PublicKey and PrivateKey share the layout),
// behind a plain interface so only key_protobuf.cc sees generated code.
// Decoding takes untrusted bytes and never crashes; it checks the envelope
// only — what Data must hold is the key classes' business.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "transport/identity/key_status.h"
#include "transport/identity/key_type.h"

namespace p2pquic {

class KeyProtobuf {
 public:
  enum class Kind : uint8_t { kPublicKey, kPrivateKey };

  // The canonical encoding (Type, then Data): the bytes peer IDs hash.
  static std::vector<uint8_t> Encode(Kind kind, KeyType type, std::span<const uint8_t> data);

  // Splits an envelope into type and data. Errors: kTooLarge,
  // kMalformedProtobuf, kMissingField, kUnknownKeyType. On error the outputs
  // are unchanged.
  static KeyStatus Decode(Kind kind, std::span<const uint8_t> bytes, KeyType* type,
                          std::vector<uint8_t>* data);
};

}  // namespace p2pquic
