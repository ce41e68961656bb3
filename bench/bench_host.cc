#include "bench/bench_host.h"

#include <utility>

#include "transport/host/protocol_services.h"
#include "transport/identity/key_type.h"
#include "transport/identity/private_key.h"

namespace p2pquic::bench {

bool MakeBenchHost(node::NodeRuntime& runtime, BenchRole role, BenchHost* out, std::string* error) {
  PrivateKey identity;
  if (PrivateKey::Generate(KeyType::kEd25519, runtime.random(), &identity) != KeyStatus::kOk) {
    *error = "cannot generate an Ed25519 identity";
    return false;
  }
  out->socket = runtime.Bind(SocketAddress::Loopback4(0), error);
  if (out->socket == nullptr) return false;
  HostOptions options;
  options.endpoint.accept_inbound = role == BenchRole::kListener;
  if (Libp2pHost::Create(options, std::move(identity), *out->socket, runtime.clock(),
                         runtime.random(), &out->host) != HostStatus::kOk) {
    *error = "cannot make a libp2p TLS certificate";
    return false;
  }
  if (role == BenchRole::kListener) RegisterDefaultServices(*out->host);
  out->host->Start();
  return true;
}

}  // namespace p2pquic::bench
