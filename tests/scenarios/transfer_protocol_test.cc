// The transfer test protocol's two ends against a scripted Libp2pStream:
// the sender writes the tag then exactly the queued payload under
// backpressure and FIN only when asked; the receiver reassembles a tag
// split across reads and hashes what the sender hashed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/runner/transfer_payload.h"
#include "scenarios/runner/transfer_receiver.h"
#include "scenarios/runner/transfer_sender.h"

namespace p2pquic::scenarios {
namespace {

// Takes at most `space` bytes per Write; records everything it took.
class ScriptedStream final : public Libp2pStream {
 public:
  size_t Write(std::span<const uint8_t> data) override {
    const size_t taken = std::min(data.size(), space);
    written.insert(written.end(), data.begin(), data.begin() + taken);
    space -= taken;
    return taken;
  }
  void CloseWrite() override { write_closed = true; }
  void Reset(uint64_t code) override { reset_code = code; }
  size_t WriteSpace() const override { return space; }
  const std::string& protocol() const override { return protocol_; }
  const PeerId& peer() const override { return peer_; }
  ConnectionHandle connection() const override { return {}; }

  size_t space = 0;
  std::vector<uint8_t> written;
  bool write_closed = false;
  std::optional<uint64_t> reset_code;

 private:
  std::string protocol_{kTransferProtocol};
  PeerId peer_;
};

constexpr uint64_t kTag = 0x0102030405060708;

TEST(TransferProtocolTest, TheSenderWritesTheTagThenThePayloadUnderBackpressure) {
  StreamRecord record;
  bool closed = false;
  TransferSender sender(kTag, record, [&] { closed = true; });
  ScriptedStream stream;
  sender.Queue(100'000, /*fin=*/true);
  stream.space = 3;  // Not even the whole tag fits.
  sender.OnOpen(stream);
  EXPECT_EQ(stream.written.size(), 3u);
  EXPECT_FALSE(stream.write_closed);
  for (int round = 0; round < 100 && !stream.write_closed; ++round) {
    stream.space = 7'000;
    sender.OnWritable(stream);
  }
  ASSERT_TRUE(stream.write_closed);
  ASSERT_EQ(stream.written.size(), kTransferTagBytes + 100'000);
  EXPECT_EQ(std::vector<uint8_t>(stream.written.begin(), stream.written.begin() + 8),
            (std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8}));
  for (uint64_t offset : {uint64_t{0}, uint64_t{7}, uint64_t{4096}, uint64_t{99'999}}) {
    EXPECT_EQ(stream.written[kTransferTagBytes + offset], PayloadByte(kTag, offset)) << offset;
  }
  EXPECT_EQ(record.payload_bytes, 100'000u);
  EXPECT_TRUE(record.fin);
  sender.OnClosed();
  EXPECT_TRUE(closed);
}

TEST(TransferProtocolTest, NoFinUntilAskedAndMoreBytesFollowLaterSends) {
  StreamRecord record;
  TransferSender sender(kTag, record, nullptr);
  ScriptedStream stream;
  stream.space = 1 << 20;
  sender.OnOpen(stream);
  sender.Queue(10, /*fin=*/false);
  EXPECT_EQ(stream.written.size(), kTransferTagBytes + 10);
  EXPECT_FALSE(stream.write_closed);
  sender.Queue(5, /*fin=*/true);
  EXPECT_EQ(stream.written.size(), kTransferTagBytes + 15);
  EXPECT_TRUE(stream.write_closed);
}

TEST(TransferProtocolTest, AResetAskedBeforeTheProtocolIsAgreedHappensWhenItIs) {
  StreamRecord record;
  TransferSender sender(kTag, record, nullptr);
  sender.Queue(10, /*fin=*/true);
  sender.Reset(3);  // Still negotiating.
  ScriptedStream stream;
  stream.space = 1 << 20;
  sender.OnOpen(stream);
  EXPECT_EQ(stream.reset_code, 3u);
  EXPECT_TRUE(stream.written.empty());
  EXPECT_TRUE(record.reset);
}

TEST(TransferProtocolTest, TheReceiverHashesWhatTheSenderHashedWhateverTheChunking) {
  StreamRecord sent;
  TransferSender sender(kTag, sent, nullptr);
  ScriptedStream out;
  out.space = 1 << 20;
  sender.OnOpen(out);
  sender.Queue(50'000, /*fin=*/true);

  std::map<uint64_t, StreamRecord> received;
  TransferReceiver receiver([&](uint64_t tag) -> StreamRecord& { return received[tag]; });
  ScriptedStream in;
  // Chunks of 1, 2, 3, ... bytes: the tag arrives over several reads.
  size_t offset = 0;
  for (size_t size = 1; offset < out.written.size(); ++size) {
    const size_t n = std::min(size, out.written.size() - offset);
    receiver.OnData(in, std::span(out.written).subspan(offset, n));
    offset += n;
  }
  receiver.OnRemoteClosed(in);
  ASSERT_EQ(received.size(), 1u);
  const StreamRecord& record = received.at(kTag);
  EXPECT_EQ(record.payload_bytes, 50'000u);
  EXPECT_EQ(record.hash, sent.hash);
  EXPECT_TRUE(record.fin);
  EXPECT_TRUE(in.write_closed);  // Its own side ends too, so the stream closes.
}

TEST(TransferProtocolTest, AResetReachesTheReceiversRecord) {
  std::map<uint64_t, StreamRecord> received;
  TransferReceiver receiver([&](uint64_t tag) -> StreamRecord& { return received[tag]; });
  ScriptedStream in;
  const std::vector<uint8_t> tag = {1, 2, 3, 4, 5, 6, 7, 8, 42};
  receiver.OnData(in, tag);
  receiver.OnReset(in, 3);
  EXPECT_TRUE(received.at(kTag).reset);
  EXPECT_FALSE(received.at(kTag).fin);
  EXPECT_EQ(received.at(kTag).payload_bytes, 1u);
}

}  // namespace
}  // namespace p2pquic::scenarios
