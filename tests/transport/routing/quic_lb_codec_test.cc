// QuicLbCodec against draft-ietf-quic-load-balancers-21: the published
// vectors byte for byte (Appendix B and the worked example of §5.4.2.4),
// round trips over every legal length with and without a key, the configs
// it refuses and the CIDs it will not decode.
#include "transport/routing/quic_lb_codec.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

std::vector<uint8_t> FromHex(const std::string& hex) {
  EXPECT_EQ(hex.size() % 2, 0u) << hex;
  std::vector<uint8_t> bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

std::string ToHex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t b : bytes) {
    hex.push_back(kDigits[b >> 4]);
    hex.push_back(kDigits[b & 0xf]);
  }
  return hex;
}

QuicLbConfig::Key KeyFromHex(const std::string& hex) {
  const std::vector<uint8_t> bytes = FromHex(hex);
  QuicLbConfig::Key key{};
  EXPECT_EQ(bytes.size(), key.size());
  std::copy_n(bytes.begin(), key.size(), key.begin());
  return key;
}

std::shared_ptr<const QuicLbCodec> MustCreate(const QuicLbConfig& config) {
  QuicLbCodec::Creation creation = QuicLbCodec::Create(config);
  EXPECT_EQ(creation.status, QuicLbCodecStatus::kOk)
      << ToString(creation.status) << ": " << ToString(creation.config_status);
  return creation.codec;
}

struct Vector {
  const char* source;  // Where in draft-21 it is printed.
  uint8_t config_id;
  const char* server_id;
  const char* nonce;
  const char* key;  // Empty: unencrypted.
  const char* cid;
  QuicLbCipherMode mode;
};

// Appendix B's key for every encrypted vector.
constexpr char kAppendixKey[] = "8f95f09245765f80256934e50c66207f";

const Vector kVectors[] = {
    {"Appendix B.1, row 1", 0, "c4605e", "4504cc4f", "", "07c4605e4504cc4f",
     QuicLbCipherMode::kPlaintext},
    // Appendix B.1, row 2 is printed as "1 350d28b420 3487d970b
    // 20a350d28b4203487d970b": each field as an unpadded hex number, so the
    // 5-octet nonce lost its leading zero (0x03487d970b) and the first octet
    // shows as "20" (config 1 << 5) followed by "a" (length 10); the octets
    // are 0x2a || server ID || nonce.
    {"Appendix B.1, row 2 (leading zeros restored)", 1, "350d28b420", "03487d970b", "",
     "2a350d28b42003487d970b", QuicLbCipherMode::kPlaintext},
    {"Appendix B.2, row 1 (four-pass, 7 octets)", 0, "ed793a", "ee080dbf", kAppendixKey,
     "0720b1d07b359d3c", QuicLbCipherMode::kFourPass},
    {"Appendix B.2, row 2 (four-pass, 15 octets, server ID longer than nonce)", 1,
     "ed793a51d49b8f5fab65", "ee080dbf48", kAppendixKey, "2fcc381bc74cb4fbad2823a3d1f8fed2",
     QuicLbCipherMode::kFourPass},
    {"Appendix B.2, row 3 (single pass, 16 octets)", 2, "ed793a51d49b8f5f", "ee080dbf48c0d1e5",
     kAppendixKey, "504dd2d05a7b0de9b2b9907afb5ecf8cc3", QuicLbCipherMode::kSinglePass},
    // Appendix B.2, row 4 says cr_bits 3 but its CID starts 0x12, which is
    // config 0 with length 18: the octets are reproduced with config 0 here,
    // and the same body under config 3 is checked below.
    {"Appendix B.2, row 4 (four-pass, 18 octets, as printed: config 0)", 0, "ed793a51d49b8f5fab",
     "ee080dbf48c0d1e55d", kAppendixKey, "125779c9cc86beb3a3a4a3ca96fce4bfe0cdbc",
     QuicLbCipherMode::kFourPass},
    // §5.4.2.4, the worked four-pass example (its step 10 misprints the AES
    // output's second octet as e4 in the XOR; the result given is right).
    {"§5.4.2.4 encryption example", 0, "31441a", "9c69c275", "fdf726a9893ec05c0632d3956680baf0",
     "0767947d29be054a", QuicLbCipherMode::kFourPass},
};

QuicLbConfig ConfigOf(const Vector& v) {
  QuicLbConfig config;
  config.config_id = v.config_id;
  config.server_id_length = FromHex(v.server_id).size();
  config.nonce_length = FromHex(v.nonce).size();
  if (std::string(v.key).empty()) {
    config.key.reset();
  } else {
    config.key = KeyFromHex(v.key);
  }
  return config;
}

TEST(QuicLbCodecTest, EncodesEveryDraftVectorByteForByte) {
  for (const Vector& v : kVectors) {
    SCOPED_TRACE(v.source);
    const auto codec = MustCreate(ConfigOf(v));
    ASSERT_NE(codec, nullptr);
    EXPECT_EQ(codec->mode(), v.mode);
    ConnectionId cid;
    ASSERT_EQ(codec->Encode(FromHex(v.server_id), FromHex(v.nonce), &cid), QuicLbEncodeResult::kOk);
    EXPECT_EQ(cid.ToHex(), v.cid);
  }
}

TEST(QuicLbCodecTest, DecodesEveryDraftVectorByteForByte) {
  for (const Vector& v : kVectors) {
    SCOPED_TRACE(v.source);
    const auto codec = MustCreate(ConfigOf(v));
    ASSERT_NE(codec, nullptr);
    QuicLbPlaintext plaintext;
    ASSERT_EQ(codec->Decode(FromHex(v.cid), &plaintext), QuicLbDecodeResult::kOk);
    EXPECT_EQ(ToHex(plaintext.server_id()), v.server_id);
    EXPECT_EQ(ToHex(plaintext.nonce()), v.nonce);
    // The three-pass shortcut (§5.5.2) must give the same server ID.
    QuicLbPlaintext server_id_only;
    ASSERT_EQ(codec->Decode(FromHex(v.cid), &server_id_only, QuicLbDecodeDepth::kServerIdOnly),
              QuicLbDecodeResult::kOk);
    EXPECT_EQ(ToHex(server_id_only.server_id()), v.server_id);
  }
}

TEST(QuicLbCodecTest, ConfigRotationBitsDoNotChangeTheCiphertext) {
  // Appendix B.2 row 4 under the config 3 its table names: expand() and the
  // AES input never see the first octet, so only that octet changes.
  QuicLbConfig config;
  config.config_id = 3;
  config.server_id_length = 9;
  config.nonce_length = 9;
  config.key = KeyFromHex(kAppendixKey);
  const auto codec = MustCreate(config);
  ASSERT_NE(codec, nullptr);
  ConnectionId cid;
  ASSERT_EQ(codec->Encode(FromHex("ed793a51d49b8f5fab"), FromHex("ee080dbf48c0d1e55d"), &cid),
            QuicLbEncodeResult::kOk);
  EXPECT_EQ(cid.ToHex(), "725779c9cc86beb3a3a4a3ca96fce4bfe0cdbc");
}

TEST(QuicLbCodecTest, FirstOctetIsConfigBitsThenLengthMinusOne) {
  QuicLbConfig config;
  for (uint8_t config_id = 0; config_id < QuicLbConfig::kUnroutableConfigId; ++config_id) {
    config.config_id = config_id;
    const auto codec = MustCreate(config);
    ASSERT_NE(codec, nullptr);
    EXPECT_EQ(codec->FirstOctet(), (config_id << 5) | (config.cid_length() - 1));
  }
}

// Every (server_id_length, nonce_length) the draft allows: server ID >= 1,
// nonce >= 4, together <= 19.
std::vector<std::pair<size_t, size_t>> LegalLengths() {
  std::vector<std::pair<size_t, size_t>> lengths;
  for (size_t sid = 1; sid <= QuicLbPlaintext::kMaxLength - QuicLbConfig::kMinNonceLength; ++sid) {
    for (size_t nonce = QuicLbConfig::kMinNonceLength; sid + nonce <= QuicLbPlaintext::kMaxLength;
         ++nonce) {
      lengths.emplace_back(sid, nonce);
    }
  }
  return lengths;
}

void RoundTripEveryLength(const std::optional<QuicLbConfig::Key>& key, uint64_t seed) {
  constexpr int kRoundsPerLength = 40;
  SeededRandom random(seed);
  size_t combinations = 0;
  for (const auto& [sid_length, nonce_length] : LegalLengths()) {
    SCOPED_TRACE(testing::Message() << "server ID " << sid_length << ", nonce " << nonce_length);
    QuicLbConfig config;
    config.config_id = static_cast<uint8_t>(combinations % QuicLbConfig::kUnroutableConfigId);
    config.server_id_length = sid_length;
    config.nonce_length = nonce_length;
    config.key = key;
    const auto codec = MustCreate(config);
    ASSERT_NE(codec, nullptr);
    const QuicLbCipherMode expected_mode =
        !key ? QuicLbCipherMode::kPlaintext
             : (sid_length + nonce_length == 16 ? QuicLbCipherMode::kSinglePass
                                                : QuicLbCipherMode::kFourPass);
    EXPECT_EQ(codec->mode(), expected_mode);
    for (int round = 0; round < kRoundsPerLength; ++round) {
      std::vector<uint8_t> server_id(sid_length), nonce(nonce_length);
      random.Fill(server_id);
      random.Fill(nonce);
      ConnectionId cid;
      ASSERT_EQ(codec->Encode(server_id, nonce, &cid), QuicLbEncodeResult::kOk);
      ASSERT_EQ(cid.size(), config.cid_length());
      EXPECT_EQ(cid.bytes()[0], codec->FirstOctet());
      const std::vector<uint8_t> body(cid.bytes().begin() + 1, cid.bytes().end());
      std::vector<uint8_t> plain = server_id;
      plain.insert(plain.end(), nonce.begin(), nonce.end());
      if (key) {
        EXPECT_NE(body, plain) << "a keyed CID left its plaintext in the clear";
      } else {
        EXPECT_EQ(body, plain);
      }
      QuicLbPlaintext decoded;
      ASSERT_EQ(codec->Decode(cid, &decoded), QuicLbDecodeResult::kOk);
      EXPECT_EQ(ToHex(decoded.server_id()), ToHex(server_id));
      EXPECT_EQ(ToHex(decoded.nonce()), ToHex(nonce));
      QuicLbPlaintext sid_only;
      ASSERT_EQ(codec->Decode(cid, &sid_only, QuicLbDecodeDepth::kServerIdOnly),
                QuicLbDecodeResult::kOk);
      EXPECT_EQ(ToHex(sid_only.server_id()), ToHex(server_id));
    }
    ++combinations;
  }
  // 1..15 server ID octets with 4..(19 - sid) nonce octets.
  EXPECT_EQ(combinations, 120u);
}

TEST(QuicLbCodecTest, RoundTripsEveryLegalLengthWithoutKey) { RoundTripEveryLength({}, 11); }

TEST(QuicLbCodecTest, RoundTripsEveryLegalLengthWithKey) {
  RoundTripEveryLength(KeyFromHex(kAppendixKey), 12);
}

TEST(QuicLbCodecTest, DifferentKeysGiveDifferentCids) {
  QuicLbConfig a;
  a.key = KeyFromHex(kAppendixKey);
  QuicLbConfig b = a;
  (*b.key)[0] ^= 1;
  const auto codec_a = MustCreate(a);
  const auto codec_b = MustCreate(b);
  ASSERT_NE(codec_a, nullptr);
  ASSERT_NE(codec_b, nullptr);
  const std::vector<uint8_t> sid = {0x01, 0x02}, nonce = {1, 2, 3, 4, 5};
  ConnectionId cid_a, cid_b;
  ASSERT_EQ(codec_a->Encode(sid, nonce, &cid_a), QuicLbEncodeResult::kOk);
  ASSERT_EQ(codec_b->Encode(sid, nonce, &cid_b), QuicLbEncodeResult::kOk);
  EXPECT_NE(cid_a, cid_b);
  // Alternating keys on one thread re-keys the per-thread contexts; each
  // codec still reads back its own CIDs.
  QuicLbPlaintext out;
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(codec_a->Decode(cid_a, &out), QuicLbDecodeResult::kOk);
    EXPECT_EQ(ToHex(out.nonce()), "0102030405");
    ASSERT_EQ(codec_b->Decode(cid_b, &out), QuicLbDecodeResult::kOk);
    EXPECT_EQ(ToHex(out.nonce()), "0102030405");
  }
}

TEST(QuicLbCodecTest, RefusesBadConfigsWithTheReason) {
  struct Case {
    QuicLbConfig config;
    QuicLbConfigStatus reason;
  };
  std::vector<Case> cases;
  QuicLbConfig c;
  c.config_id = 7;
  cases.push_back({c, QuicLbConfigStatus::kBadConfigId});
  c = {};
  c.server_id_length = 0;
  cases.push_back({c, QuicLbConfigStatus::kNoServerId});
  c = {};
  c.nonce_length = 3;
  cases.push_back({c, QuicLbConfigStatus::kNonceTooShort});
  c = {};
  c.server_id_length = 10;
  c.nonce_length = 10;  // 21 octets.
  cases.push_back({c, QuicLbConfigStatus::kCidTooLong});
  c = {};
  c.server_id_length = 1;
  c.worker_bits = 9;
  cases.push_back({c, QuicLbConfigStatus::kTooManyWorkerBits});
  c = {};
  c.server_id_length = 1;
  c.worker_bits = 4;
  c.host_id = 16;
  cases.push_back({c, QuicLbConfigStatus::kHostIdTooLarge});
  for (const Case& bad : cases) {
    SCOPED_TRACE(ToString(bad.reason));
    const QuicLbCodec::Creation creation = QuicLbCodec::Create(bad.config);
    EXPECT_EQ(creation.status, QuicLbCodecStatus::kBadConfig);
    EXPECT_EQ(creation.config_status, bad.reason);
    EXPECT_EQ(creation.codec, nullptr);
  }
}

TEST(QuicLbCodecTest, EncodeRefusesWrongFieldLengths) {
  const auto codec = MustCreate(QuicLbConfig{});  // Server ID 2, nonce 5.
  ASSERT_NE(codec, nullptr);
  ConnectionId cid;
  const std::vector<uint8_t> sid2 = {1, 2}, sid3 = {1, 2, 3}, nonce5(5, 7), nonce4(4, 7);
  EXPECT_EQ(codec->Encode(sid3, nonce5, &cid), QuicLbEncodeResult::kWrongServerIdLength);
  EXPECT_EQ(codec->Encode(sid2, nonce4, &cid), QuicLbEncodeResult::kWrongNonceLength);
  EXPECT_EQ(codec->Encode(sid2, nonce5, &cid), QuicLbEncodeResult::kOk);
}

TEST(QuicLbCodecTest, DecodeRefusesWrongLengthUnroutableAndOtherConfig) {
  QuicLbConfig config;
  config.config_id = 2;
  config.key = KeyFromHex(kAppendixKey);
  const auto codec = MustCreate(config);
  ASSERT_NE(codec, nullptr);
  ConnectionId good;
  ASSERT_EQ(codec->Encode(std::vector<uint8_t>{9, 9}, std::vector<uint8_t>(5, 1), &good),
            QuicLbEncodeResult::kOk);
  std::vector<uint8_t> bytes(good.bytes().begin(), good.bytes().end());
  QuicLbPlaintext out;

  std::vector<uint8_t> shorter(bytes.begin(), bytes.end() - 1);
  EXPECT_EQ(codec->Decode(shorter, &out), QuicLbDecodeResult::kWrongLength);
  std::vector<uint8_t> longer = bytes;
  longer.push_back(0);
  EXPECT_EQ(codec->Decode(longer, &out), QuicLbDecodeResult::kWrongLength);
  EXPECT_EQ(codec->Decode(std::span<const uint8_t>(), &out), QuicLbDecodeResult::kWrongLength);

  std::vector<uint8_t> unroutable = bytes;
  unroutable[0] = static_cast<uint8_t>(0xe0 | (unroutable[0] & 0x1f));
  EXPECT_EQ(codec->Decode(unroutable, &out), QuicLbDecodeResult::kUnroutable);

  for (uint8_t other = 0; other < QuicLbConfig::kUnroutableConfigId; ++other) {
    if (other == config.config_id) continue;
    std::vector<uint8_t> foreign = bytes;
    foreign[0] = static_cast<uint8_t>((other << 5) | (foreign[0] & 0x1f));
    EXPECT_EQ(codec->Decode(foreign, &out), QuicLbDecodeResult::kOtherConfig);
  }
  // Length bits are not checked (§3.3 lets a load balancer ignore them).
  std::vector<uint8_t> odd_length_bits = bytes;
  odd_length_bits[0] = static_cast<uint8_t>(odd_length_bits[0] ^ 0x1f);
  EXPECT_EQ(codec->Decode(odd_length_bits, &out), QuicLbDecodeResult::kOk);
  EXPECT_EQ(ToHex(out.server_id()), "0909");
}

TEST(QuicLbCodecTest, EveryResultHasAName) {
  EXPECT_STREQ(ToString(QuicLbDecodeResult::kUnroutable),
               "unroutable CID (config-rotation bits 0b111)");
  EXPECT_STREQ(ToString(QuicLbDecodeResult::kWrongLength),
               "CID length differs from the config's CID length");
  EXPECT_STREQ(ToString(QuicLbEncodeResult::kWrongNonceLength),
               "nonce length differs from the config's nonce_length");
  EXPECT_STREQ(ToString(QuicLbCodecStatus::kBadConfig), "bad QUIC-LB config");
  EXPECT_STREQ(ToString(QuicLbCipherMode::kFourPass), "four-pass");
}

}  // namespace
}  // namespace p2pquic
