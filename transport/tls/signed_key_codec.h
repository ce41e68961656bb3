// SignedKeyCodec: DER of the libp2p TLS extension's value (libp2p TLS spec):
//   SignedKey ::= SEQUENCE { publicKey OCTET STRING, signature OCTET STRING }
// Parsing is strict DER (definite, minimal lengths, nothing trailing) and
// bounded, because the bytes come from an unauthenticated peer.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace p2pquic {

struct SignedKey {
  std::vector<uint8_t> public_key;  // libp2p PublicKey protobuf of the host key.
  std::vector<uint8_t> signature;   // Over "libp2p-tls-handshake:" || cert SPKI.
};

enum class SignedKeyStatus : uint8_t { kOk, kMalformed, kTooLarge, kTrailingBytes };
const char* ToString(SignedKeyStatus status);

class SignedKeyCodec {
 public:
  // An RSA-4096 public key and signature fit well inside.
  static constexpr size_t kMaxEncodedSize = 4096;

  static std::vector<uint8_t> Encode(const SignedKey& key);
  static SignedKeyStatus Decode(std::span<const uint8_t> der, SignedKey* out);
};

}  // namespace p2pquic
