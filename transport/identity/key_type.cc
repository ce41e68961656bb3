#include "transport/identity/key_type.h"

namespace p2pquic {

const char* ToString(KeyType type) {
  switch (type) {
    case KeyType::kRsa:
      return "rsa";
    case KeyType::kEd25519:
      return "ed25519";
    case KeyType::kSecp256k1:
      return "secp256k1";
    case KeyType::kEcdsa:
      return "ecdsa";
  }
  return "unknown key type";
}

bool KeyTypeFromWire(uint64_t wire, KeyType* out) {
  switch (wire) {
    case 0:
    case 1:
    case 2:
    case 3:
      *out = static_cast<KeyType>(wire);
      return true;
    default:
      return false;
  }
}

}  // namespace p2pquic
