#include "tests/transport/host/host_pair_test_base.h"

#include "transport/host/protocol_services.h"
#include "transport/identity/key_type.h"
#include "transport/identity/private_key.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::testing {
namespace {

PrivateKey KeyFor(uint64_t key_seed) {
  SeededRandom key_random(key_seed);
  PrivateKey key;
  EXPECT_EQ(PrivateKey::Generate(KeyType::kEd25519, key_random, &key), KeyStatus::kOk);
  return key;
}

}  // namespace

HostPairTestBase::HostPairTestBase() : clock_(io_) {}

HostPairTestBase::~HostPairTestBase() {
  // Hosts before their sockets (member order does this too; be explicit).
  dialer_.reset();
  listener_.reset();
}

void HostPairTestBase::SetUp() {
  listener_ = MakeHost(kListenerKeySeed);
  dialer_ = MakeHost(kDialerKeySeed);
  ASSERT_NE(listener_, nullptr);
  ASSERT_NE(dialer_, nullptr);
  listener_->on_connection_ready = [this](ConnectionHandle handle, const std::string& peer) {
    listener_ready_.emplace_back(handle, peer);
  };
}

std::unique_ptr<Libp2pHost> HostPairTestBase::MakeHost(uint64_t key_seed) {
  RebindResult bound;
  std::unique_ptr<AsioUdpSocket> socket =
      AsioUdpSocket::Open(io_, clock_, SocketAddress::Loopback4(0), &bound);
  EXPECT_NE(socket, nullptr) << ToString(bound);
  if (socket == nullptr) return nullptr;
  std::unique_ptr<Libp2pHost> host;
  const HostStatus status =
      Libp2pHost::Create(HostOptions{}, KeyFor(key_seed), *socket, clock_, random_, &host);
  EXPECT_EQ(status, HostStatus::kOk);
  if (status != HostStatus::kOk) return nullptr;
  sockets_.push_back(std::move(socket));
  RegisterDefaultServices(*host);
  host->Start();
  return host;
}

PeerId HostPairTestBase::PeerIdFor(uint64_t key_seed) {
  return PeerId::FromPublicKey(KeyFor(key_seed).public_key());
}

bool HostPairTestBase::ConnectPair() {
  // Members, not locals: the host keeps the callback until it runs.
  dialer_->Connect(listener_->ListenAddress(),
                   [this](ConnectionHandle handle, const PeerId* peer, const std::string& error) {
                     connect_called_ = true;
                     connection_ = handle;
                     if (peer != nullptr) dialer_learned_ = peer->ToString();
                     connect_error_ = error;
                   });
  const bool ready = RunUntil([&] { return connect_called_ && !listener_ready_.empty(); });
  EXPECT_TRUE(ready) << "connect callback " << (connect_called_ ? "ran" : "did not run")
                     << ", listener saw " << listener_ready_.size() << " connections";
  EXPECT_EQ(connect_error_, "");
  return ready && connect_error_.empty();
}

}  // namespace p2pquic::testing
