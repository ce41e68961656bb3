#include "transport/protocols/multistream_message.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/transport/protocols/test_bytes.h"

namespace p2pquic::protocols {
namespace {

using testing::Bytes;
using testing::Concat;

std::vector<uint8_t> Message(std::string_view text) {
  std::vector<uint8_t> out;
  AppendMultistreamMessage(text, out);
  return out;
}

TEST(MultistreamMessageTest, HeaderIsLength19ThenTheTextAndNewline) {
  const std::vector<uint8_t> expected =
      Concat({std::vector<uint8_t>{0x13}, Bytes("/multistream/1.0.0\n")});
  EXPECT_EQ(Message(kMultistreamHeader), expected);
}

TEST(MultistreamMessageTest, NaAndLsAreTheSpecBytes) {
  EXPECT_EQ(Message(kMultistreamNotAvailable), (std::vector<uint8_t>{0x03, 0x6e, 0x61, 0x0a}));
  EXPECT_EQ(Message(kMultistreamList), (std::vector<uint8_t>{0x03, 0x6c, 0x73, 0x0a}));
}

TEST(MultistreamMessageTest, ALongMessageGetsATwoByteLength) {
  const std::string text(200, 'p');
  const std::vector<uint8_t> message = Message(text);
  ASSERT_EQ(message.size(), 2u + 201u);
  EXPECT_EQ(message[0], 0xc9);  // 201.
  EXPECT_EQ(message[1], 0x01);
  EXPECT_EQ(message.back(), '\n');
}

TEST(MultistreamMessageTest, ListReplyIsOneMessageOfNestedMessagesEndingInNewline) {
  const std::vector<std::string> protocols{"/a", "/bc"};
  std::vector<uint8_t> reply;
  AppendMultistreamListReply(protocols, reply);
  // Body: 03 "/a\n" 04 "/bc\n" = 9 bytes; the message adds '\n': length 10.
  const std::vector<uint8_t> expected = Concat({std::vector<uint8_t>{0x0a, 0x03}, Bytes("/a\n"),
                                                std::vector<uint8_t>{0x04}, Bytes("/bc\n\n")});
  EXPECT_EQ(reply, expected);
}

TEST(MultistreamMessageTest, ListReplyOfNothingIsAnEmptyLine) {
  std::vector<uint8_t> reply;
  AppendMultistreamListReply({}, reply);
  EXPECT_EQ(reply, (std::vector<uint8_t>{0x01, '\n'}));
}

TEST(MultistreamMessageTest, ProtocolIdsMustBeSendable) {
  EXPECT_TRUE(IsValidProtocolId("/ipfs/ping/1.0.0"));
  EXPECT_TRUE(IsValidProtocolId(std::string(kMaxMultistreamMessageBytes - 1, 'x')));
  EXPECT_FALSE(IsValidProtocolId(std::string(kMaxMultistreamMessageBytes, 'x')));
  EXPECT_FALSE(IsValidProtocolId(""));
  EXPECT_FALSE(IsValidProtocolId("/a\n/b"));
  EXPECT_FALSE(IsValidProtocolId("na"));
  EXPECT_FALSE(IsValidProtocolId("ls"));
}

}  // namespace
}  // namespace p2pquic::protocols
