// ConnectionLifecycle: the states in order, the first end kept whatever
// follows, and the closing and draining periods ending 3 PTOs later.
#include "transport/quic/connection/connection_lifecycle.h"

#include <gtest/gtest.h>

#include <chrono>

namespace p2pquic {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const Timestamp kStart = Timestamp(seconds(5));
constexpr Duration kPto = milliseconds(100);

TEST(ConnectionLifecycleTest, StartsHandshakingWithNoEnd) {
  ConnectionLifecycle life;
  EXPECT_EQ(life.state(), ConnectionState::kHandshaking);
  EXPECT_FALSE(life.Ending());
  EXPECT_FALSE(life.close_cause().has_value());
  EXPECT_EQ(life.close_reason(), "");
  EXPECT_EQ(life.OnTimer(kStart), ConnectionState::kHandshaking);
  life.OnHandshakeCompleted();
  EXPECT_EQ(life.state(), ConnectionState::kEstablished);
  EXPECT_FALSE(life.Ending());
}

TEST(ConnectionLifecycleTest, TheClosingPeriodLastsThreePtos) {
  ConnectionLifecycle life;
  life.OnHandshakeCompleted();
  life.EnterClosingPeriod(ConnectionState::kClosing, CloseCause::kLocalClose, "closed", kStart,
                          kPto);
  EXPECT_EQ(life.state(), ConnectionState::kClosing);
  EXPECT_TRUE(life.Ending());
  EXPECT_EQ(life.close_cause(), CloseCause::kLocalClose);
  EXPECT_EQ(life.close_reason(), "closed");
  EXPECT_EQ(life.closing_deadline(), kStart + 3 * kPto);
  EXPECT_EQ(life.OnTimer(kStart + 3 * kPto - Duration(1)), ConnectionState::kClosing);
  EXPECT_EQ(life.OnTimer(kStart + 3 * kPto), ConnectionState::kClosed);
}

TEST(ConnectionLifecycleTest, TheDrainingPeriodEndsTheSameWay) {
  ConnectionLifecycle life;
  life.EnterClosingPeriod(ConnectionState::kDraining, CloseCause::kPeerClose, "peer", kStart, kPto);
  EXPECT_EQ(life.state(), ConnectionState::kDraining);
  EXPECT_TRUE(life.Ending());
  EXPECT_EQ(life.OnTimer(kStart + 3 * kPto), ConnectionState::kClosed);
  EXPECT_EQ(life.close_cause(), CloseCause::kPeerClose);
}

TEST(ConnectionLifecycleTest, TheFirstEndIsKept) {
  ConnectionLifecycle life;
  life.OnHandshakeCompleted();
  life.EnterClosingPeriod(ConnectionState::kClosing, CloseCause::kLocalError, "read: boom", kStart,
                          kPto);
  // The peer's CONNECTION_CLOSE during our closing period drains, but the
  // connection still ended by our error.
  life.EnterClosingPeriod(ConnectionState::kDraining, CloseCause::kPeerClose, "peer", kStart, kPto);
  life.EndSilently(CloseCause::kIdleTimeout, "idle timeout");
  EXPECT_EQ(life.state(), ConnectionState::kClosed);
  EXPECT_EQ(life.close_cause(), CloseCause::kLocalError);
  EXPECT_EQ(life.close_reason(), "read: boom");
}

TEST(ConnectionLifecycleTest, EndingSilentlyClosesAtOnce) {
  ConnectionLifecycle life;
  life.EndSilently(CloseCause::kHandshakeTimeout, "handshake timeout");
  EXPECT_EQ(life.state(), ConnectionState::kClosed);
  EXPECT_TRUE(life.Ending());
  EXPECT_EQ(life.close_cause(), CloseCause::kHandshakeTimeout);
  EXPECT_EQ(life.close_reason(), "handshake timeout");
  EXPECT_EQ(life.OnTimer(kStart), ConnectionState::kClosed);
}

}  // namespace
}  // namespace p2pquic
