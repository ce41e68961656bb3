// A dial that fails inside Endpoint::Dial, after the connection was created
// (here: the endpoint refuses the connection's first CID), is reported by
// Libp2pHost::Connect as its contract says: an invalid handle returned, and
// the callback called once, with an invalid handle and the reason. (It once
// got the created connection's handle instead, so callers that wait for an
// invalid handle printed an empty reason: "dial: ".)
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/transport/host/host_pair_test_base.h"
#include "transport/host/libp2p_host.h"
#include "transport/identity/key_type.h"
#include "transport/identity/private_key.h"
#include "transport/routing/cid_registrar.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::testing {
namespace {

// Refuses every CID, as a registry past its limits would.
class RefusingCidRegistrar final : public CidRegistrar {
 public:
  CidEntryResult Register(ConnectionIdRegistry&, ConnectionHandle, const ConnectionId&, uint64_t,
                          Listener&) override {
    ++refused;
    return CidEntryResult::kRefused;
  }
  void Withdraw(ConnectionHandle, uint64_t) override {}
  void WithdrawAll(ConnectionHandle) override {}
  int refused = 0;
};

struct ConnectReport {
  ConnectionHandle handle;
  bool has_peer;
  std::string error;
};

class DialFailureReasonTest : public HostPairTestBase {
 protected:
  std::unique_ptr<Libp2pHost> MakeHostWith(const HostOptions& options, HostStatus* status) {
    RebindResult bound;
    auto socket = AsioUdpSocket::Open(io_, clock_, SocketAddress::Loopback4(0), &bound);
    EXPECT_NE(socket, nullptr) << ToString(bound);
    if (socket == nullptr) return nullptr;
    SeededRandom key_random(kStrangerKeySeed);
    PrivateKey key;
    EXPECT_EQ(PrivateKey::Generate(KeyType::kEd25519, key_random, &key), KeyStatus::kOk);
    std::unique_ptr<Libp2pHost> host;
    *status = Libp2pHost::Create(options, std::move(key), *socket, clock_, random_, &host);
    sockets_.push_back(std::move(socket));
    if (host != nullptr) host->Start();
    return host;
  }

  RefusingCidRegistrar registrar_;
};

TEST_F(DialFailureReasonTest, AFailureInsideDialNamesItsReasonWithAnInvalidHandle) {
  HostOptions options;
  options.endpoint.accept_inbound = false;
  options.endpoint.cid_registrar = &registrar_;
  HostStatus status;
  std::unique_ptr<Libp2pHost> host = MakeHostWith(options, &status);
  ASSERT_EQ(status, HostStatus::kOk);
  std::vector<ConnectReport> reports;
  const ConnectionHandle handle =
      host->Connect(listener_->ListenAddress(),
                    [&](ConnectionHandle h, const PeerId* peer, const std::string& e) {
                      reports.push_back({h, peer != nullptr, e});
                    });
  EXPECT_FALSE(handle.valid());
  EXPECT_GE(registrar_.refused, 1);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_FALSE(reports[0].handle.valid());
  EXPECT_FALSE(reports[0].has_peer);
  EXPECT_EQ(reports[0].error,
            "connection setup failed: the endpoint refused the connection's first CID");
  EXPECT_EQ(host->endpoint().connection_count(), 0u);
  EXPECT_EQ(host->endpoint().registry().LiveConnectionCount(), 0u);
  EXPECT_TRUE(host->endpoint().registry().CheckInvariants().ok());
}

TEST_F(DialFailureReasonTest, AListeningHostWithZeroLengthCidsIsRefused) {
  HostOptions options;
  options.endpoint.quic.local_cid_length = 0;
  ASSERT_TRUE(options.endpoint.accept_inbound);
  HostStatus status;
  std::unique_ptr<Libp2pHost> host = MakeHostWith(options, &status);
  EXPECT_EQ(status, HostStatus::kBadEndpointConfig);
  EXPECT_EQ(host, nullptr);
}

TEST_F(DialFailureReasonTest, ADialingHostWithZeroLengthCidsConnects) {
  HostOptions options;
  options.endpoint.accept_inbound = false;
  options.endpoint.quic.local_cid_length = 0;
  HostStatus status;
  std::unique_ptr<Libp2pHost> host = MakeHostWith(options, &status);
  ASSERT_EQ(status, HostStatus::kOk);
  std::vector<ConnectReport> reports;
  const ConnectionHandle handle =
      host->Connect(listener_->ListenAddress(),
                    [&](ConnectionHandle h, const PeerId* peer, const std::string& e) {
                      reports.push_back({h, peer != nullptr, e});
                    });
  ASSERT_TRUE(handle.valid());
  ASSERT_TRUE(RunUntil([&] { return !reports.empty(); }));
  EXPECT_EQ(reports[0].handle, handle);
  EXPECT_TRUE(reports[0].has_peer) << reports[0].error;
  EXPECT_EQ(reports[0].error, "");
  EXPECT_GE(host->endpoint().registry().stats().lookups(RouteOutcome::kTupleHit), 1u);
  EXPECT_EQ(host->endpoint().registry().CidCount(handle), 0u);
}

}  // namespace
}  // namespace p2pquic::testing
