// MakeBenchHost: a Libp2pHost for the benches, on 127.0.0.1:<ephemeral>
// with a fresh Ed25519 identity: a dialer (accepts nothing), or a listener
// serving ping, identify and perf like p2pquic-node listen. Started.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "node/node_runtime.h"
#include "transport/host/libp2p_host.h"
#include "transport/runtime/asio/asio_udp_socket.h"

namespace p2pquic::bench {

struct BenchHost {
  std::unique_ptr<AsioUdpSocket> socket;
  std::unique_ptr<Libp2pHost> host;
};

enum class BenchRole : uint8_t { kDialer, kListener };

// False with `*error` saying what failed.
bool MakeBenchHost(node::NodeRuntime& runtime, BenchRole role, BenchHost* out, std::string* error);

}  // namespace p2pquic::bench
