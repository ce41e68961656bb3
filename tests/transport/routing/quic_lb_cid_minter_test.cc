// QuicLbCidMinter through QuicLbCodec: every worker's CIDs decode back to
// its server ID (host bits kept), carry the config bits and length, and
// steer to that worker, plaintext and with a key.
#include "transport/routing/quic_lb_cid_minter.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "testing/packet_builder.h"
#include "transport/routing/quic_lb_codec.h"
#include "transport/routing/worker_steering.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

constexpr int kCidsPerWorker = 16;

QuicLbConfig::Key TestKey() {
  QuicLbConfig::Key key;
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(0x30 + 7 * i);
  return key;
}

struct Layout {
  const char* name;
  QuicLbConfig config;
  uint32_t worker_count;
};

std::vector<Layout> Layouts() {
  std::vector<Layout> layouts;
  QuicLbConfig plain;  // The node default: 8-byte CIDs, server ID 2, 8 worker bits.
  layouts.push_back({"default plaintext", plain, 8});
  QuicLbConfig keyed = plain;
  keyed.key = TestKey();
  keyed.config_id = 3;
  keyed.host_id = 0xab;
  layouts.push_back({"default layout, four-pass, host 0xab", keyed, 8});
  QuicLbConfig single = keyed;
  single.server_id_length = 4;
  single.nonce_length = 12;
  single.worker_bits = 4;
  single.host_id = 0x0abcdef;
  layouts.push_back({"single pass, 4 worker bits", single, 16});
  QuicLbConfig long_sid = keyed;
  long_sid.server_id_length = 9;
  long_sid.nonce_length = 4;
  long_sid.worker_bits = 3;
  long_sid.host_id = 0x1234567890abcdeULL;
  layouts.push_back({"four-pass, server ID longer than nonce", long_sid, 5});
  QuicLbConfig plain_host = plain;
  plain_host.config_id = 6;
  plain_host.server_id_length = 3;
  plain_host.worker_bits = 2;
  plain_host.host_id = 0x3fff;
  layouts.push_back({"plaintext, config 6, host 0x3fff", plain_host, 4});
  return layouts;
}

TEST(QuicLbCidMinterTest, EveryWorkerRoundTripsThroughDecodeAndSteering) {
  for (const Layout& layout : Layouts()) {
    SCOPED_TRACE(layout.name);
    ASSERT_EQ(CheckQuicLbConfig(layout.config), QuicLbConfigStatus::kOk);
    WorkerSteeringConfig steering;
    ASSERT_EQ(MakeWorkerSteeringConfig(layout.config, layout.worker_count, &steering),
              WorkerSteeringConfigStatus::kOk);
    QuicLbCodec::Creation creation = QuicLbCodec::Create(layout.config);
    ASSERT_EQ(creation.status, QuicLbCodecStatus::kOk);
    SeededRandom random(layout.worker_count);
    std::set<std::string> seen;
    for (uint32_t worker = 0; worker < layout.worker_count; ++worker) {
      SCOPED_TRACE(::testing::Message() << "worker " << worker);
      const QuicLbCidMinter minter(layout.config, worker);
      EXPECT_EQ(minter.length(), layout.config.cid_length());
      const std::vector<uint8_t> server_id = QuicLbServerId(layout.config, worker);
      for (int i = 0; i < kCidsPerWorker; ++i) {
        const ConnectionId cid = minter.Mint(random);
        ASSERT_EQ(cid.size(), layout.config.cid_length());
        EXPECT_TRUE(seen.insert(cid.ToHex()).second) << "repeated CID " << cid.ToHex();
        // First octet: config bits, then length - 1.
        EXPECT_EQ(cid.bytes()[0] >> 5, layout.config.config_id);
        EXPECT_EQ(cid.bytes()[0] & 0x1f, layout.config.cid_length() - 1);
        QuicLbPlaintext plaintext;
        ASSERT_EQ(creation.codec->Decode(cid, &plaintext), QuicLbDecodeResult::kOk);
        ASSERT_EQ(std::vector<uint8_t>(plaintext.server_id().begin(), plaintext.server_id().end()),
                  server_id);
        // Host bits: everything above the worker bits is host_id.
        uint64_t value = 0;
        for (uint8_t b : plaintext.server_id()) value = (value << 8) | b;
        EXPECT_EQ(value >> layout.config.worker_bits, layout.config.host_id);
        EXPECT_EQ(value & ((uint64_t{1} << layout.config.worker_bits) - 1), worker);

        const SteeringDecision short_header =
            SteerDatagram(testing::ShortHeaderPacket(cid), steering);
        EXPECT_EQ(short_header.kind, SteeringKind::kByCid);
        EXPECT_EQ(short_header.worker, worker);
        const SteeringDecision handshake = SteerDatagram(
            testing::LongHeaderPacket(testing::LongType::kHandshake, cid, testing::MakeCid(9)),
            steering);
        EXPECT_EQ(handshake.kind, SteeringKind::kByCid);
        EXPECT_EQ(handshake.worker, worker);
      }
    }
  }
}

TEST(QuicLbCidMinterTest, KeyedCidsHideTheServerId) {
  // Plaintext: every CID of one worker shows the same server ID bytes.
  // Keyed: those bytes vary with the nonce.
  QuicLbConfig config;
  config.key = TestKey();
  const QuicLbCidMinter keyed(config, 1);
  config.key.reset();
  const QuicLbCidMinter plain(config, 1);
  SeededRandom random(5);
  std::set<std::pair<uint8_t, uint8_t>> keyed_ids, plain_ids;
  for (int i = 0; i < kCidsPerWorker; ++i) {
    const ConnectionId a = keyed.Mint(random);
    const ConnectionId b = plain.Mint(random);
    keyed_ids.insert({a.bytes()[1], a.bytes()[2]});
    plain_ids.insert({b.bytes()[1], b.bytes()[2]});
  }
  EXPECT_EQ(plain_ids.size(), 1u);
  EXPECT_EQ(*plain_ids.begin(), std::make_pair(uint8_t{0}, uint8_t{1}));
  EXPECT_GT(keyed_ids.size(), static_cast<size_t>(kCidsPerWorker / 2));
}

TEST(QuicLbCidMinterTest, DrawsOnlyTheNonceFromRandom) {
  QuicLbConfig config;
  config.key = TestKey();
  const QuicLbCidMinter minter(config, 2);
  SeededRandom a(77), b(77);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(minter.Mint(a), minter.Mint(b));
  // The nonce is the only random input: decoding gives back exactly the
  // bytes the same seed draws.
  SeededRandom c(77);
  uint8_t expected_nonce[5];
  c.Fill(expected_nonce);
  SeededRandom d(77);
  QuicLbPlaintext plaintext;
  ASSERT_EQ(minter.codec()->Decode(minter.Mint(d), &plaintext), QuicLbDecodeResult::kOk);
  EXPECT_EQ(std::vector<uint8_t>(plaintext.nonce().begin(), plaintext.nonce().end()),
            std::vector<uint8_t>(expected_nonce, expected_nonce + 5));
}

TEST(QuicLbCidMinterTest, MintersShareOneCodec) {
  QuicLbConfig config;
  config.key = TestKey();
  QuicLbCodec::Creation creation = QuicLbCodec::Create(config);
  ASSERT_EQ(creation.status, QuicLbCodecStatus::kOk);
  const QuicLbCidMinter w0(creation.codec, 0), w1(creation.codec, 1);
  EXPECT_EQ(w0.codec(), w1.codec());
  SeededRandom random(3);
  QuicLbPlaintext plaintext;
  ASSERT_EQ(creation.codec->Decode(w1.Mint(random), &plaintext), QuicLbDecodeResult::kOk);
  EXPECT_EQ(plaintext.server_id().back(), 1);
}

}  // namespace
}  // namespace p2pquic
