// DeriveStatelessResetSecret: p2pquic-node's stateless reset secret, derived
// from its identity key. RFC 9000 §10.3.2: with a static key, a node that
// restarts with the same identity answers its peers' packets for the
// connections it lost with stateless resets they recognise (their tokens
// came from the same key), so they close at once instead of at their idle
// timeout. HKDF-SHA256 (RFC 5869) over the key's libp2p protobuf encoding
// with a label of its own: the secret tells nothing about the key, and no
// other use of the key derives the same bytes.
//
// Contract: deterministic (the same key gives the same secret, in every
// version that keeps kStatelessResetSecretLabel); the intermediate copy of
// the key is wiped.
#pragma once

#include <cstdint>
#include <string_view>

#include "transport/identity/private_key.h"
#include "transport/quic/connection/quic_connection.h"

namespace p2pquic::node {

// HKDF's info: names what the derived bytes are for. Changing it changes
// every node's secret (peers of an upgraded, restarted node would then not
// recognise its resets until they reconnect).
inline constexpr std::string_view kStatelessResetSecretLabel = "p2pquic stateless reset secret v1";

enum class ResetSecretStatus : uint8_t {
  kOk,
  kEmptyKey,      // No identity to derive from.
  kEncodeFailed,  // The key could not be encoded.
  kKdfFailed,     // OpenSSL's HKDF refused.
};
const char* ToString(ResetSecretStatus status);

// On kOk `*out` holds the secret; otherwise it is unchanged.
ResetSecretStatus DeriveStatelessResetSecret(const PrivateKey& identity, ResetSecret* out);

}  // namespace p2pquic::node
