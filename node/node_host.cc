#include "node/node_host.h"

#include <utility>

#include "node/stateless_reset_secret.h"
#include "transport/host/protocol_services.h"

namespace p2pquic::node {

NodeHostStatus BuildNodeHost(HostOptions options, PrivateKey identity, DatagramSocket& socket,
                             Clock& clock, Random& random, std::unique_ptr<Libp2pHost>* out,
                             std::string* error) {
  ResetSecret secret;
  const ResetSecretStatus derived = DeriveStatelessResetSecret(identity, &secret);
  if (derived != ResetSecretStatus::kOk) {
    *error = std::string("cannot derive the stateless reset secret: ") + ToString(derived);
    return NodeHostStatus::kResetSecretFailed;
  }
  options.endpoint.stateless_reset_secret = secret;
  // Every worker (and a restarted node) seals and opens tokens alike.
  if (!options.endpoint.token_secret) {
    TokenSecret token_secret;
    const ResetSecretStatus token = DeriveTokenSecret(identity, &token_secret);
    if (token != ResetSecretStatus::kOk) {
      *error = std::string("cannot derive the token secret: ") + ToString(token);
      return NodeHostStatus::kResetSecretFailed;
    }
    options.endpoint.token_secret = token_secret;
  }
  if (const EndpointConfigStatus config = CheckEndpointConfig(options.endpoint);
      config != EndpointConfigStatus::kOk) {
    *error = std::string("endpoint configuration: ") + ToString(config);
    return NodeHostStatus::kBadEndpointConfig;
  }
  std::unique_ptr<Libp2pHost> host;
  if (Libp2pHost::Create(options, std::move(identity), socket, clock, random, &host) !=
      HostStatus::kOk) {
    *error = "cannot make a TLS certificate for the identity";
    return NodeHostStatus::kCertificateFailed;
  }
  RegisterDefaultServices(*host);
  *out = std::move(host);
  return NodeHostStatus::kOk;
}

}  // namespace p2pquic::node
