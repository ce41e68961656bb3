// StatelessResponder on its own: the reset size rule (RFC 9000 §10.3.3),
// the Version Negotiation threshold, the endpoint's and the source
// prefixes' rate limits for both answers (with a fake clock: `now` is
// passed in), the bounded prefix table, and no answer larger than its
// cause. The endpoint tests cover the same answers end to end.
#include "transport/quic/endpoint/stateless_responder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "testing/packet_builder.h"
#include "testing/recording_socket.h"
#include "transport/quic/endpoint/endpoint.h"
#include "transport/quic/endpoint/socket_sink.h"
#include "transport/quic/endpoint/source_prefix_budget.h"
#include "transport/routing/cid_minter.h"
#include "transport/routing/quic_lb_cid_minter.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

constexpr size_t kCidLength = 8;

// Endpoint budgets 2/s for both answers unless a test says otherwise;
// prefix budgets large enough not to matter unless a test says otherwise.
StatelessResponder::Settings DefaultSettings() {
  return {.local_cid_length = kCidLength,
          .resets_per_second = 2,
          .resets_per_prefix_per_second = 100,
          .reset_prefix_burst = 100,
          .version_negotiations_per_second = 2,
          .version_negotiations_per_prefix_per_second = 100};
}

SocketAddress InPrefix(uint8_t a, uint8_t b, uint8_t c, uint8_t host) {
  return SocketAddress::Ipv4({a, b, c, host}, 4433);
}

// Takes every datagram it is given.
class StatelessResponderTest : public ::testing::Test {
 protected:
  explicit StatelessResponderTest(const StatelessResponder::Settings& settings = DefaultSettings())
      : sink_(socket_, 16, stats_, tracer_),
        responder_(settings, random_, secret_, sink_, stats_, tracer_) {}

  ReceivedDatagram From(const std::vector<uint8_t>& payload,
                        const SocketAddress& remote = SocketAddress::Loopback4(2)) {
    return {payload, remote, SocketAddress::Loopback4(1), Timestamp{}};
  }
  void AnswerShort(const std::vector<uint8_t>& payload, Timestamp now,
                   const SocketAddress& remote = SocketAddress::Loopback4(2)) {
    RoutingHeader header;
    ASSERT_EQ(ParseRoutingHeader(payload, kCidLength, &header), HeaderParseStatus::kOk);
    responder_.AnswerUnknownShortHeader(From(payload, remote), header, now);
  }
  void AnswerVersion(const std::vector<uint8_t>& payload, Timestamp now,
                     const SocketAddress& remote = SocketAddress::Loopback4(2)) {
    responder_.AnswerUnsupportedVersion(From(payload, remote), now);
  }
  static std::vector<uint8_t> UnknownVersion(size_t size) {
    return testing::LongHeaderPacket(testing::LongType::kInitial, testing::MakeCid(3),
                                     testing::MakeCid(4), size, 0x1a2a3a4a);
  }

  ::p2pquic::testing::RecordingSocket socket_;
  SeededRandom random_{7};
  ResetSecret secret_{};
  EndpointStats stats_;
  EndpointTracer* tracer_ = nullptr;
  SocketSink sink_;
  StatelessResponder responder_;
};

TEST_F(StatelessResponderTest, NoDatagramAsSmallAsAResetIsAnsweredWithOne) {
  const size_t reset_size = StatelessResetSize(kCidLength);
  EXPECT_EQ(reset_size, kCidLength + 21);
  const ConnectionId dcid = testing::MakeCid(1);
  // ShortHeaderPacket(dcid, n) is 1 + kCidLength + n bytes.
  AnswerShort(testing::ShortHeaderPacket(dcid, reset_size - 1 - kCidLength), Timestamp{});
  EXPECT_TRUE(socket_.sent.empty());
  EXPECT_EQ(stats_.possible_resets_unanswered, 1u);
  AnswerShort(testing::ShortHeaderPacket(dcid, reset_size - kCidLength), Timestamp{});
  ASSERT_EQ(socket_.sent.size(), 1u);
  EXPECT_EQ(socket_.sent[0].size(), reset_size) << "every reset has the one size";
  EXPECT_EQ(stats_.stateless_resets_sent, 1u);
}

TEST_F(StatelessResponderTest, ResetsAreRateLimitedAndTheBucketRefills) {
  const std::vector<uint8_t> packet = testing::ShortHeaderPacket(testing::MakeCid(2), 60);
  const Timestamp start = Timestamp{} + std::chrono::seconds(10);
  for (int i = 0; i < 4; ++i) AnswerShort(packet, start);
  EXPECT_EQ(stats_.stateless_resets_sent, 2u) << "burst = rate = 2";
  EXPECT_EQ(stats_.stateless_resets_suppressed, 2u);
  EXPECT_EQ(stats_.stateless_resets_suppressed_prefix, 0u);
  AnswerShort(packet, start + std::chrono::milliseconds(500));  // One token back.
  AnswerShort(packet, start + std::chrono::milliseconds(500));
  EXPECT_EQ(stats_.stateless_resets_sent, 3u);
  EXPECT_EQ(stats_.stateless_resets_suppressed, 3u);
}

TEST_F(StatelessResponderTest, VersionNegotiationOnlyAnswersAFullSizeDatagram) {
  const ConnectionId dcid = testing::MakeCid(3);
  const ConnectionId scid = testing::MakeCid(4);
  AnswerVersion(
      testing::LongHeaderPacket(testing::LongType::kInitial, dcid, scid, 1199, 0x1a2a3a4a),
      Timestamp{});
  EXPECT_TRUE(socket_.sent.empty());
  EXPECT_EQ(stats_.version_negotiations_suppressed + stats_.version_negotiations_suppressed_prefix,
            0u)
      << "a small datagram is dropped by RFC 9000 §5.2.2, not by a budget";
  AnswerVersion(
      testing::LongHeaderPacket(testing::LongType::kInitial, dcid, scid, 1200, 0x1a2a3a4a),
      Timestamp{});
  ASSERT_EQ(socket_.sent.size(), 1u);
  EXPECT_EQ(stats_.version_negotiations_sent, 1u);
  // A VN packet: long form, version 0, its DCID the client's SCID.
  const std::vector<uint8_t>& vn = socket_.sent[0];
  ASSERT_GE(vn.size(), 6u + scid.size());
  EXPECT_NE(vn[0] & 0x80, 0);
  EXPECT_EQ(vn[1] | vn[2] | vn[3] | vn[4], 0);
  EXPECT_EQ(vn[5], scid.size());
  EXPECT_TRUE(std::equal(scid.bytes().begin(), scid.bytes().end(), vn.begin() + 6));
}

TEST_F(StatelessResponderTest, VersionNegotiationIsRateLimitedAndTheBucketRefills) {
  const std::vector<uint8_t> packet = UnknownVersion(1200);
  const Timestamp start = Timestamp{} + std::chrono::seconds(10);
  for (int i = 0; i < 5; ++i) AnswerVersion(packet, start);
  EXPECT_EQ(stats_.version_negotiations_sent, 2u) << "burst = rate = 2";
  EXPECT_EQ(stats_.version_negotiations_suppressed, 3u);
  AnswerVersion(packet, start + std::chrono::milliseconds(499));
  EXPECT_EQ(stats_.version_negotiations_sent, 2u) << "not a whole token back yet";
  AnswerVersion(packet, start + std::chrono::milliseconds(500));
  EXPECT_EQ(stats_.version_negotiations_sent, 3u);
  // A long pause refills to the burst, no further.
  for (int i = 0; i < 4; ++i) AnswerVersion(packet, start + std::chrono::seconds(100));
  EXPECT_EQ(stats_.version_negotiations_sent, 5u);
  EXPECT_EQ(socket_.sent.size(), 5u);
  EXPECT_EQ(stats_.version_negotiations_suppressed_prefix, 0u);
}

TEST_F(StatelessResponderTest, EveryAnswerIsOnePerDatagramAndNoLargerThanItsCause) {
  // Every size around the thresholds, both answers, CIDs as long as each
  // version allows (an unknown version's may be 255 bytes: RFC 8999 §5.1).
  const ConnectionId long_cid = testing::MakeCid(9, kMaxConnectionIdLength);
  std::vector<std::vector<uint8_t>> received;
  for (size_t extra = 0; extra < 80; ++extra) {
    received.push_back(testing::ShortHeaderPacket(testing::MakeCid(5), extra));
  }
  for (size_t size : {1199u, 1200u, 1201u, 1500u}) {
    received.push_back(UnknownVersion(size));
    received.push_back(testing::LongHeaderPacket(testing::LongType::kInitial, long_cid, long_cid,
                                                 size, 0x0a0a0a0a));
  }
  // A header with two 255-byte CIDs, built by hand (version, lengths).
  std::vector<uint8_t> huge(1200, 0);
  huge[0] = 0xc0;
  huge[4] = 0x7f;  // Version 0x0000007f, unknown.
  huge[5] = 255;
  huge[6 + 255] = 255;
  received.push_back(huge);
  Timestamp now = Timestamp{};
  for (const std::vector<uint8_t>& datagram : received) {
    now += std::chrono::seconds(1);  // A full bucket every time.
    const size_t before = socket_.sent.size();
    if (datagram[0] & 0x80) {
      AnswerVersion(datagram, now);
    } else {
      AnswerShort(datagram, now);
    }
    ASSERT_LE(socket_.sent.size(), before + 1) << "one answer per datagram at most";
    if (socket_.sent.size() > before) {
      EXPECT_LE(socket_.sent.back().size(), datagram.size())
          << "answer larger than the " << datagram.size() << "-byte datagram it answers";
    }
  }
  EXPECT_EQ(stats_.version_negotiations_sent, 7u) << "the 1200+ byte unknown versions, and huge";
  EXPECT_GT(stats_.stateless_resets_sent, 40u);
  ASSERT_FALSE(socket_.sent.empty());
  EXPECT_GT(socket_.sent.back().size(), 6u + 255 + 1 + 255) << "huge's answer echoes both CIDs";
}

// Prefix budgets of 1/s (burst 1) with endpoint budgets of 4/s.
StatelessResponder::Settings TightPrefixSettings() {
  return {.local_cid_length = kCidLength,
          .resets_per_second = 4,
          .resets_per_prefix_per_second = 1,
          .reset_prefix_burst = 1,
          .version_negotiations_per_second = 4,
          .version_negotiations_per_prefix_per_second = 1};
}

class StatelessResponderPrefixTest : public StatelessResponderTest {
 protected:
  StatelessResponderPrefixTest() : StatelessResponderTest(TightPrefixSettings()) {}
};

TEST_F(StatelessResponderPrefixTest, ASprayFromOnePrefixCannotStopAResetToAnother) {
  const std::vector<uint8_t> packet = testing::ShortHeaderPacket(testing::MakeCid(6), 60);
  const Timestamp start = Timestamp{} + std::chrono::seconds(10);
  // Prefix A (10.1.1.0/24) sprays from many hosts and ports.
  for (int i = 0; i < 1000; ++i) {
    AnswerShort(packet, start, InPrefix(10, 1, 1, static_cast<uint8_t>(i)));
  }
  EXPECT_EQ(stats_.stateless_resets_sent, 1u) << "prefix A's burst is 1";
  EXPECT_EQ(stats_.stateless_resets_suppressed_prefix, 999u);
  EXPECT_EQ(stats_.stateless_resets_suppressed, 0u) << "A never touched the endpoint's budget";
  // A peer in prefix B (10.1.2.0/24, the next /24) still gets its reset.
  AnswerShort(packet, start, InPrefix(10, 1, 2, 7));
  EXPECT_EQ(stats_.stateless_resets_sent, 2u);
  // The other hosts of A's /24 share A's budget; a new one does not help.
  AnswerShort(packet, start, InPrefix(10, 1, 1, 200));
  EXPECT_EQ(stats_.stateless_resets_sent, 2u);
  // A refills at its own rate.
  AnswerShort(packet, start + std::chrono::seconds(1), InPrefix(10, 1, 1, 3));
  EXPECT_EQ(stats_.stateless_resets_sent, 3u);
}

TEST_F(StatelessResponderPrefixTest, VersionNegotiationIsBudgetedPerPrefix) {
  const std::vector<uint8_t> packet = UnknownVersion(1200);
  const Timestamp start = Timestamp{} + std::chrono::seconds(10);
  for (int i = 0; i < 50; ++i) AnswerVersion(packet, start, InPrefix(10, 9, 9, 1));
  EXPECT_EQ(stats_.version_negotiations_sent, 1u);
  EXPECT_EQ(stats_.version_negotiations_suppressed_prefix, 49u);
  AnswerVersion(packet, start, InPrefix(10, 9, 10, 1));
  EXPECT_EQ(stats_.version_negotiations_sent, 2u) << "another prefix is answered";
  // IPv6: one /48 is one prefix (its /56s and hosts share it).
  std::array<uint8_t, 16> v6 = {0x20, 0x01, 0x0d, 0xb8, 0, 1};
  AnswerVersion(packet, start, SocketAddress::Ipv6(v6, 1));
  v6[6] = 0xff;  // Another /56 of the same /48.
  v6[15] = 9;
  AnswerVersion(packet, start, SocketAddress::Ipv6(v6, 2));
  EXPECT_EQ(stats_.version_negotiations_sent, 3u);
  EXPECT_EQ(stats_.version_negotiations_suppressed_prefix, 50u);
  // An IPv4-mapped IPv6 address counts as its IPv4 /24 (spent above).
  AnswerVersion(packet, start,
                SocketAddress::Ipv6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 9, 9, 77}, 3));
  EXPECT_EQ(stats_.version_negotiations_suppressed_prefix, 51u);
  // Many prefixes exhaust the endpoint's budget (4): a global cap.
  for (uint8_t c = 0; c < 10; ++c) AnswerVersion(packet, start, InPrefix(10, 20, c, 1));
  EXPECT_EQ(stats_.version_negotiations_sent, 4u);
  EXPECT_EQ(stats_.version_negotiations_suppressed, 9u);
}

class StatelessResponderBurstTest : public StatelessResponderTest {
 protected:
  StatelessResponderBurstTest()
      : StatelessResponderTest({.local_cid_length = kCidLength,
                                .resets_per_second = 64,
                                .resets_per_prefix_per_second = 2,
                                .reset_prefix_burst = 10,
                                .version_negotiations_per_second = 64,
                                .version_negotiations_per_prefix_per_second = 2}) {}
};

TEST_F(StatelessResponderBurstTest, APrefixsResetsHaveABurstAboveTheirRate) {
  // A peer with ten connections to a server that restarted: ten resets at
  // once, then the prefix's rate.
  const Timestamp start = Timestamp{} + std::chrono::seconds(10);
  for (int i = 0; i < 12; ++i) {
    AnswerShort(testing::ShortHeaderPacket(testing::MakeCid(100 + i), 60), start);
  }
  EXPECT_EQ(stats_.stateless_resets_sent, 10u);
  EXPECT_EQ(stats_.stateless_resets_suppressed_prefix, 2u);
  AnswerShort(testing::ShortHeaderPacket(testing::MakeCid(1), 60),
              start + std::chrono::milliseconds(500));
  EXPECT_EQ(stats_.stateless_resets_sent, 11u) << "2/s: one back after 500 ms";
  // Version Negotiation's prefix burst is its rate.
  for (int i = 0; i < 5; ++i) AnswerVersion(UnknownVersion(1200), start);
  EXPECT_EQ(stats_.version_negotiations_sent, 2u);
}

// A multi-worker node's QUIC-LB layout (host 5, 8 worker bits): resets go
// only to short headers whose DCID this host may have minted, so junk
// spends no budget.
class StatelessResponderProvenanceTest : public StatelessResponderTest {
 protected:
  static QuicLbConfig Layout(uint64_t host) {
    QuicLbConfig config;
    config.host_id = host;
    return config;
  }
  static StatelessResponder::Settings WithMinter(const CidMinter* minter) {
    StatelessResponder::Settings settings = DefaultSettings();
    settings.minter = minter;
    return settings;
  }
  StatelessResponderProvenanceTest() : StatelessResponderTest(WithMinter(&minter_)) {}

  static inline const QuicLbCidMinter minter_{Layout(5), 0};
};

TEST_F(StatelessResponderProvenanceTest, OnlyADcidOfThisHostIsAnsweredWithAReset) {
  const Timestamp start = Timestamp{} + std::chrono::seconds(10);
  SeededRandom random(3);
  // Junk: random DCIDs. A random 8-byte DCID passes with probability
  // 1/8 (config bits) x 1/256 (host byte): none of these 64 (a fixed
  // seed) does.
  const RandomCidMinter junk(kCidLength);
  for (int i = 0; i < 64; ++i) {
    AnswerShort(testing::ShortHeaderPacket(junk.Mint(random), 60), start);
  }
  EXPECT_EQ(stats_.stateless_resets_not_minted, 64u);
  EXPECT_EQ(stats_.stateless_resets_sent, 0u);
  EXPECT_EQ(stats_.stateless_resets_suppressed, 0u) << "junk spent no budget";
  // Another host's CID (host 6) is not ours either.
  const QuicLbCidMinter other_host(Layout(6), 0);
  AnswerShort(testing::ShortHeaderPacket(other_host.Mint(random), 60), start);
  EXPECT_EQ(stats_.stateless_resets_not_minted, 65u);
  // A CID of any worker of this host (the node may have restarted with
  // another worker count) is answered.
  const QuicLbCidMinter worker_three(Layout(5), 3);
  AnswerShort(testing::ShortHeaderPacket(worker_three.Mint(random), 60), start);
  AnswerShort(testing::ShortHeaderPacket(minter_.Mint(random), 60), start);
  EXPECT_EQ(stats_.stateless_resets_sent, 2u);
  EXPECT_EQ(stats_.stateless_resets_not_minted, 65u);
}

TEST(CidProvenanceTest, RandomCidsCannotBeToldFromJunkButQuicLbCidsCan) {
  SeededRandom random(4);
  const RandomCidMinter random_minter(8);
  EXPECT_EQ(random_minter.Provenance(testing::MakeCid(1)), CidProvenance::kMaybeMinted);
  ConnectionId short_cid;
  ConnectionId::FromBytes(std::vector<uint8_t>{1, 2, 3, 4}, &short_cid);
  EXPECT_EQ(random_minter.Provenance(short_cid), CidProvenance::kNotMinted);
  QuicLbConfig keyed;
  keyed.host_id = 9;
  keyed.key = QuicLbConfig::Key{1, 2, 3};
  const QuicLbCidMinter minter(keyed, 2);
  size_t passed = 0;
  for (int i = 0; i < 4096; ++i) {
    EXPECT_EQ(minter.Provenance(minter.Mint(random)), CidProvenance::kMaybeMinted);
    if (minter.Provenance(random_minter.Mint(random)) == CidProvenance::kMaybeMinted) ++passed;
  }
  // Expected 4096 / 2048 = 2 random CIDs through; far fewer than 64.
  EXPECT_LT(passed, 16u);
  EXPECT_EQ(minter.Provenance(short_cid), CidProvenance::kNotMinted);
}

TEST(SourcePrefixBudgetTest, TheTableIsBoundedWhateverTheSenders) {
  SeededRandom random(11);
  SourcePrefixBudget budget({1, 1}, KeyedHash::FromRandom(random));
  // Every IPv4 /24 there is (2^24 prefixes): each lands in one of
  // kSourcePrefixSlots buckets, and no slot is created for it.
  const TokenBucket* lowest = nullptr;
  const TokenBucket* highest = nullptr;
  size_t spent = 0;
  const Timestamp now = Timestamp{} + std::chrono::seconds(1);
  for (uint32_t prefix = 0; prefix < (1u << 24); ++prefix) {
    TokenBucket& bucket = budget.BucketFor(
        SocketAddress::Ipv4({static_cast<uint8_t>(prefix >> 16), static_cast<uint8_t>(prefix >> 8),
                             static_cast<uint8_t>(prefix), 1},
                            1));
    if (lowest == nullptr || &bucket < lowest) lowest = &bucket;
    if (highest == nullptr || &bucket > highest) highest = &bucket;
    if (bucket.Check(now) == TokenBucket::Level::kAvailable) {
      bucket.Take();
      ++spent;
    }
  }
  ASSERT_NE(lowest, nullptr);
  EXPECT_EQ(static_cast<size_t>(highest - lowest) + 1, kSourcePrefixSlots)
      << "every prefix maps into the one fixed array, and they cover it";
  EXPECT_EQ(spent, kSourcePrefixSlots) << "colliding prefixes share their slot's bucket";
}

}  // namespace
}  // namespace p2pquic
