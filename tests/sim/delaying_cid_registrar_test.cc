#include "sim/delaying_cid_registrar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "sim/event_queue.h"
#include "sim/sim_clock.h"
#include "testing/packet_builder.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::sim {
namespace {

using std::chrono::milliseconds;

struct Entered final : CidRegistrar::Listener {
  void OnDeferredCidEntered(ConnectionHandle, const ConnectionId&, uint64_t sequence) override {
    sequences.push_back(sequence);
  }
  std::vector<uint64_t> sequences;
};

class DelayingCidRegistrarTest : public ::testing::Test {
 protected:
  bool Holds(const ConnectionId& cid) {
    return registry_
               .Route(RoutingHeader{PacketForm::kShort, LongPacketType::kNone, 0, cid, {}, {}}, {},
                      {}, queue_.Now())
               .outcome == RouteOutcome::kCidHit;
  }

  EventQueue queue_;
  SimClock clock_{queue_};
  SeededRandom random_{1};
  ConnectionIdRegistry registry_{RegistrySettings{}, random_};
  DelayingCidRegistrar registrar_{clock_};
  Entered listener_;
  ConnectionHandle connection_ = registry_.OpenConnection();
};

TEST_F(DelayingCidRegistrarTest, WithoutADelayEveryCidIsEnteredAtOnce) {
  EXPECT_EQ(registrar_.Register(registry_, connection_, testing::MakeCid(1), 0, listener_),
            CidEntryResult::kEntered);
  EXPECT_EQ(registrar_.Register(registry_, connection_, testing::MakeCid(2), 1, listener_),
            CidEntryResult::kEntered);
  EXPECT_TRUE(Holds(testing::MakeCid(2)));
  EXPECT_EQ(registrar_.pending(), 0u);
}

TEST_F(DelayingCidRegistrarTest, LaterCidsAreEnteredAfterTheDelayAndReported) {
  registrar_.set_delay(milliseconds(100));
  EXPECT_EQ(registrar_.Register(registry_, connection_, testing::MakeCid(1), 0, listener_),
            CidEntryResult::kEntered)
      << "sequence 0 is never deferred";
  EXPECT_EQ(registrar_.Register(registry_, connection_, testing::MakeCid(2), 1, listener_),
            CidEntryResult::kDeferred);
  EXPECT_FALSE(Holds(testing::MakeCid(2)));
  queue_.RunUntil(queue_.Now() + milliseconds(99));
  EXPECT_FALSE(Holds(testing::MakeCid(2)));
  EXPECT_TRUE(listener_.sequences.empty());
  queue_.RunUntil(queue_.Now() + milliseconds(1));
  EXPECT_TRUE(Holds(testing::MakeCid(2)));
  EXPECT_EQ(listener_.sequences, std::vector<uint64_t>{1});
  EXPECT_EQ(registrar_.pending(), 0u);
}

TEST_F(DelayingCidRegistrarTest, AWithdrawnEntryIsNeverMade) {
  registrar_.set_delay(milliseconds(100));
  registrar_.Register(registry_, connection_, testing::MakeCid(2), 1, listener_);
  registrar_.Register(registry_, connection_, testing::MakeCid(3), 2, listener_);
  const ConnectionHandle other = registry_.OpenConnection();
  registrar_.Register(registry_, other, testing::MakeCid(4), 1, listener_);
  registrar_.Withdraw(connection_, 1);
  EXPECT_EQ(registrar_.pending(), 2u);
  registrar_.WithdrawAll(other);
  EXPECT_EQ(registrar_.pending(), 1u);
  queue_.RunUntil(queue_.Now() + milliseconds(200));
  EXPECT_FALSE(Holds(testing::MakeCid(2)));
  EXPECT_TRUE(Holds(testing::MakeCid(3)));
  EXPECT_FALSE(Holds(testing::MakeCid(4)));
  EXPECT_EQ(listener_.sequences, std::vector<uint64_t>{2});
}

TEST_F(DelayingCidRegistrarTest, AnEntryTheFallbackMadeFirstIsNotReportedAgain) {
  registrar_.set_delay(milliseconds(100));
  registrar_.Register(registry_, connection_, testing::MakeCid(2), 1, listener_);
  ASSERT_EQ(registry_.IssueCid(connection_, testing::MakeCid(2), 1), RegistryResult::kOk);
  queue_.RunUntil(queue_.Now() + milliseconds(100));
  EXPECT_TRUE(listener_.sequences.empty());
  EXPECT_EQ(registrar_.pending(), 0u);
}

}  // namespace
}  // namespace p2pquic::sim
