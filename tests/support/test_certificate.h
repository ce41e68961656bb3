// Self-signed certificates for tests (OpenSSL 3): not libp2p certificates,
// just something a TLS handshake can carry.
#pragma once

#include <chrono>

#include "transport/tls/tls_credentials.h"

namespace p2pquic::testing {

enum class TestKeyType { kEcdsaP256, kEd25519 };

// A fresh key and a self-signed certificate valid from now - 1 h for
// `valid_for` (negative makes an already expired one).
TlsCredentials MakeSelfSignedCredentials(TestKeyType type = TestKeyType::kEcdsaP256,
                                         std::chrono::seconds valid_for = std::chrono::hours(24));

}  // namespace p2pquic::testing
