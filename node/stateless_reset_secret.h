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
#include "transport/quic/endpoint/address_validator.h"

namespace p2pquic::node {

// HKDF's info: names what the derived bytes are for. Changing it changes
// every node's secret (peers of an upgraded, restarted node would then not
// recognise its resets until they reconnect).
inline constexpr std::string_view kStatelessResetSecretLabel = "p2pquic stateless reset secret v1";
// The same derivation, for the secret Retry and NEW_TOKEN tokens are sealed
// with (AddressValidator): every worker of a node derives the same one, so
// a token one worker issued is accepted by whichever worker the client's
// next Initial reaches, and a restarted node still accepts the NEW_TOKEN
// tokens it handed out. Hosts behind one load balancer with different
// identities share a token secret file instead (p2pquic-node listen
// --token-secret).
inline constexpr std::string_view kTokenSecretLabel = "p2pquic token secret v1";

enum class ResetSecretStatus : uint8_t {
  kOk,
  kEmptyKey,      // No identity to derive from.
  kEncodeFailed,  // The key could not be encoded.
  kKdfFailed,     // OpenSSL's HKDF refused.
};
const char* ToString(ResetSecretStatus status);

// On kOk `*out` holds the secret; otherwise it is unchanged.
ResetSecretStatus DeriveStatelessResetSecret(const PrivateKey& identity, ResetSecret* out);
ResetSecretStatus DeriveTokenSecret(const PrivateKey& identity, TokenSecret* out);

}  // namespace p2pquic::node
