#include "scenarios/runner/initial_capture.h"

#include <chrono>
#include <memory>

#include "node/node_host.h"
#include "sim/event_queue.h"
#include "sim/sim_clock.h"
#include "sim/sim_network.h"
#include "transport/identity/private_key.h"
#include "transport/multiaddr/multiaddr.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::scenarios {
namespace {

// A client sends its first Initial at once on Connect; a second of virtual
// time is ample and bounds the private run.
constexpr Duration kCaptureLimit = std::chrono::seconds(1);
constexpr uint64_t kCaptureMaxEvents = 10'000;
// The private world's draws: the network's, and the client's (identity,
// CIDs), each from the seed mixed with a salt of its own.
constexpr uint64_t kNetworkSalt = 0x666c6f6f646e6574ULL;  // "floodnet"
constexpr uint64_t kClientSalt = 0x666c6f6f64636c69ULL;   // "floodcli"
// The throwaway client's address (TEST-NET-1, RFC 5737): in its private
// world only, so it can never collide with a scenario host.
constexpr std::array<uint8_t, 4> kClientIp = {192, 0, 2, 1};
constexpr uint16_t kClientPort = 50000;

}  // namespace

const char* ToString(CaptureStatus status) {
  switch (status) {
    case CaptureStatus::kOk:
      return "ok";
    case CaptureStatus::kHostFailed:
      return "the capturing client failed";
    case CaptureStatus::kNoInitial:
      return "the capturing client sent no Initial";
  }
  return "unknown";
}

CaptureStatus CaptureClientInitial(uint64_t seed, const SocketAddress& target,
                                   std::vector<uint8_t>* initial, std::string* error) {
  sim::EventQueue queue;
  sim::SimClock clock(queue);
  SeededRandom network_random(seed ^ kNetworkSalt);
  sim::SimNetwork network(queue, network_random);
  const SocketAddress client_address = SocketAddress::Ipv4(kClientIp, kClientPort);
  const sim::HostId client_host = network.AddHost("flood-capture-client");
  const sim::HostId trap_host = network.AddHost("flood-capture-target");
  if (network.AddAddress(client_host, client_address) != sim::NetworkResult::kOk ||
      network.AddAddress(trap_host, target) != sim::NetworkResult::kOk) {
    *error = "cannot place the capturing client or " + target.ToString();
    return CaptureStatus::kHostFailed;
  }
  std::unique_ptr<sim::SimSocket> trap = network.Bind(target);
  std::unique_ptr<sim::SimSocket> socket = network.Bind(client_address);
  if (trap == nullptr || socket == nullptr) {
    *error = "cannot bind the capturing client or " + target.ToString();
    return CaptureStatus::kHostFailed;
  }
  std::vector<uint8_t> caught;
  trap->SetReceiveHandler([&caught](const ReceivedDatagram& datagram) {
    if (caught.empty()) caught.assign(datagram.payload.begin(), datagram.payload.end());
  });
  SeededRandom random(seed ^ kClientSalt);
  PrivateKey identity;
  if (PrivateKey::Generate(KeyType::kEd25519, random, &identity) != KeyStatus::kOk) {
    *error = "cannot make the capturing client's identity";
    return CaptureStatus::kHostFailed;
  }
  HostOptions options;
  options.endpoint.accept_inbound = false;
  std::unique_ptr<Libp2pHost> client;
  if (node::BuildNodeHost(options, std::move(identity), *socket, clock, random, &client, error) !=
      node::NodeHostStatus::kOk) {
    return CaptureStatus::kHostFailed;
  }
  client->Start();
  std::string refused;
  const ConnectionHandle handle = client->Connect(
      Multiaddr::QuicV1(target),
      [&refused](ConnectionHandle dialed, const PeerId*, const std::string& why) {
        if (!dialed.valid()) refused = why;
      },
      /*allow_any_peer=*/true);
  if (!handle.valid()) {
    *error = "the capturing client's dial failed: " + refused;
    return CaptureStatus::kHostFailed;
  }
  queue.RunUntil([&caught] { return !caught.empty(); }, queue.Now() + kCaptureLimit,
                 kCaptureMaxEvents);
  // The client goes first: its connection's last writes need the socket.
  client.reset();
  if (caught.empty()) {
    *error =
        "no Initial within " + std::to_string(kCaptureLimit / std::chrono::milliseconds(1)) + " ms";
    return CaptureStatus::kNoInitial;
  }
  *initial = std::move(caught);
  return CaptureStatus::kOk;
}

}  // namespace p2pquic::scenarios
