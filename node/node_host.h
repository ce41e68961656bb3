// BuildNodeHost: a Libp2pHost as p2pquic-node runs it. Its stateless reset
// secret comes from the identity (stateless_reset_secret.h: a node restarted
// with the same identity is recognised by the peers it lost), and it serves
// the protocols every node serves (ping, identify, perf). The node's
// commands and the simulator's hosts are built by this one function, so a
// scenario runs the host production runs.
//
// Its Retry and NEW_TOKEN token secret is derived from the identity too
// (kTokenSecretLabel), unless `options.endpoint.token_secret` is set (hosts
// of one deployment with different identities share one).
//
// Contract: `options.endpoint.stateless_reset_secret` is replaced by the
// derived one; on kOk `*out` holds the host (not started), otherwise `*out`
// is unchanged and `*error` says what failed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "transport/host/libp2p_host.h"
#include "transport/identity/private_key.h"
#include "transport/runtime/clock.h"
#include "transport/runtime/datagram_socket.h"
#include "transport/runtime/random.h"

namespace p2pquic::node {

enum class NodeHostStatus : uint8_t {
  kOk,
  kResetSecretFailed,  // The identity gave no stateless reset secret.
  kCertificateFailed,  // No libp2p TLS certificate could be made.
  kBadEndpointConfig,  // CheckEndpointConfig refused options.endpoint.
};

NodeHostStatus BuildNodeHost(HostOptions options, PrivateKey identity, DatagramSocket& socket,
                             Clock& clock, Random& random, std::unique_ptr<Libp2pHost>* out,
                             std::string* error);

}  // namespace p2pquic::node
