#include "tests/sim/handshake_transfer_run.h"

#include <memory>
#include <vector>

#include "sim/event_queue.h"
#include "sim/sim_clock.h"
#include "sim/sim_network.h"
#include "testing/accept_any_certificate.h"
#include "testing/echo_app.h"
#include "testing/test_certificate.h"
#include "transport/identity/peer_id.h"
#include "transport/identity/private_key.h"
#include "transport/quic/endpoint/endpoint.h"
#include "transport/runtime/seeded_random.h"
#include "transport/tls/libp2p_certificate.h"
#include "transport/tls/libp2p_certificate_verifier.h"

namespace p2pquic::sim {
namespace {

constexpr auto kOneWayDelay = std::chrono::milliseconds(20);
constexpr double kLoss = 0.02;
constexpr auto kHandshakeLimit = std::chrono::seconds(30);
constexpr auto kTransferLimit = std::chrono::seconds(120);
constexpr uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

uint64_t Fnv1a(uint64_t hash, const std::vector<uint8_t>& bytes) {
  for (uint8_t b : bytes) hash = (hash ^ b) * kFnvPrime;
  return hash;
}

// Uninstalls on every way out of Run, after the endpoints (declared later)
// are gone and before the clock it points at is.
class InstallScope {
 public:
  explicit InstallScope(bool active) : active_(active) {}
  ~InstallScope() {
    if (active_) DeterministicProcess::Uninstall();
  }
  InstallScope(const InstallScope&) = delete;
  InstallScope& operator=(const InstallScope&) = delete;

 private:
  bool active_;
};

// One side's certificate and the verifier it judges its peer with.
struct Side {
  TlsCredentials credentials;
  std::unique_ptr<PeerCertificateVerifier> verifier;
  PeerId peer_id;  // kLibp2p only.
};

bool MakeTestSide(Random& random, const SimClock& clock, Side* side) {
  side->credentials = testing::MakeSelfSignedCredentials(random, clock.WallNow());
  side->verifier = std::make_unique<testing::AcceptAnyCertificate>();
  return true;
}

bool MakeLibp2pSide(Random& random, const SimClock& clock, Side* side) {
  PrivateKey host_key;
  if (PrivateKey::Generate(KeyType::kEd25519, random, &host_key) != KeyStatus::kOk) return false;
  side->peer_id = PeerId::FromPublicKey(host_key.public_key());
  return Libp2pCertificate::Create(host_key, random, clock.WallNow(), CertificateOptions{},
                                   &side->credentials) == CertificateStatus::kOk;
}

}  // namespace

const char* ToString(RunStatus status) {
  switch (status) {
    case RunStatus::kOk:
      return "ok";
    case RunStatus::kCertificateFailed:
      return "certificate creation failed";
    case RunStatus::kDialFailed:
      return "dial failed";
    case RunStatus::kHandshakeTimedOut:
      return "handshake did not complete";
    case RunStatus::kStreamRefused:
      return "the client could not send its stream";
    case RunStatus::kTransferTimedOut:
      return "transfer did not complete";
    case RunStatus::kEchoMismatch:
      return "echoed bytes differ";
  }
  return "unknown";
}

RunResult HandshakeTransferRun::Run(const RunOptions& options) {
  RunResult result;
  EventQueue queue;
  SimClock clock(queue);
  const bool seeded = options.randomness == ProcessRandomness::kSeeded;
  if (seeded) result.install = DeterministicProcess::Install(options.seed, clock);
  InstallScope install_scope(seeded);

  // Each component its own stream, all from the one seed.
  SeededRandom master(options.seed);
  SeededRandom network_random(master.NextU64()), server_random(master.NextU64()),
      client_random(master.NextU64()), key_random(master.NextU64());
  SimNetwork network(queue, network_random);
  LinkConditions link;
  link.delay = kOneWayDelay;
  link.loss = kLoss;
  network.SetDefaultConditions(link);
  const SocketAddress server_address = SocketAddress::Ipv4({10, 0, 0, 1}, 4433);
  const SocketAddress client_address = SocketAddress::Ipv4({10, 0, 0, 2}, 50000);
  network.AddAddress(network.AddHost("server"), server_address);
  network.AddAddress(network.AddHost("client"), client_address);
  auto server_socket = network.Bind(server_address);
  auto client_socket = network.Bind(client_address);

  Side server_side, client_side;
  const bool libp2p = options.certificates == CertificateKind::kLibp2p;
  const bool made = libp2p ? MakeLibp2pSide(key_random, clock, &server_side) &&
                                 MakeLibp2pSide(key_random, clock, &client_side)
                           : MakeTestSide(key_random, clock, &server_side) &&
                                 MakeTestSide(key_random, clock, &client_side);
  if (!made) {
    result.status = RunStatus::kCertificateFailed;
    return result;
  }
  if (libp2p) {
    // The listener takes any libp2p peer; the dialer only the one it dialed.
    server_side.verifier = std::make_unique<Libp2pCertificateVerifier>(clock);
    client_side.verifier = std::make_unique<Libp2pCertificateVerifier>(clock, server_side.peer_id);
  }
  result.certificates_digest = Fnv1a(Fnv1a(kFnvOffset, server_side.credentials.certificate_der),
                                     client_side.credentials.certificate_der);

  testing::EchoApp server_app(*server_side.verifier, testing::EchoMode::kEcho);
  testing::EchoApp client_app(*client_side.verifier, testing::EchoMode::kRecordOnly);
  Endpoint server({}, *server_socket, clock, server_random, server_side.credentials, server_app);
  EndpointConfig client_config;
  client_config.accept_inbound = false;
  Endpoint client(client_config, *client_socket, clock, client_random, client_side.credentials,
                  client_app);
  server_app.set_endpoint(&server);
  client_app.set_endpoint(&client);
  server.Start();
  client.Start();

  ConnectionHandle handle;
  if (client.Dial(server_address, &handle) != DialResult::kOk) {
    result.status = RunStatus::kDialFailed;
    return result;
  }
  if (!queue.RunUntil([&] { return !client_app.ready().empty() && !server_app.ready().empty(); },
                      queue.Now() + kHandshakeLimit, kMaxEvents)) {
    result.status = RunStatus::kHandshakeTimedOut;
    return result;
  }
  std::vector<uint8_t> payload(kTransferBytes);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i * 7 + 3);
  int64_t stream;
  size_t accepted = 0;
  QuicConnection* quic = client.Find(handle);
  if (quic == nullptr || quic->OpenStream(&stream) != StreamOpenResult::kOk ||
      quic->WriteStream(stream, payload, /*fin=*/true, &accepted) != StreamWriteResult::kOk ||
      accepted != payload.size()) {
    result.status = RunStatus::kStreamRefused;
    return result;
  }
  client.Flush(handle);
  if (!queue.RunUntil([&] { return !client_app.finished().empty(); }, queue.Now() + kTransferLimit,
                      kMaxEvents)) {
    result.status = RunStatus::kTransferTimedOut;
  } else if (client_app.received() != payload) {
    result.status = RunStatus::kEchoMismatch;
  }
  result.digest = network.digest();
  result.delivered = network.stats().delivered();
  if (seeded) result.determinism = DeterministicProcess::stats();
  return result;
}

}  // namespace p2pquic::sim
