#include "transport/protocols/identify_reader.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/transport/protocols/test_bytes.h"
#include "transport/protocols/identify_codec.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::protocols {
namespace {

using ByteVector = std::vector<uint8_t>;

IdentifyMessage Sample() {
  IdentifyMessage message;
  message.public_key = testing::Bytes("\x08\x01\x12\x20 not really a key");
  message.listen_addrs = {{0x04, 0x7f, 0x00, 0x00, 0x01, 0x91, 0x02, 0x1f, 0x90, 0xcc, 0x03}};
  message.protocols = {"/ipfs/ping/1.0.0", "/ipfs/id/1.0.0", "/perf/1.0.0"};
  message.observed_addr = ByteVector{0x04, 0x0a, 0x00, 0x00, 0x02};
  message.protocol_version = "ipfs/0.1.0";
  message.agent_version = "p2pquic/0.1.0";
  return message;
}

ByteVector Frame(const IdentifyMessage& message) {
  ByteVector out;
  EXPECT_EQ(AppendIdentifyFrame(message, out), IdentifyResult::kOk);
  return out;
}

TEST(IdentifyReaderTest, OneFrameThenTheEndOfTheStreamIsTheMessage) {
  IdentifyReader reader;
  EXPECT_EQ(reader.Feed(Frame(Sample())), IdentifyResult::kNeedMore);
  EXPECT_EQ(reader.Finish(), IdentifyResult::kOk);
  EXPECT_EQ(reader.message(), Sample());
  EXPECT_EQ(reader.messages_read(), 1u);
}

TEST(IdentifyReaderTest, GivesTheSameMessageHoweverTheStreamIsCut) {
  const ByteVector frame = Frame(Sample());
  for (uint64_t seed = 0; seed < 200; ++seed) {
    SeededRandom random(seed);
    IdentifyReader reader;
    for (std::span<const uint8_t> piece : testing::SplitRandomly(frame, random, 16)) {
      ASSERT_EQ(reader.Feed(piece), IdentifyResult::kNeedMore);
    }
    ASSERT_EQ(reader.Finish(), IdentifyResult::kOk) << "seed " << seed;
    EXPECT_EQ(reader.message(), Sample());
  }
}

// go-libp2p sends a large message as two: the signed peer record apart.
TEST(IdentifyReaderTest, MergesConsecutiveMessages) {
  IdentifyMessage record_only;
  record_only.signed_peer_record = ByteVector{1, 2, 3};
  IdentifyMessage expected = Sample();
  expected.signed_peer_record = record_only.signed_peer_record;
  IdentifyReader reader;
  const ByteVector both = testing::Concat({Frame(Sample()), Frame(record_only)});
  EXPECT_EQ(reader.Feed(both), IdentifyResult::kNeedMore);
  EXPECT_EQ(reader.Finish(), IdentifyResult::kOk);
  EXPECT_EQ(reader.message(), expected);
  EXPECT_EQ(reader.messages_read(), 2u);
}

TEST(IdentifyReaderTest, TheStreamEndingEarlyIsATruncatedMessage) {
  const ByteVector frame = Frame(Sample());
  IdentifyReader cut;
  cut.Feed(std::span<const uint8_t>(frame).first(frame.size() - 1));
  EXPECT_EQ(cut.Finish(), IdentifyResult::kTruncatedMessage);

  IdentifyReader nothing;
  EXPECT_EQ(nothing.Finish(), IdentifyResult::kTruncatedMessage);

  IdentifyReader prefix_only;
  const ByteVector half_prefix{0x80};
  prefix_only.Feed(half_prefix);
  EXPECT_EQ(prefix_only.Finish(), IdentifyResult::kTruncatedMessage);
}

TEST(IdentifyReaderTest, RefusesAFrameOver64KiBFromItsPrefix) {
  IdentifyReader reader;
  const ByteVector prefix{0x81, 0x80, 0x04};  // 65537.
  EXPECT_EQ(reader.Feed(prefix), IdentifyResult::kMessageTooLarge);
  EXPECT_EQ(reader.Finish(), IdentifyResult::kMessageTooLarge);
}

TEST(IdentifyReaderTest, RefusesTooManyMessages) {
  IdentifyReader reader;
  const ByteVector empty_frames(kMaxIdentifyMessagesPerStream, 0x00);
  EXPECT_EQ(reader.Feed(empty_frames), IdentifyResult::kNeedMore);
  const ByteVector one_more{0x00};
  EXPECT_EQ(reader.Feed(one_more), IdentifyResult::kTooManyMessages);
}

TEST(IdentifyReaderTest, ErrorsInsideAMessageAreFinal) {
  IdentifyReader reader;
  const ByteVector bad{0x02, 0x08, 0x01};  // publicKey as a varint.
  EXPECT_EQ(reader.Feed(bad), IdentifyResult::kWrongWireType);
  EXPECT_EQ(reader.Feed(Frame(Sample())), IdentifyResult::kWrongWireType);
  EXPECT_EQ(reader.Finish(), IdentifyResult::kWrongWireType);

  IdentifyReader bad_prefix;
  const ByteVector overlong{0x80, 0x00};
  EXPECT_EQ(bad_prefix.Feed(overlong), IdentifyResult::kBadLengthPrefix);
}

}  // namespace
}  // namespace p2pquic::protocols
