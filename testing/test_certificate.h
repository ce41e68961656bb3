// Self-signed certificates for tests (OpenSSL 3): not libp2p certificates,
// just something a TLS handshake can carry.
#pragma once

#include <chrono>

#include "transport/base/time.h"
#include "transport/runtime/random.h"
#include "transport/tls/tls_credentials.h"

namespace p2pquic::testing {

enum class TestKeyType { kEcdsaP256, kEd25519 };

// A fresh key and a self-signed certificate valid from now - 1 h for
// `valid_for` (negative makes an already expired one). Key and validity
// come from OpenSSL's DRBG and the system clock: different every call.
TlsCredentials MakeSelfSignedCredentials(TestKeyType type = TestKeyType::kEcdsaP256,
                                         std::chrono::seconds valid_for = std::chrono::hours(24));

// The same, made from `random` (the key) and `now` (the validity window)
// only, for replayable simulations. An Ed25519 certificate is then fixed by
// them; an ECDSA self-signature also draws a nonce from OpenSSL's RAND,
// which sim::DeterministicProcess seeds.
TlsCredentials MakeSelfSignedCredentials(Random& random, UnixTime now,
                                         TestKeyType type = TestKeyType::kEcdsaP256,
                                         std::chrono::seconds valid_for = std::chrono::hours(24));

}  // namespace p2pquic::testing
