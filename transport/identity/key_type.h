// KeyType: the libp2p key algorithms, numbered as in the KeyType enum of the
// libp2p key protobuf (peer-ids spec), so the value is the wire value.
#pragma once

#include <cstdint>

namespace p2pquic {

enum class KeyType : uint8_t {
  kRsa = 0,
  kEd25519 = 1,  // The default: small keys, deterministic signatures.
  kSecp256k1 = 2,
  kEcdsa = 3,  // ECDSA on NIST P-256.
};

const char* ToString(KeyType type);

// Maps a wire value to a KeyType; false for values libp2p does not define.
bool KeyTypeFromWire(uint64_t wire, KeyType* out);

}  // namespace p2pquic
