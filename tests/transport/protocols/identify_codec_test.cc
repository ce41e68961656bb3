#include "transport/protocols/identify_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/transport/protocols/test_bytes.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::protocols {
namespace {

using testing::Below;
using testing::Bytes;
using testing::Concat;

using ByteVector = std::vector<uint8_t>;

// Built by hand from the protobuf encoding rules: key = field << 3 | 2
// (length-delimited), then the length, then the bytes; fields in number order.
ByteVector KnownEncoding() {
  return Concat({
      ByteVector{0x0a, 0x03}, Bytes("key"),                  // 1 publicKey
      ByteVector{0x12, 0x05, 0x04, 0x7f, 0x00, 0x00, 0x01},  // 2 listenAddrs
      ByteVector{0x12, 0x02, 0x04, 0x0a},                    // 2 listenAddrs
      ByteVector{0x1a, 0x10}, Bytes("/ipfs/ping/1.0.0"),     // 3 protocols
      ByteVector{0x1a, 0x0e}, Bytes("/ipfs/id/1.0.0"),       // 3 protocols
      ByteVector{0x22, 0x03, 0x01, 0x02, 0x03},              // 4 observedAddr
      ByteVector{0x2a, 0x0a}, Bytes("ipfs/0.1.0"),           // 5 protocolVersion
      ByteVector{0x32, 0x0d}, Bytes("p2pquic/0.1.0"),        // 6 agentVersion
      ByteVector{0x42, 0x02, 0xaa, 0xbb},                    // 8 signedPeerRecord
  });
}

IdentifyMessage KnownMessage() {
  IdentifyMessage message;
  message.public_key = Bytes("key");
  message.listen_addrs = {{0x04, 0x7f, 0x00, 0x00, 0x01}, {0x04, 0x0a}};
  message.protocols = {"/ipfs/ping/1.0.0", "/ipfs/id/1.0.0"};
  message.observed_addr = ByteVector{0x01, 0x02, 0x03};
  message.protocol_version = "ipfs/0.1.0";
  message.agent_version = "p2pquic/0.1.0";
  message.signed_peer_record = ByteVector{0xaa, 0xbb};
  return message;
}

IdentifyMessage Decoded(const ByteVector& bytes, IdentifyResult expected = IdentifyResult::kOk) {
  IdentifyMessage message;
  EXPECT_EQ(DecodeIdentify(bytes, message), expected);
  return message;
}

TEST(IdentifyCodecTest, DecodesHandBuiltBytes) {
  EXPECT_EQ(Decoded(KnownEncoding()), KnownMessage());
}

TEST(IdentifyCodecTest, EncodesToTheHandBuiltBytes) {
  ByteVector out;
  ASSERT_EQ(EncodeIdentify(KnownMessage(), out), IdentifyResult::kOk);
  EXPECT_EQ(out, KnownEncoding());
}

TEST(IdentifyCodecTest, TheFrameIsTheEncodingWithAUvarintLength) {
  ByteVector frame;
  ASSERT_EQ(AppendIdentifyFrame(KnownMessage(), frame), IdentifyResult::kOk);
  const ByteVector encoding = KnownEncoding();
  ASSERT_LT(encoding.size(), 128u);
  EXPECT_EQ(frame, Concat({ByteVector{static_cast<uint8_t>(encoding.size())}, encoding}));
}

TEST(IdentifyCodecTest, AnEmptyMessageIsZeroBytesAndEmptyDiffersFromAbsent) {
  ByteVector out;
  ASSERT_EQ(EncodeIdentify({}, out), IdentifyResult::kOk);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(Decoded({}), IdentifyMessage{});

  IdentifyMessage empty_fields;
  empty_fields.agent_version = "";
  empty_fields.public_key = ByteVector{};
  ASSERT_EQ(EncodeIdentify(empty_fields, out), IdentifyResult::kOk);
  EXPECT_EQ(out, (ByteVector{0x0a, 0x00, 0x32, 0x00}));
  EXPECT_EQ(Decoded(out), empty_fields);
}

IdentifyMessage RandomMessage(SeededRandom& random) {
  const auto bytes = [&](size_t max) {
    ByteVector value(Below(random, max + 1));
    random.Fill(value);
    return value;
  };
  const auto text = [&](size_t max) {
    const ByteVector value = bytes(max);
    return std::string(value.begin(), value.end());
  };
  IdentifyMessage message;
  if (random.NextU64() % 2) message.public_key = bytes(300);
  for (size_t i = Below(random, kMaxIdentifyListenAddrs + 1); i > 0; --i) {
    message.listen_addrs.push_back(bytes(40));
  }
  for (size_t i = Below(random, kMaxIdentifyProtocols + 1); i > 0; --i) {
    message.protocols.push_back(text(40));
  }
  if (random.NextU64() % 2) message.observed_addr = bytes(40);
  if (random.NextU64() % 2) message.protocol_version = text(20);
  if (random.NextU64() % 2) message.agent_version = text(200);
  if (random.NextU64() % 2) message.signed_peer_record = bytes(1000);
  return message;
}

TEST(IdentifyCodecTest, RandomMessagesRoundTrip) {
  SeededRandom random(31);
  for (int i = 0; i < 500; ++i) {
    const IdentifyMessage message = RandomMessage(random);
    ByteVector out;
    ASSERT_EQ(EncodeIdentify(message, out), IdentifyResult::kOk);
    ASSERT_EQ(Decoded(out), message) << "message " << i;
  }
}

TEST(IdentifyCodecTest, SkipsUnknownFieldsOfEveryWireType) {
  const ByteVector bytes = Concat({
      ByteVector{0x38, 0x96, 0x01},              // 7, varint
      ByteVector{0x49, 1, 2, 3, 4, 5, 6, 7, 8},  // 9, fixed64
      ByteVector{0x55, 1, 2, 3, 4},              // 10, fixed32
      ByteVector{0xa2, 0x06, 0x02, 'z', 'z'},    // 100, length-delimited
      ByteVector{0x32, 0x02}, Bytes("ok"),       // 6 agentVersion
  });
  IdentifyMessage expected;
  expected.agent_version = "ok";
  EXPECT_EQ(Decoded(bytes), expected);
}

TEST(IdentifyCodecTest, MergesLikeProtobufRepeatedAppendSingularReplaces) {
  IdentifyMessage message;
  const ByteVector first = Concat({ByteVector{0x32, 0x01}, Bytes("a"), ByteVector{0x1a, 0x02},
                                   Bytes("/x"), ByteVector{0x32, 0x01}, Bytes("b")});
  ASSERT_EQ(DecodeIdentify(first, message), IdentifyResult::kOk);
  EXPECT_EQ(message.agent_version, "b");  // Last one wins within a message.
  const ByteVector second = Concat({ByteVector{0x1a, 0x02}, Bytes("/y")});
  ASSERT_EQ(DecodeIdentify(second, message), IdentifyResult::kOk);
  EXPECT_EQ(message.agent_version, "b");  // Absent in the second: kept.
  EXPECT_EQ(message.protocols, (std::vector<std::string>{"/x", "/y"}));
}

TEST(IdentifyCodecTest, NamesWhatIsMalformed) {
  Decoded({0x0a, 0x05, 'a'}, IdentifyResult::kTruncatedField);
  Decoded({0x0a}, IdentifyResult::kTruncatedField);
  Decoded({0x80}, IdentifyResult::kTruncatedField);
  Decoded({0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
          IdentifyResult::kBadVarint);
  Decoded({0x02, 0x00}, IdentifyResult::kBadFieldNumber);
  Decoded({0x0b}, IdentifyResult::kWrongWireType);              // Field 1 (known), start group.
  Decoded({0x3b}, IdentifyResult::kUnsupportedWireType);        // Field 7 (unknown), start group.
  Decoded({0x08, 0x01}, IdentifyResult::kWrongWireType);        // publicKey as a varint.
  Decoded({0x45, 1, 2, 3, 4}, IdentifyResult::kWrongWireType);  // signedPeerRecord as fixed32.
}

TEST(IdentifyCodecTest, DecodingEnforcesTheListLimits) {
  ByteVector addrs;
  for (size_t i = 0; i <= kMaxIdentifyListenAddrs; ++i) addrs.insert(addrs.end(), {0x12, 0x00});
  Decoded(addrs, IdentifyResult::kTooManyListenAddrs);
  addrs.resize(2 * kMaxIdentifyListenAddrs);
  EXPECT_EQ(Decoded(addrs).listen_addrs.size(), kMaxIdentifyListenAddrs);

  ByteVector protocols;
  for (size_t i = 0; i <= kMaxIdentifyProtocols; ++i)
    protocols.insert(protocols.end(), {0x1a, 0x00});
  Decoded(protocols, IdentifyResult::kTooManyProtocols);
}

TEST(IdentifyCodecTest, DecodingRefusesMessagesOver64KiB) {
  ByteVector big{0x42, 0xfb, 0xff, 0x03};  // signedPeerRecord of 65531 bytes: 65535 total.
  big.resize(big.size() + 65531, 0x00);
  ASSERT_EQ(big.size(), kMaxIdentifyMessageBytes - 1);
  Decoded(big);
  big.insert(big.end(), {0x0a, 0x00});  // 65537 bytes.
  Decoded(big, IdentifyResult::kMessageTooLarge);
}

TEST(IdentifyCodecTest, EncodingRefusesWhatAPeerWouldRejectAndAppendsNothing) {
  ByteVector out{0x77};
  IdentifyMessage too_many_addrs;
  too_many_addrs.listen_addrs.resize(kMaxIdentifyListenAddrs + 1);
  EXPECT_EQ(EncodeIdentify(too_many_addrs, out), IdentifyResult::kTooManyListenAddrs);
  IdentifyMessage too_many_protocols;
  too_many_protocols.protocols.resize(kMaxIdentifyProtocols + 1, "/p");
  EXPECT_EQ(EncodeIdentify(too_many_protocols, out), IdentifyResult::kTooManyProtocols);
  IdentifyMessage too_big;
  too_big.signed_peer_record = ByteVector(kMaxIdentifyMessageBytes, 0);
  EXPECT_EQ(EncodeIdentify(too_big, out), IdentifyResult::kMessageTooLarge);
  EXPECT_EQ(AppendIdentifyFrame(too_big, out), IdentifyResult::kMessageTooLarge);
  EXPECT_EQ(out, ByteVector{0x77});
}

TEST(IdentifyCodecTest, GarbageNeverCrashesAndNeverBreaksTheLimits) {
  SeededRandom random(77);
  ByteVector valid;
  ASSERT_EQ(EncodeIdentify(KnownMessage(), valid), IdentifyResult::kOk);
  for (int i = 0; i < 3000; ++i) {
    ByteVector bytes;
    if (i % 2 == 0) {
      bytes.resize(Below(random, 200));
      random.Fill(bytes);
    } else {
      bytes = valid;
      for (int edits = 1 + static_cast<int>(Below(random, 4)); edits > 0; --edits) {
        bytes[Below(random, bytes.size())] = static_cast<uint8_t>(random.NextU64());
      }
    }
    IdentifyMessage message;
    const IdentifyResult result = DecodeIdentify(bytes, message);
    ASSERT_STRNE(ToString(result), "unknown");
    ASSERT_LE(message.listen_addrs.size(), kMaxIdentifyListenAddrs);
    ASSERT_LE(message.protocols.size(), kMaxIdentifyProtocols);
  }
}

}  // namespace
}  // namespace p2pquic::protocols
