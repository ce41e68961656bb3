#include "transport/host/pending_output.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

namespace p2pquic {
namespace {

// A stream whose send buffer has `space` bytes; what it takes lands in `written`.
class FakeStream final : public Libp2pStream {
 public:
  size_t Write(std::span<const uint8_t> data) override {
    const size_t taken = std::min({space, data.size(), max_per_write});
    written.insert(written.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(taken));
    space -= taken;
    return taken;
  }
  void CloseWrite() override {}
  void Reset(uint64_t) override {}
  size_t WriteSpace() const override { return space; }
  const std::string& protocol() const override { return protocol_; }
  const PeerId& peer() const override { return peer_; }
  ConnectionHandle connection() const override { return {}; }

  size_t space = 0;
  // The contract promises no more than "how much it took": a stream may
  // take less than it has room for.
  size_t max_per_write = std::numeric_limits<size_t>::max();
  std::vector<uint8_t> written;

 private:
  std::string protocol_;
  PeerId peer_;
};

std::vector<uint8_t> Bytes(uint8_t first, size_t count) {
  std::vector<uint8_t> bytes(count);
  for (size_t i = 0; i < count; ++i) bytes[i] = static_cast<uint8_t>(first + i);
  return bytes;
}

TEST(PendingOutputTest, WritesStraightThroughWhenTheStreamHasRoom) {
  FakeStream stream;
  stream.space = 100;
  PendingOutput output(10);
  EXPECT_EQ(output.Write(stream, Bytes(0, 50)), PendingWriteResult::kOk);
  EXPECT_EQ(stream.written, Bytes(0, 50));
  EXPECT_TRUE(output.empty());
}

TEST(PendingOutputTest, QueuesWhatTheStreamRefusesAndFlushesItInOrder) {
  FakeStream stream;
  stream.space = 3;
  PendingOutput output(100);
  ASSERT_EQ(output.Write(stream, Bytes(0, 5)), PendingWriteResult::kOk);
  ASSERT_EQ(output.Write(stream, Bytes(5, 5)), PendingWriteResult::kOk);
  EXPECT_EQ(stream.written, Bytes(0, 3));
  EXPECT_EQ(output.size(), 7u);
  stream.space = 4;
  output.Flush(stream);
  EXPECT_EQ(output.size(), 3u);
  stream.space = 100;
  output.Flush(stream);
  EXPECT_TRUE(output.empty());
  EXPECT_EQ(stream.written, Bytes(0, 10));
}

TEST(PendingOutputTest, RefusesAndQueuesNothingBeyondItsBound) {
  FakeStream stream;
  stream.space = 2;
  PendingOutput output(4);
  EXPECT_EQ(output.Write(stream, Bytes(0, 7)), PendingWriteResult::kOverflow);
  EXPECT_TRUE(stream.written.empty());
  EXPECT_TRUE(output.empty());
  EXPECT_EQ(output.Write(stream, Bytes(0, 6)), PendingWriteResult::kOk);  // 2 sent, 4 queued.
  EXPECT_EQ(output.Write(stream, Bytes(6, 1)), PendingWriteResult::kOverflow);
  EXPECT_EQ(output.size(), 4u);
}

TEST(PendingOutputTest, NeverWritesNewBytesAheadOfQueuedOnes) {
  FakeStream stream;
  stream.space = 100;
  stream.max_per_write = 2;
  PendingOutput output(100);
  ASSERT_EQ(output.Write(stream, Bytes(0, 5)), PendingWriteResult::kOk);  // 2 sent, 3 queued.
  ASSERT_EQ(output.Write(stream, Bytes(5, 5)), PendingWriteResult::kOk);  // Flush sends 2 more.
  stream.max_per_write = 100;
  output.Flush(stream);
  EXPECT_TRUE(output.empty());
  EXPECT_EQ(stream.written, Bytes(0, 10));
}

}  // namespace
}  // namespace p2pquic
