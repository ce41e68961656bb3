// SteerDatagram: every rule stated in worker_steering.h, plaintext and with
// a keyed layout (user-space AES), and the config checks.
#include "transport/routing/worker_steering.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "testing/packet_builder.h"
#include "transport/routing/quic_lb_cid_minter.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

using ::p2pquic::testing::LongHeaderPacket;
using ::p2pquic::testing::LongType;
using ::p2pquic::testing::MakeCid;
using ::p2pquic::testing::ShortHeaderPacket;

constexpr uint32_t kWorkers = 4;

QuicLbConfig::Key TestKey() {
  QuicLbConfig::Key key;
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(0xc0 ^ (11 * i));
  return key;
}

WorkerSteeringConfig Make(const QuicLbConfig& lb, uint32_t workers) {
  WorkerSteeringConfig config;
  EXPECT_EQ(MakeWorkerSteeringConfig(lb, workers, &config), WorkerSteeringConfigStatus::kOk);
  return config;
}

// Both kinds of layout run every rule test.
class WorkerSteeringTest : public ::testing::TestWithParam<bool> {
 protected:
  QuicLbConfig Lb() const {
    QuicLbConfig lb;  // Default layout: 8-byte CIDs, server ID 2, 8 worker bits.
    if (GetParam()) lb.key = TestKey();
    return lb;
  }
};

INSTANTIATE_TEST_SUITE_P(Layouts, WorkerSteeringTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Keyed" : "Plaintext";
                         });

TEST_P(WorkerSteeringTest, InitialWithForeignDcidHashesDeterministically) {
  const WorkerSteeringConfig config = Make(Lb(), kWorkers);
  SeededRandom random(21);
  std::set<uint32_t> workers_hit;
  for (int i = 0; i < 200; ++i) {
    // Clients pick 8..20-byte DCIDs; config bits 0b111 make sure none is ours.
    std::vector<uint8_t> dcid_bytes(8 + i % 13);
    random.Fill(dcid_bytes);
    dcid_bytes[0] |= 0xe0;
    ConnectionId dcid;
    ASSERT_EQ(ConnectionId::FromBytes(dcid_bytes, &dcid), CidParseStatus::kOk);
    const auto packet = LongHeaderPacket(LongType::kInitial, dcid, MakeCid(1));
    const SteeringDecision first = SteerDatagram(packet, config);
    EXPECT_EQ(first.kind, SteeringKind::kByHash);
    EXPECT_EQ(first.worker, SteeringHash(dcid_bytes) % kWorkers);
    const SteeringDecision again = SteerDatagram(packet, config);
    EXPECT_EQ(again.kind, first.kind);
    EXPECT_EQ(again.worker, first.worker);
    // The 0-RTT packet with the same DCID lands on the same worker.
    EXPECT_EQ(SteerDatagram(LongHeaderPacket(LongType::kZeroRtt, dcid, MakeCid(2)), config).worker,
              first.worker);
    workers_hit.insert(first.worker);
  }
  EXPECT_EQ(workers_hit.size(), kWorkers);
}

TEST_P(WorkerSteeringTest, FnvHashIsTheReferenceFnv1a32) {
  // FNV-1a 32 of "" and "a" (the published reference values).
  EXPECT_EQ(SteeringHash({}), 0x811c9dc5u);
  const uint8_t a[] = {'a'};
  EXPECT_EQ(SteeringHash(a), 0xe40c292cu);
}

TEST_P(WorkerSteeringTest, MintedCidSteersToItsWorkerInLongAndShortHeaders) {
  const WorkerSteeringConfig config = Make(Lb(), kWorkers);
  SeededRandom random(22);
  for (uint32_t worker = 0; worker < kWorkers; ++worker) {
    const QuicLbCidMinter minter(Lb(), worker);
    for (int i = 0; i < 8; ++i) {
      const ConnectionId cid = minter.Mint(random);
      for (const auto& packet :
           {ShortHeaderPacket(cid), LongHeaderPacket(LongType::kHandshake, cid, MakeCid(3)),
            LongHeaderPacket(LongType::kInitial, cid, MakeCid(3))}) {
        const SteeringDecision decision = SteerDatagram(packet, config);
        EXPECT_EQ(decision.kind, SteeringKind::kByCid) << cid.ToHex();
        EXPECT_EQ(decision.worker, worker) << cid.ToHex();
      }
    }
  }
}

TEST_P(WorkerSteeringTest, OutOfRangeWorkerFallsToHashOrUnsteered) {
  const WorkerSteeringConfig config = Make(Lb(), kWorkers);
  SeededRandom random(23);
  for (uint32_t worker : {kWorkers, kWorkers + 1, 255u}) {
    const ConnectionId cid = QuicLbCidMinter(Lb(), worker).Mint(random);
    const SteeringDecision long_header =
        SteerDatagram(LongHeaderPacket(LongType::kHandshake, cid, MakeCid(4)), config);
    EXPECT_EQ(long_header.kind, SteeringKind::kByHash);
    EXPECT_EQ(long_header.worker, SteeringHash(cid.bytes()) % kWorkers);
    EXPECT_EQ(SteerDatagram(ShortHeaderPacket(cid), config).kind, SteeringKind::kUnsteered);
  }
}

TEST_P(WorkerSteeringTest, TruncatedEmptyAndOverlongAreUnsteered) {
  const WorkerSteeringConfig config = Make(Lb(), kWorkers);
  SeededRandom random(24);
  const ConnectionId cid = QuicLbCidMinter(Lb(), 1).Mint(random);
  EXPECT_EQ(SteerDatagram({}, config).kind, SteeringKind::kUnsteered);
  // Short header one byte short of its DCID.
  auto short_packet = ShortHeaderPacket(cid, 0);
  ASSERT_EQ(SteerDatagram(short_packet, config).kind, SteeringKind::kByCid);
  short_packet.pop_back();
  EXPECT_EQ(SteerDatagram(short_packet, config).kind, SteeringKind::kUnsteered);
  // Long header: cut inside the version, at the length byte, inside the DCID.
  const auto long_packet = LongHeaderPacket(LongType::kHandshake, cid, MakeCid(5));
  for (size_t size : {size_t{1}, size_t{5}, size_t{6}, 6 + cid.size() - 1}) {
    const std::vector<uint8_t> cut(long_packet.begin(), long_packet.begin() + size);
    EXPECT_EQ(SteerDatagram(cut, config).kind, SteeringKind::kUnsteered) << size;
  }
  const std::vector<uint8_t> whole_dcid(long_packet.begin(), long_packet.begin() + 6 + cid.size());
  EXPECT_EQ(SteerDatagram(whole_dcid, config).kind, SteeringKind::kByCid);
  // A DCID length byte above 20, whatever follows.
  std::vector<uint8_t> overlong = long_packet;
  overlong[5] = 21;
  EXPECT_EQ(SteerDatagram(overlong, config).kind, SteeringKind::kUnsteered);
  overlong[5] = 0xff;
  EXPECT_EQ(SteerDatagram(overlong, config).kind, SteeringKind::kUnsteered);
}

TEST_P(WorkerSteeringTest, OtherConfigIdIsNotOurs) {
  const WorkerSteeringConfig config = Make(Lb(), kWorkers);
  QuicLbConfig other = Lb();
  other.config_id = 1;
  SeededRandom random(25);
  for (uint32_t worker = 0; worker < kWorkers; ++worker) {
    const ConnectionId cid = QuicLbCidMinter(other, worker).Mint(random);
    const SteeringDecision long_header =
        SteerDatagram(LongHeaderPacket(LongType::kHandshake, cid, MakeCid(6)), config);
    EXPECT_EQ(long_header.kind, SteeringKind::kByHash);
    EXPECT_EQ(long_header.worker, SteeringHash(cid.bytes()) % kWorkers);
    EXPECT_EQ(SteerDatagram(ShortHeaderPacket(cid), config).kind, SteeringKind::kUnsteered);
  }
}

TEST_P(WorkerSteeringTest, SingleWorkerTakesEverythingSteerable) {
  const WorkerSteeringConfig config = Make(Lb(), 1);
  SeededRandom random(26);
  const ConnectionId ours = QuicLbCidMinter(Lb(), 0).Mint(random);
  EXPECT_EQ(SteerDatagram(ShortHeaderPacket(ours), config).kind, SteeringKind::kByCid);
  EXPECT_EQ(SteerDatagram(ShortHeaderPacket(ours), config).worker, 0u);
  const SteeringDecision foreign = SteerDatagram(
      LongHeaderPacket(LongType::kInitial, MakeCid(0xe0ffeeddccbbaa99, 12), MakeCid(7)), config);
  EXPECT_EQ(foreign.kind, SteeringKind::kByHash);
  EXPECT_EQ(foreign.worker, 0u);
  // Worker 1 does not exist with one worker.
  const ConnectionId worker1 = QuicLbCidMinter(Lb(), 1).Mint(random);
  EXPECT_EQ(SteerDatagram(ShortHeaderPacket(worker1), config).kind, SteeringKind::kUnsteered);
}

TEST_P(WorkerSteeringTest, ZeroWorkersSteerNothing) {
  WorkerSteeringConfig config = Make(Lb(), 1);
  config.worker_count = 0;
  SeededRandom random(27);
  const ConnectionId cid = QuicLbCidMinter(Lb(), 0).Mint(random);
  EXPECT_EQ(SteerDatagram(ShortHeaderPacket(cid), config).kind, SteeringKind::kUnsteered);
  EXPECT_EQ(SteerDatagram(LongHeaderPacket(LongType::kInitial, cid, MakeCid(8)), config).kind,
            SteeringKind::kUnsteered);
}

TEST(WorkerSteeringKeyTest, KeyedLayoutReadsTheDecryptedServerIdNotTheClearBytes) {
  QuicLbConfig lb;
  lb.key = TestKey();
  const WorkerSteeringConfig keyed = Make(lb, 256);
  QuicLbConfig plain_lb = lb;
  plain_lb.key.reset();
  const WorkerSteeringConfig plain = Make(plain_lb, 256);
  SeededRandom random(28);
  int differing = 0;
  for (int i = 0; i < 32; ++i) {
    const ConnectionId cid = QuicLbCidMinter(lb, 7).Mint(random);
    EXPECT_EQ(SteerDatagram(ShortHeaderPacket(cid), keyed).worker, 7u);
    // Read as plaintext, the same bytes name whatever the ciphertext says.
    const SteeringDecision as_plain = SteerDatagram(ShortHeaderPacket(cid), plain);
    ASSERT_EQ(as_plain.kind, SteeringKind::kByCid);
    EXPECT_EQ(as_plain.worker, cid.bytes()[2]);
    if (as_plain.worker != 7u) ++differing;
  }
  EXPECT_GT(differing, 24);
}

TEST(WorkerSteeringKeyTest, KeyedConfigWithoutCodecNamesNoWorker) {
  QuicLbConfig lb;
  lb.key = TestKey();
  WorkerSteeringConfig config;
  config.lb = lb;
  config.worker_count = kWorkers;
  EXPECT_EQ(CheckWorkerSteeringConfig(config), WorkerSteeringConfigStatus::kMissingCodec);
  SeededRandom random(29);
  const ConnectionId cid = QuicLbCidMinter(lb, 1).Mint(random);
  EXPECT_EQ(SteerDatagram(ShortHeaderPacket(cid), config).kind, SteeringKind::kUnsteered);
  EXPECT_EQ(SteerDatagram(LongHeaderPacket(LongType::kHandshake, cid, MakeCid(9)), config).kind,
            SteeringKind::kByHash);
}

TEST(WorkerSteeringConfigTest, ChecksSayWhatIsWrong) {
  QuicLbConfig lb;
  WorkerSteeringConfig out;
  QuicLbConfigStatus why = QuicLbConfigStatus::kOk;
  QuicLbConfig bad = lb;
  bad.nonce_length = 2;
  EXPECT_EQ(MakeWorkerSteeringConfig(bad, 2, &out, &why), WorkerSteeringConfigStatus::kBadLbConfig);
  EXPECT_EQ(why, QuicLbConfigStatus::kNonceTooShort);
  EXPECT_EQ(MakeWorkerSteeringConfig(lb, 0, &out), WorkerSteeringConfigStatus::kNoWorkers);
  EXPECT_STREQ(ToString(WorkerSteeringConfigStatus::kNoWorkers), "worker_count must be at least 1");

  ASSERT_EQ(MakeWorkerSteeringConfig(lb, 2, &out), WorkerSteeringConfigStatus::kOk);
  EXPECT_EQ(out.codec, nullptr);  // Plaintext needs no codec.
  EXPECT_EQ(CheckWorkerSteeringConfig(out), WorkerSteeringConfigStatus::kOk);

  QuicLbConfig keyed = lb;
  keyed.key = TestKey();
  ASSERT_EQ(MakeWorkerSteeringConfig(keyed, 2, &out), WorkerSteeringConfigStatus::kOk);
  ASSERT_NE(out.codec, nullptr);
  EXPECT_EQ(CheckWorkerSteeringConfig(out), WorkerSteeringConfigStatus::kOk);
  WorkerSteeringConfig mismatched = out;
  (*mismatched.lb.key)[0] ^= 1;
  EXPECT_EQ(CheckWorkerSteeringConfig(mismatched), WorkerSteeringConfigStatus::kCodecMismatch);
  EXPECT_STREQ(ToString(WorkerSteeringConfigStatus::kCodecMismatch),
               "the codec was built from a different QUIC-LB config");
}

}  // namespace
}  // namespace p2pquic
