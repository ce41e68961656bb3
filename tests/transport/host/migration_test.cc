// Libp2pHost::Migrate between two real hosts over loopback UDP: the dialer
// moves to a new port and its connection (same handle, same peer, no new
// handshake) carries on, streams and all; a listener refuses to move; a
// failed rebind leaves everything where it was.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/transport/host/host_pair_test_base.h"
#include "transport/host/identify_client.h"
#include "transport/host/perf_client_handler.h"
#include "transport/host/ping_client.h"
#include "transport/multiaddr/multiaddr.h"
#include "transport/protocols/identify_message.h"
#include "transport/protocols/perf_protocol.h"
#include "transport/protocols/ping_payload.h"

namespace p2pquic::testing {
namespace {

constexpr int kPings = 6;
constexpr int kPingsBeforeMigration = 3;
// Long enough that the next ping is still waiting on its timer when the
// test body migrates, so it is sent on the new path.
constexpr auto kPingInterval = std::chrono::milliseconds(50);
constexpr uint64_t kMegabyte = 1000 * 1000;
// Big enough that migrating after kMigrateAtReceived leaves most of it to
// go over the new path.
constexpr uint64_t kTransfer = 32 * kMegabyte;
constexpr uint64_t kMigrateAtReceived = 4 * kMegabyte;

class MigrationTest : public HostPairTestBase {
 protected:
  using PingRecorder = Recorder<PingReport>;
  using PerfRecorder = Recorder<PerfReport>;

  // Ping indexes whose echo arrived before / after `migrated_` was set.
  struct Echoes {
    std::vector<int> before;
    std::vector<int> after;
  };

  std::shared_ptr<PingRecorder> StartPings(int count, Duration interval) {
    auto recorder = std::make_shared<PingRecorder>();
    auto echoes = echoes_;
    auto migrated = migrated_;
    EXPECT_EQ(
        dialer_->OpenStream(connection_, {std::string(protocols::kPingProtocolId)},
                            std::make_unique<PingClient>(
                                dialer_->clock(), dialer_->random(), count, interval,
                                [echoes, migrated](int index, Duration) {
                                  (*migrated ? echoes->after : echoes->before).push_back(index);
                                },
                                PingRecorder::Callback(recorder))),
        OpenStreamResult::kOk);
    return recorder;
  }

  std::shared_ptr<PerfRecorder> StartPerf(uint64_t upload, uint64_t download) {
    auto recorder = std::make_shared<PerfRecorder>();
    EXPECT_EQ(
        dialer_->OpenStream(connection_, {std::string(protocols::kPerfProtocolId)},
                            std::make_unique<PerfClientHandler>(dialer_->clock(), upload, download,
                                                                PerfRecorder::Callback(recorder))),
        OpenStreamResult::kOk);
    return recorder;
  }

  // Migrates the dialer to a new port on 127.0.0.1 and checks it moved.
  void MigrateDialer() {
    const SocketAddress before = dialer_->LocalAddress();
    ASSERT_EQ(dialer_->Migrate(before.WithPort(0)), MigrateResult::kOk);
    *migrated_ = true;
    EXPECT_NE(dialer_->LocalAddress().port(), before.port());
    EXPECT_EQ(dialer_->LocalAddress().WithPort(0).ToString(),
              before.WithPort(0).ToString());  // Same IP.
  }

  // Both path validations (the dialer's of its new path, the listener's of
  // the dialer's new address) have succeeded.
  bool BothSidesValidated() const {
    return dialer_->endpoint().stats().path_validations_succeeded >= 1 &&
           listener_->endpoint().stats().path_validations_succeeded >= 1;
  }

  // Still the one connection from ConnectPair: no redial, no second
  // handshake on either side, the same handle and peer; the listener sees
  // it coming from the dialer's new address.
  void ExpectTheSameConnectionOnTheNewPath() {
    EXPECT_EQ(dialer_->connection_count(), 1u);
    EXPECT_EQ(listener_->connection_count(), 1u);
    EXPECT_EQ(listener_ready_.size(), 1u);
    EXPECT_EQ(dialer_->endpoint().stats().handshakes_started, 1u);
    EXPECT_EQ(listener_->endpoint().stats().handshakes_started, 1u);
    const PeerId* peer = dialer_->PeerOf(connection_);
    ASSERT_NE(peer, nullptr);
    EXPECT_EQ(*peer, listener_->peer_id());
    EXPECT_EQ(dialer_->endpoint().stats().migrations, 1u);
    EXPECT_EQ(dialer_->endpoint().stats().path_validations_failed, 0u);
    EXPECT_EQ(listener_->endpoint().stats().path_validations_failed, 0u);
    ASSERT_FALSE(listener_ready_.empty());
    EXPECT_EQ(RemoteSeenByListener(), dialer_->LocalAddress().ToString());
    EXPECT_TRUE(dialer_->endpoint().registry().CheckInvariants().ok());
    EXPECT_TRUE(listener_->endpoint().registry().CheckInvariants().ok());
  }

  // The dialer's address as the listener's connection sees it now.
  std::string RemoteSeenByListener() const {
    if (listener_ready_.empty()) return "<no inbound connection>";
    const std::optional<SocketAddress> remote =
        listener_->RemoteAddressOf(listener_ready_.front().first);
    return remote ? remote->ToString() : "<connection gone>";
  }

  std::shared_ptr<Echoes> echoes_ = std::make_shared<Echoes>();
  std::shared_ptr<bool> migrated_ = std::make_shared<bool>(false);
};

TEST_F(MigrationTest, PingsOnOneStreamCarryOnAfterTheDialerMigrates) {
  ASSERT_TRUE(ConnectPair());
  auto pings = StartPings(kPings, kPingInterval);
  ASSERT_TRUE(RunUntil([&] {
    return static_cast<int>(echoes_->before.size()) >= kPingsBeforeMigration || pings->done();
  }));
  ASSERT_FALSE(pings->done()) << pings->report().error;
  MigrateDialer();
  ASSERT_TRUE(RunUntil([&] { return pings->done() && BothSidesValidated(); }))
      << "pings done: " << pings->done() << ", dialer validations "
      << dialer_->endpoint().stats().path_validations_succeeded << ", listener validations "
      << listener_->endpoint().stats().path_validations_succeeded;
  EXPECT_EQ(pings->report().error, "");
  EXPECT_EQ(pings->report().completed, kPings);
  EXPECT_EQ(echoes_->before, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(echoes_->after, (std::vector<int>{3, 4, 5}));
  ExpectTheSameConnectionOnTheNewPath();
}

TEST_F(MigrationTest, AStreamMidTransferMovesBothWaysExactlyAcrossTheMigration) {
  ASSERT_TRUE(ConnectPair());
  auto perf = StartPerf(kTransfer, kTransfer);
  ASSERT_TRUE(RunUntil([&] {
    return listener_->endpoint().stats().bytes_received >= kMigrateAtReceived || perf->done();
  }));
  ASSERT_FALSE(perf->done()) << "the transfer ended before the migration: " << perf->report().error;
  const uint64_t received_before = listener_->endpoint().stats().bytes_received;
  MigrateDialer();
  ASSERT_TRUE(RunUntil([&] { return perf->done() && BothSidesValidated(); }));
  EXPECT_EQ(perf->report().error, "");
  EXPECT_EQ(perf->report().uploaded, kTransfer);
  EXPECT_EQ(perf->report().downloaded, kTransfer);
  // Most of the upload went over the new path.
  EXPECT_GE(listener_->endpoint().stats().bytes_received - received_before,
            kTransfer - kMigrateAtReceived);
  ExpectTheSameConnectionOnTheNewPath();
  // And a new stream on the migrated connection works too.
  auto pings = StartPings(1, Duration::zero());
  ASSERT_TRUE(RunUntil([&] { return pings->done(); }));
  EXPECT_EQ(pings->report().error, "");
}

TEST_F(MigrationTest, IdentifyAfterTheMigrationObservesTheDialersNewAddress) {
  ASSERT_TRUE(ConnectPair());
  // A round trip first: a client may only migrate once the handshake is
  // confirmed (HANDSHAKE_DONE arrived), which a ready connection may not be.
  auto first = StartPings(1, Duration::zero());
  ASSERT_TRUE(RunUntil([&] { return first->done(); }));
  MigrateDialer();
  auto pings = StartPings(1, Duration::zero());
  ASSERT_TRUE(RunUntil([&] { return pings->done() && BothSidesValidated(); }));
  ASSERT_EQ(pings->report().error, "");
  auto identify = std::make_shared<Recorder<IdentifyReport>>();
  ASSERT_EQ(dialer_->OpenStream(
                connection_, {std::string(protocols::kIdentifyProtocolId)},
                std::make_unique<IdentifyClient>(Recorder<IdentifyReport>::Callback(identify))),
            OpenStreamResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return identify->done(); }));
  ASSERT_EQ(identify->report().error, "");
  ASSERT_TRUE(identify->report().message.observed_addr.has_value());
  Multiaddr observed;
  ASSERT_TRUE(Multiaddr::FromBytes(*identify->report().message.observed_addr, &observed).ok());
  EXPECT_EQ(observed.ToString(), Multiaddr::QuicV1(dialer_->LocalAddress()).ToString());
}

TEST_F(MigrationTest, AListenerWithInboundConnectionsDoesNotMove) {
  ASSERT_TRUE(ConnectPair());
  const SocketAddress before = listener_->LocalAddress();
  EXPECT_EQ(listener_->Migrate(before.WithPort(0)), MigrateResult::kServesInbound);
  EXPECT_EQ(listener_->LocalAddress().ToString(), before.ToString());
  auto pings = StartPings(1, Duration::zero());
  ASSERT_TRUE(RunUntil([&] { return pings->done(); }));
  EXPECT_EQ(pings->report().error, "");
  EXPECT_EQ(listener_->endpoint().stats().migrations, 0u);
}

TEST_F(MigrationTest, AnAddressInUseLeavesTheConnectionOnItsPath) {
  ASSERT_TRUE(ConnectPair());
  auto first = StartPings(1, Duration::zero());  // A round trip: the handshake is confirmed.
  ASSERT_TRUE(RunUntil([&] { return first->done(); }));
  const SocketAddress before = dialer_->LocalAddress();
  // The listener holds that port.
  EXPECT_EQ(dialer_->Migrate(listener_->LocalAddress()), MigrateResult::kRebindFailed);
  EXPECT_EQ(dialer_->LocalAddress().ToString(), before.ToString());
  auto pings = StartPings(2, Duration::zero());
  ASSERT_TRUE(RunUntil([&] { return pings->done(); }));
  EXPECT_EQ(pings->report().error, "");
  EXPECT_EQ(pings->report().completed, 2);
  EXPECT_EQ(dialer_->endpoint().stats().migrations, 0u);
  EXPECT_EQ(RemoteSeenByListener(), before.ToString());
}

}  // namespace
}  // namespace p2pquic::testing
