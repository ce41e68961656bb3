#include "transport/routing/connection_id_registry.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "testing/packet_builder.h"
#include "testing/stepping_timer.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

using std::chrono::milliseconds;
using testing::LongHeaderPacket;
using testing::LongType;
using testing::MakeCid;
using testing::ShortHeaderPacket;
using testing::StatelessResetPacket;

const SocketAddress kLocal = SocketAddress::Loopback4(4433);
const SocketAddress kClientA = SocketAddress::Loopback4(50001);
const SocketAddress kClientB = SocketAddress::Loopback4(50002);
const Timestamp kT0 = Timestamp(std::chrono::seconds(100));

class ConnectionIdRegistryTest : public ::testing::Test {
 protected:
  explicit ConnectionIdRegistryTest(RegistrySettings settings = DefaultSettings())
      : random_(7), registry_(settings, random_) {}

  static RegistrySettings DefaultSettings() {
    RegistrySettings settings;
    settings.retired_cid_grace = milliseconds(300);
    return settings;
  }

  // Every test step is followed by this: the registry must stay consistent.
  void Check() {
    const InvariantReport report = registry_.CheckInvariants();
    ASSERT_TRUE(report.ok()) << report.violation;
  }

  RouteResult RouteShort(const ConnectionId& dcid, const SocketAddress& from = kClientA,
                         Timestamp now = kT0) {
    const auto packet = ShortHeaderPacket(dcid);
    RouteResult result = registry_.RouteDatagram(packet, from, kLocal, now);
    Check();
    return result;
  }

  RouteResult RouteLong(LongType type, const ConnectionId& dcid,
                        const SocketAddress& from = kClientA) {
    const auto packet = LongHeaderPacket(type, dcid, MakeCid(0xc1));
    RouteResult result = registry_.RouteDatagram(packet, from, kLocal, kT0);
    Check();
    return result;
  }

  // An established connection holding CIDs with sequences 0..count-1,
  // CID value base+sequence, bound to `remote`.
  ConnectionHandle Established(uint64_t base, size_t count = 2,
                               const SocketAddress& remote = kClientA) {
    const ConnectionHandle c = registry_.OpenConnection();
    for (uint64_t seq = 0; seq < count; ++seq) {
      EXPECT_EQ(registry_.IssueCid(c, MakeCid(base + seq), seq), RegistryResult::kOk);
    }
    EXPECT_EQ(registry_.BindAddress(c, remote, kLocal), RegistryResult::kOk);
    EXPECT_EQ(registry_.Promote(c), RegistryResult::kOk);
    Check();
    return c;
  }

  SeededRandom random_;
  ConnectionIdRegistry registry_;
};

// --- Issuing ------------------------------------------------------------------

TEST_F(ConnectionIdRegistryTest, IssuedCidRoutesToItsOwnerAndBecomesActive) {
  const ConnectionHandle c = Established(0x100);
  EXPECT_EQ(registry_.stats().cids(CidState::kIssued), 2u);
  const RouteResult r = RouteShort(MakeCid(0x101));
  EXPECT_EQ(r.outcome, RouteOutcome::kCidHit);
  EXPECT_EQ(r.connection, c);
  EXPECT_EQ(registry_.stats().cids(CidState::kIssued), 1u);
  EXPECT_EQ(registry_.stats().cids(CidState::kActive), 1u);
}

TEST_F(ConnectionIdRegistryTest, IssueRefusesACidHeldByAnotherConnection) {
  Established(0x100);
  const ConnectionHandle other = registry_.OpenConnection();
  EXPECT_EQ(registry_.IssueCid(other, MakeCid(0x100), 0), RegistryResult::kCidCollision);
  EXPECT_EQ(registry_.stats().cid_collisions, 1u);
  EXPECT_EQ(registry_.CidCount(other), 0u);
  Check();
}

TEST_F(ConnectionIdRegistryTest, ReissuingTheSameCidAndSequenceIsIdempotent) {
  const ConnectionHandle c = Established(0x100);
  EXPECT_EQ(registry_.IssueCid(c, MakeCid(0x100), 0), RegistryResult::kAlreadyDone);
  EXPECT_EQ(registry_.IssueCid(c, MakeCid(0x100), 5), RegistryResult::kCidCollision);
  EXPECT_EQ(registry_.CidCount(c), 2u);
  Check();
}

TEST_F(ConnectionIdRegistryTest, IssueRefusesWrongLengthAndEmptyCids) {
  const ConnectionHandle c = registry_.OpenConnection();
  EXPECT_EQ(registry_.IssueCid(c, MakeCid(1, 4), 0), RegistryResult::kCidLengthMismatch);
  EXPECT_EQ(registry_.IssueCid(c, ConnectionId(), 0), RegistryResult::kCidLengthMismatch);
  EXPECT_EQ(registry_.IssueCid(c, MakeCid(1, 20), 0), RegistryResult::kCidLengthMismatch);
  Check();
}

TEST_F(ConnectionIdRegistryTest, IssueRefusesAReusedSequenceNumber) {
  const ConnectionHandle c = Established(0x100);
  EXPECT_EQ(registry_.IssueCid(c, MakeCid(0x200), 1), RegistryResult::kSequenceReused);
  Check();
}

TEST_F(ConnectionIdRegistryTest, IssueAcceptsOutOfOrderSequencesAndKeepsThemSorted) {
  const ConnectionHandle c = registry_.OpenConnection();
  EXPECT_EQ(registry_.IssueCid(c, MakeCid(0x3), 3), RegistryResult::kOk);
  EXPECT_EQ(registry_.IssueCid(c, MakeCid(0x1), 1), RegistryResult::kOk);
  Check();  // CheckInvariants verifies the sequence order.
  size_t retired = 0;
  EXPECT_EQ(registry_.RetirePriorTo(c, 2, kT0, &retired), RegistryResult::kOk);
  EXPECT_EQ(retired, 1u);
  Check();
}

TEST_F(ConnectionIdRegistryTest, IssueEnforcesThePerConnectionLimit) {
  const ConnectionHandle c = registry_.OpenConnection();
  const size_t limit = registry_.settings().max_cids_per_connection;
  for (uint64_t seq = 0; seq < limit; ++seq) {
    ASSERT_EQ(registry_.IssueCid(c, MakeCid(0x100 + seq), seq), RegistryResult::kOk);
  }
  EXPECT_EQ(registry_.IssueCid(c, MakeCid(0x999), limit), RegistryResult::kLimitExceeded);
  Check();
}

TEST_F(ConnectionIdRegistryTest, StaleAndInvalidHandlesAreRefusedEverywhere) {
  const ConnectionHandle c = Established(0x100);
  ASSERT_EQ(registry_.RemoveConnection(c), RegistryResult::kOk);
  const ConnectionHandle invalid;
  for (ConnectionHandle h : {c, invalid, ConnectionHandle{77, 0}}) {
    EXPECT_EQ(registry_.IssueCid(h, MakeCid(1), 9), RegistryResult::kUnknownConnection);
    EXPECT_EQ(registry_.Promote(h), RegistryResult::kUnknownConnection);
    EXPECT_EQ(registry_.RetireCid(h, 0, kT0), RegistryResult::kUnknownConnection);
    EXPECT_EQ(registry_.RetirePriorTo(h, 1, kT0), RegistryResult::kUnknownConnection);
    EXPECT_EQ(registry_.ConfirmFallback(h, MakeCid(1), 0), RegistryResult::kUnknownConnection);
    EXPECT_EQ(registry_.BindAddress(h, kClientA, kLocal), RegistryResult::kUnknownConnection);
    EXPECT_EQ(registry_.AddInitialDcid(h, MakeCid(1), kClientA),
              RegistryResult::kUnknownConnection);
    EXPECT_EQ(registry_.AddResetToken(h, kClientA, {}), RegistryResult::kUnknownConnection);
    EXPECT_EQ(registry_.RemoveConnection(h), RegistryResult::kUnknownConnection);
    EXPECT_FALSE(registry_.IsLive(h));
  }
  Check();
}

// --- Connections ----------------------------------------------------------------

TEST_F(ConnectionIdRegistryTest, PromoteIsIdempotentAndKeyedByConnection) {
  const ConnectionHandle c = registry_.OpenConnection();
  ASSERT_EQ(registry_.IssueCid(c, MakeCid(0x1), 0), RegistryResult::kOk);
  ASSERT_EQ(registry_.IssueCid(c, MakeCid(0x2), 1), RegistryResult::kOk);
  EXPECT_EQ(registry_.Promote(c), RegistryResult::kOk);
  EXPECT_EQ(registry_.Promote(c), RegistryResult::kAlreadyDone);
  EXPECT_EQ(registry_.stats().connections_established, 1u);
  EXPECT_EQ(registry_.stats().connections_pending, 0u);
  EXPECT_EQ(registry_.stats().connections_promoted, 1u);
  ConnectionPhase phase;
  ASSERT_EQ(registry_.PhaseOf(c, &phase), RegistryResult::kOk);
  EXPECT_EQ(phase, ConnectionPhase::kEstablished);
  Check();
}

TEST_F(ConnectionIdRegistryTest, RemoveConnectionRemovesEverythingItHeld) {
  const ConnectionHandle c = Established(0x100, 3);
  ASSERT_EQ(registry_.AddInitialDcid(c, MakeCid(0xabc), kClientA), RegistryResult::kOk);
  ASSERT_EQ(registry_.AddResetToken(c, kClientA, StatelessResetToken{1}), RegistryResult::kOk);
  ASSERT_EQ(registry_.RetireCid(c, 0, kT0), RegistryResult::kOk);
  ASSERT_EQ(registry_.RemoveConnection(c), RegistryResult::kOk);
  Check();
  const RegistryStats& s = registry_.stats();
  EXPECT_EQ(s.cids(CidState::kIssued) + s.cids(CidState::kActive) + s.cids(CidState::kRetiring),
            0u);
  EXPECT_EQ(s.initial_dcids, 0u);
  EXPECT_EQ(s.address_bindings, 0u);
  EXPECT_EQ(s.reset_tokens, 0u);
  EXPECT_EQ(s.cids_removed_with_connection, 3u);
  EXPECT_EQ(RouteShort(MakeCid(0x101)).outcome, RouteOutcome::kMissShort);
  EXPECT_EQ(registry_.ExpireRetired(kT0 + std::chrono::seconds(10)), 0u);
  Check();
}

TEST_F(ConnectionIdRegistryTest, AReusedSlotGetsANewGenerationAndTheOldHandleStaysStale) {
  const ConnectionHandle first = registry_.OpenConnection();
  ASSERT_EQ(registry_.RemoveConnection(first), RegistryResult::kOk);
  const ConnectionHandle second = registry_.OpenConnection();
  EXPECT_EQ(second.index, first.index);
  EXPECT_NE(second.generation, first.generation);
  EXPECT_FALSE(registry_.IsLive(first));
  EXPECT_TRUE(registry_.IsLive(second));
  EXPECT_EQ(registry_.IssueCid(first, MakeCid(1), 0), RegistryResult::kUnknownConnection);
  Check();
}

// --- Retirement -------------------------------------------------------------------

TEST_F(ConnectionIdRegistryTest, RetiredCidRoutesInsideItsGraceWindowOnly) {
  const ConnectionHandle c = Established(0x100);
  ASSERT_EQ(registry_.RetireCid(c, 0, kT0), RegistryResult::kOk);
  Check();
  const RouteResult in_grace = RouteShort(MakeCid(0x100), kClientB, kT0 + milliseconds(299));
  EXPECT_EQ(in_grace.outcome, RouteOutcome::kRetiredInGrace);
  EXPECT_EQ(in_grace.connection, c);
  EXPECT_EQ(in_grace.sequence, 0u);
  // Past the deadline it misses even before the sweep ran.
  EXPECT_EQ(RouteShort(MakeCid(0x100), kClientB, kT0 + milliseconds(300)).outcome,
            RouteOutcome::kMissShort);
  Timestamp next;
  ASSERT_TRUE(registry_.NextExpiry(&next));
  EXPECT_EQ(next, kT0 + milliseconds(300));
  EXPECT_EQ(registry_.ExpireRetired(kT0 + milliseconds(299)), 0u);
  EXPECT_EQ(registry_.ExpireRetired(kT0 + milliseconds(300)), 1u);
  Check();
  EXPECT_EQ(registry_.CidCount(c), 1u);
  EXPECT_EQ(registry_.stats().cids_expired, 1u);
  EXPECT_EQ(registry_.stats().lookups(RouteOutcome::kRetiredInGrace), 1u);
}

TEST_F(ConnectionIdRegistryTest, RetiringTwiceOrAnUnknownSequenceIsReported) {
  const ConnectionHandle c = Established(0x100);
  EXPECT_EQ(registry_.RetireCid(c, 7, kT0), RegistryResult::kUnknownSequence);
  EXPECT_EQ(registry_.RetireCid(c, 1, kT0), RegistryResult::kOk);
  EXPECT_EQ(registry_.RetireCid(c, 1, kT0), RegistryResult::kAlreadyDone);
  registry_.ExpireRetired(kT0 + std::chrono::seconds(1));
  EXPECT_EQ(registry_.RetireCid(c, 1, kT0), RegistryResult::kAlreadyDone);
  Check();
}

TEST_F(ConnectionIdRegistryTest, RetirePriorToRetiresLowerSequencesAndBarsThemForever) {
  const ConnectionHandle c = Established(0x100, 4);
  size_t retired = 0;
  ASSERT_EQ(registry_.RetirePriorTo(c, 3, kT0, &retired), RegistryResult::kOk);
  EXPECT_EQ(retired, 3u);
  EXPECT_EQ(registry_.stats().cids(CidState::kRetiring), 3u);
  EXPECT_EQ(registry_.RetirePriorTo(c, 2, kT0, &retired), RegistryResult::kAlreadyDone);
  EXPECT_EQ(registry_.IssueCid(c, MakeCid(0x900), 2), RegistryResult::kSequenceAlreadyRetired);
  EXPECT_EQ(RouteShort(MakeCid(0x103)).outcome, RouteOutcome::kCidHit);
  registry_.ExpireRetired(kT0 + std::chrono::seconds(1));
  Check();
  EXPECT_EQ(registry_.CidCount(c), 1u);
}

TEST_F(ConnectionIdRegistryTest, ASequenceThatExpiredCannotBeRegisteredAgain) {
  const ConnectionHandle c = Established(0x100);
  ASSERT_EQ(registry_.RetireCid(c, 1, kT0), RegistryResult::kOk);
  registry_.ExpireRetired(kT0 + std::chrono::seconds(1));
  EXPECT_EQ(registry_.IssueCid(c, MakeCid(0x777), 1), RegistryResult::kSequenceAlreadyRetired);
  EXPECT_EQ(registry_.ConfirmFallback(c, MakeCid(0x101), 1),
            RegistryResult::kSequenceAlreadyRetired);
  Check();
}

class ZeroGraceRegistryTest : public ConnectionIdRegistryTest {
 protected:
  ZeroGraceRegistryTest() : ConnectionIdRegistryTest(Settings()) {}
  static RegistrySettings Settings() {
    RegistrySettings s;
    s.retired_cid_grace = Duration::zero();
    return s;
  }
};

TEST_F(ZeroGraceRegistryTest, ZeroGraceRemovesRetiredCidsAtOnce) {
  const ConnectionHandle c = Established(0x100, 3);
  ASSERT_EQ(registry_.RetirePriorTo(c, 2, kT0), RegistryResult::kOk);
  Check();
  EXPECT_EQ(registry_.CidCount(c), 1u);
  EXPECT_EQ(RouteShort(MakeCid(0x100), kClientB).outcome, RouteOutcome::kMissShort);
  Timestamp next;
  EXPECT_FALSE(registry_.NextExpiry(&next));
}

// --- Initial DCIDs --------------------------------------------------------------------

TEST_F(ConnectionIdRegistryTest, InitialAndZeroRttRouteByClientDcidAndRemote) {
  const ConnectionHandle c = registry_.OpenConnection();
  ASSERT_EQ(registry_.AddInitialDcid(c, MakeCid(0xd0, 12), kClientA), RegistryResult::kOk);
  Check();
  EXPECT_EQ(RouteLong(LongType::kInitial, MakeCid(0xd0, 12)).connection, c);
  EXPECT_EQ(RouteLong(LongType::kZeroRtt, MakeCid(0xd0, 12)).outcome, RouteOutcome::kInitialHit);
  // The same DCID from another address is another client.
  EXPECT_EQ(RouteLong(LongType::kInitial, MakeCid(0xd0, 12), kClientB).outcome,
            RouteOutcome::kMissInitial);
}

TEST_F(ConnectionIdRegistryTest, TwoClientsPickingTheSameInitialDcidGetTwoConnections) {
  const ConnectionHandle a = registry_.OpenConnection();
  const ConnectionHandle b = registry_.OpenConnection();
  ASSERT_EQ(registry_.AddInitialDcid(a, MakeCid(0xd0), kClientA), RegistryResult::kOk);
  ASSERT_EQ(registry_.AddInitialDcid(b, MakeCid(0xd0), kClientB), RegistryResult::kOk);
  EXPECT_EQ(registry_.AddInitialDcid(b, MakeCid(0xd0), kClientA), RegistryResult::kCidCollision);
  EXPECT_EQ(RouteLong(LongType::kInitial, MakeCid(0xd0), kClientA).connection, a);
  EXPECT_EQ(RouteLong(LongType::kInitial, MakeCid(0xd0), kClientB).connection, b);
  Check();
}

TEST_F(ConnectionIdRegistryTest, InitialDcidsShorterThanEightBytesAreRefused) {
  const ConnectionHandle c = registry_.OpenConnection();
  EXPECT_EQ(registry_.AddInitialDcid(c, MakeCid(1, 7), kClientA),
            RegistryResult::kInitialDcidTooShort);
  Check();
}

TEST_F(ConnectionIdRegistryTest, RemovingInitialDcidsStopsInitialRouting) {
  const ConnectionHandle c = registry_.OpenConnection();
  ASSERT_EQ(registry_.AddInitialDcid(c, MakeCid(0xd0), kClientA), RegistryResult::kOk);
  EXPECT_EQ(registry_.RemoveInitialDcids(c), RegistryResult::kOk);
  EXPECT_EQ(registry_.RemoveInitialDcids(c), RegistryResult::kAlreadyDone);
  EXPECT_EQ(RouteLong(LongType::kInitial, MakeCid(0xd0)).outcome, RouteOutcome::kMissInitial);
  EXPECT_EQ(registry_.stats().initial_dcids, 0u);
}

TEST_F(ConnectionIdRegistryTest, HandshakePacketsRouteByTheServerCid) {
  const ConnectionHandle c = registry_.OpenConnection();
  ASSERT_EQ(registry_.IssueCid(c, MakeCid(0x55), 0), RegistryResult::kOk);
  const RouteResult r = RouteLong(LongType::kHandshake, MakeCid(0x55));
  EXPECT_EQ(r.outcome, RouteOutcome::kCidHit);
  EXPECT_EQ(r.connection, c);
  EXPECT_EQ(RouteLong(LongType::kHandshake, MakeCid(0x56)).outcome, RouteOutcome::kMissLong);
}

// --- Fallback --------------------------------------------------------------------------

TEST_F(ConnectionIdRegistryTest, UnknownCidFromAKnownPathFallsBackWithoutBindingAnything) {
  const ConnectionHandle c = Established(0x100);
  const RouteResult r = RouteShort(MakeCid(0x102));
  EXPECT_EQ(r.outcome, RouteOutcome::kFallback);
  EXPECT_EQ(r.connection, c);
  // Unconfirmed: the CID is still unknown and nothing changed.
  EXPECT_EQ(registry_.CidCount(c), 2u);
  EXPECT_EQ(RouteShort(MakeCid(0x102)).outcome, RouteOutcome::kFallback);
  EXPECT_EQ(RouteShort(MakeCid(0x102), kClientB).outcome, RouteOutcome::kMissShort);
}

TEST_F(ConnectionIdRegistryTest, ConfirmedFallbackMakesTheCidRoutableFromAnywhere) {
  const ConnectionHandle c = Established(0x100);
  ASSERT_EQ(RouteShort(MakeCid(0x102)).outcome, RouteOutcome::kFallback);
  EXPECT_EQ(registry_.ConfirmFallback(c, MakeCid(0x102), 2), RegistryResult::kOk);
  Check();
  EXPECT_EQ(RouteShort(MakeCid(0x102), kClientB).outcome, RouteOutcome::kCidHit);
  EXPECT_EQ(registry_.stats().cids(CidState::kActive), 1u);
  // The delayed registration arriving later is a harmless repeat.
  EXPECT_EQ(registry_.IssueCid(c, MakeCid(0x102), 2), RegistryResult::kAlreadyDone);
  EXPECT_EQ(registry_.stats().fallback_confirmed, 1u);
  Check();
}

TEST_F(ConnectionIdRegistryTest, ConfirmFallbackNeverStealsAnotherConnectionsCid) {
  const ConnectionHandle a = Established(0x100);
  const ConnectionHandle b = Established(0x200, 2, kClientB);
  EXPECT_EQ(registry_.ConfirmFallback(b, MakeCid(0x100), 5), RegistryResult::kCidCollision);
  EXPECT_EQ(RouteShort(MakeCid(0x100), kClientB).connection, a);
  EXPECT_EQ(registry_.stats().fallback_refused, 1u);
  Check();
}

TEST_F(ConnectionIdRegistryTest, APathSharedByTwoConnectionsNeverServesFallback) {
  const ConnectionHandle a = Established(0x100);
  const ConnectionHandle b = Established(0x200);  // Same 4-tuple as a.
  EXPECT_EQ(RouteShort(MakeCid(0x999)).outcome, RouteOutcome::kMissShort);
  ASSERT_EQ(registry_.UnbindAddress(b, kClientA, kLocal), RegistryResult::kOk);
  Check();
  // Still ambiguous until every sharer let go.
  EXPECT_EQ(RouteShort(MakeCid(0x999)).outcome, RouteOutcome::kMissShort);
  ASSERT_EQ(registry_.UnbindAddress(a, kClientA, kLocal), RegistryResult::kOk);
  ASSERT_EQ(registry_.BindAddress(a, kClientA, kLocal), RegistryResult::kOk);
  EXPECT_EQ(RouteShort(MakeCid(0x999)).connection, a);
  EXPECT_EQ(registry_.UnbindAddress(b, kClientA, kLocal), RegistryResult::kNotFound);
  Check();
}

TEST_F(ConnectionIdRegistryTest, AddressBindingsAreLimitedPerConnection) {
  const ConnectionHandle c = registry_.OpenConnection();
  const size_t limit = registry_.settings().max_addresses_per_connection;
  for (uint16_t i = 0; i < limit; ++i) {
    ASSERT_EQ(registry_.BindAddress(c, SocketAddress::Loopback4(6000 + i), kLocal),
              RegistryResult::kOk);
  }
  EXPECT_EQ(registry_.BindAddress(c, SocketAddress::Loopback4(7000), kLocal),
            RegistryResult::kLimitExceeded);
  EXPECT_EQ(registry_.BindAddress(c, SocketAddress::Loopback4(6000), kLocal),
            RegistryResult::kAlreadyDone);
  Check();
}

// --- Reset tokens ------------------------------------------------------------------------

TEST_F(ConnectionIdRegistryTest, AStatelessResetIsRecognisedByTokenAndRemote) {
  const ConnectionHandle c = Established(0x100);
  const StatelessResetToken token = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
  ASSERT_EQ(registry_.AddResetToken(c, kClientA, token), RegistryResult::kOk);
  const auto reset = StatelessResetPacket(token);
  RouteResult r = registry_.RouteDatagram(reset, kClientA, kLocal, kT0);
  EXPECT_EQ(r.outcome, RouteOutcome::kResetToken);
  EXPECT_EQ(r.connection, c);
  // The same token from another address is not this peer's reset.
  EXPECT_EQ(registry_.RouteDatagram(reset, kClientB, kLocal, kT0).outcome,
            RouteOutcome::kMissShort);
  // Too short to be a stateless reset (RFC 9000 §10.3: at least 21 bytes).
  const auto tiny = StatelessResetPacket(token, 20);
  EXPECT_NE(registry_.RouteDatagram(tiny, kClientA, kLocal, kT0).outcome,
            RouteOutcome::kResetToken);
  EXPECT_EQ(registry_.RemoveResetToken(c, kClientA, token), RegistryResult::kOk);
  EXPECT_EQ(registry_.RemoveResetToken(c, kClientA, token), RegistryResult::kNotFound);
  EXPECT_EQ(registry_.RouteDatagram(reset, kClientA, kLocal, kT0).outcome, RouteOutcome::kFallback);
  Check();
}

TEST_F(ConnectionIdRegistryTest, AResetTokenBelongsToOneConnectionPerRemote) {
  const ConnectionHandle a = Established(0x100);
  const ConnectionHandle b = Established(0x200, 2, kClientB);
  const StatelessResetToken token = {1};
  ASSERT_EQ(registry_.AddResetToken(a, kClientA, token), RegistryResult::kOk);
  EXPECT_EQ(registry_.AddResetToken(a, kClientA, token), RegistryResult::kAlreadyDone);
  EXPECT_EQ(registry_.AddResetToken(b, kClientA, token), RegistryResult::kTokenCollision);
  EXPECT_EQ(registry_.AddResetToken(b, kClientB, token), RegistryResult::kOk);
  Check();
}

// --- Zero-length CIDs ----------------------------------------------------------------------

class ZeroLengthCidRegistryTest : public ConnectionIdRegistryTest {
 protected:
  ZeroLengthCidRegistryTest() : ConnectionIdRegistryTest(Settings()) {}
  static RegistrySettings Settings() {
    RegistrySettings s;
    s.local_cid_length = 0;
    return s;
  }
};

TEST_F(ZeroLengthCidRegistryTest, ShortHeadersRouteByTheFourTuple) {
  const ConnectionHandle c = registry_.OpenConnection();
  ASSERT_EQ(registry_.BindAddress(c, kClientA, kLocal), RegistryResult::kOk);
  const RouteResult r = RouteShort(ConnectionId());
  EXPECT_EQ(r.outcome, RouteOutcome::kTupleHit);
  EXPECT_EQ(r.connection, c);
  EXPECT_EQ(RouteLong(LongType::kHandshake, ConnectionId()).outcome, RouteOutcome::kTupleHit);
  EXPECT_EQ(RouteShort(ConnectionId(), kClientB).outcome, RouteOutcome::kMissShort);
  EXPECT_EQ(registry_.IssueCid(c, ConnectionId(), 0), RegistryResult::kCidLengthMismatch);
}

// --- Bad input --------------------------------------------------------------------------------

TEST_F(ConnectionIdRegistryTest, MalformedDatagramsAreCountedWithTheirReason) {
  const std::vector<uint8_t> empty;
  RouteResult r = registry_.RouteDatagram(empty, kClientA, kLocal, kT0);
  EXPECT_EQ(r.outcome, RouteOutcome::kMalformed);
  EXPECT_EQ(r.parse_status, HeaderParseStatus::kEmpty);
  const std::vector<uint8_t> truncated_short = {0x41, 1, 2, 3};
  r = registry_.RouteDatagram(truncated_short, kClientA, kLocal, kT0);
  EXPECT_EQ(r.outcome, RouteOutcome::kMalformed);
  EXPECT_EQ(r.parse_status, HeaderParseStatus::kTruncated);
  const std::vector<uint8_t> truncated_long = {0xc0, 0, 0, 0, 1, 20, 1, 2};
  EXPECT_EQ(registry_.RouteDatagram(truncated_long, kClientA, kLocal, kT0).outcome,
            RouteOutcome::kMalformed);
  EXPECT_EQ(registry_.stats().lookups(RouteOutcome::kMalformed), 3u);
  Check();
}

TEST_F(ConnectionIdRegistryTest, UnknownVersionsAskForVersionNegotiation) {
  const auto packet =
      LongHeaderPacket(LongType::kInitial, MakeCid(1), MakeCid(2), 1200, 0x1a2a3a4a);
  const RouteResult r = registry_.RouteDatagram(packet, kClientA, kLocal, kT0);
  EXPECT_EQ(r.outcome, RouteOutcome::kUnsupportedVersion);
  EXPECT_EQ(registry_.stats().lookups(RouteOutcome::kUnsupportedVersion), 1u);
}

TEST_F(ConnectionIdRegistryTest, UnknownPacketsMissByKind) {
  EXPECT_EQ(RouteLong(LongType::kInitial, MakeCid(0x1)).outcome, RouteOutcome::kMissInitial);
  EXPECT_EQ(RouteLong(LongType::kHandshake, MakeCid(0x1)).outcome, RouteOutcome::kMissLong);
  EXPECT_EQ(RouteLong(LongType::kZeroRtt, MakeCid(0x1)).outcome, RouteOutcome::kMissLong);
  EXPECT_EQ(RouteShort(MakeCid(0x1)).outcome, RouteOutcome::kMissShort);
}

// --- Stats ----------------------------------------------------------------------------------

TEST_F(ConnectionIdRegistryTest, ResetStatsZeroesCountersButKeepsGauges) {
  const ConnectionHandle c = Established(0x100, 3);
  RouteShort(MakeCid(0x100));
  RouteShort(MakeCid(0x999), kClientB);
  ASSERT_EQ(registry_.stats().lookups(RouteOutcome::kCidHit), 1u);
  ASSERT_EQ(registry_.stats().sequence_numbers.count, 3u);
  ASSERT_EQ(registry_.stats().sequence_numbers.counts[2], 1u);  // Bucket "<= 2".
  registry_.reset_stats();
  const RegistryStats& s = registry_.stats();
  EXPECT_EQ(s.lookups(RouteOutcome::kCidHit), 0u);
  EXPECT_EQ(s.lookups(RouteOutcome::kMissShort), 0u);
  EXPECT_EQ(s.cids_issued, 0u);
  EXPECT_EQ(s.sequence_numbers.count, 0u);
  EXPECT_EQ(s.cids(CidState::kActive), 1u);
  EXPECT_EQ(s.cids(CidState::kIssued), 2u);
  EXPECT_EQ(s.connections_established, 1u);
  EXPECT_EQ(s.address_bindings, 1u);
  Check();
  ASSERT_EQ(registry_.RemoveConnection(c), RegistryResult::kOk);
  Check();
}

TEST(ConnectionIdRegistryTimingTest, DebugTimingRecordsEachOperationOnlyWhenEnabled) {
  SeededRandom random(1);
  testing::SteppingTimer timer(40);  // Every reading 40 ns later.
  RegistrySettings settings;
  settings.debug_timer = &timer;
  ConnectionIdRegistry timed(settings, random);
  const ConnectionHandle c = timed.OpenConnection();
  ASSERT_EQ(timed.IssueCid(c, MakeCid(1), 0), RegistryResult::kOk);
  const auto packet = ShortHeaderPacket(MakeCid(1));
  timed.RouteDatagram(packet, kClientA, kLocal, kT0);
  const auto& route = timed.stats().timings_ns[static_cast<size_t>(RegistryOperation::kRoute)];
  EXPECT_EQ(route.count, 1u);
  EXPECT_EQ(route.sum, 40u);
  EXPECT_EQ(route.counts[0], 1u);  // <= 50 ns.
  EXPECT_EQ(timed.stats().timings_ns[static_cast<size_t>(RegistryOperation::kIssue)].count, 1u);

  ConnectionIdRegistry untimed(RegistrySettings{}, random);
  untimed.RouteDatagram(packet, kClientA, kLocal, kT0);
  EXPECT_EQ(untimed.stats().timings_ns[static_cast<size_t>(RegistryOperation::kRoute)].count, 0u);
}

// --- Churn ----------------------------------------------------------------------------------

TEST_F(ConnectionIdRegistryTest, RandomOpenCloseChurnLeavesEveryMapEmpty) {
  SeededRandom dice(2024);
  std::vector<ConnectionHandle> live;
  uint64_t next_cid = 1;
  Timestamp now = kT0;
  for (int step = 0; step < 3000; ++step) {
    const uint64_t roll = dice.NextU64() % 10;
    now += milliseconds(dice.NextU64() % 50);
    if (roll < 4 || live.empty()) {
      const ConnectionHandle c = registry_.OpenConnection();
      const uint16_t port = static_cast<uint16_t>(10000 + dice.NextU64() % 500);
      registry_.AddInitialDcid(c, MakeCid(next_cid++, 8), SocketAddress::Loopback4(port));
      for (uint64_t seq = 0; seq < 1 + dice.NextU64() % 4; ++seq) {
        registry_.IssueCid(c, MakeCid(next_cid++), seq);
      }
      registry_.BindAddress(c, SocketAddress::Loopback4(port), kLocal);
      registry_.AddResetToken(c, SocketAddress::Loopback4(port),
                              {uint8_t(step), uint8_t(step >> 8)});
      if (dice.NextU64() % 2) registry_.Promote(c);
      live.push_back(c);
    } else if (roll < 7) {
      const size_t victim = dice.NextU64() % live.size();
      registry_.RetireCid(live[victim], dice.NextU64() % 4, now);
      registry_.ExpireRetired(now);
    } else {
      const size_t victim = dice.NextU64() % live.size();
      ASSERT_EQ(registry_.RemoveConnection(live[victim]), RegistryResult::kOk);
      live.erase(live.begin() + static_cast<ptrdiff_t>(victim));
    }
    Check();
  }
  for (ConnectionHandle c : live) ASSERT_EQ(registry_.RemoveConnection(c), RegistryResult::kOk);
  Check();
  const RegistryStats& s = registry_.stats();
  EXPECT_EQ(registry_.LiveConnectionCount(), 0u);
  EXPECT_EQ(s.cids(CidState::kIssued) + s.cids(CidState::kActive) + s.cids(CidState::kRetiring),
            0u);
  EXPECT_EQ(s.initial_dcids + s.address_bindings + s.reset_tokens, 0u);
  EXPECT_EQ(s.connections_pending + s.connections_established, 0u);
  EXPECT_GT(s.connections_opened, 1000u);
}

}  // namespace
}  // namespace p2pquic
