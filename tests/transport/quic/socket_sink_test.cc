// SocketSink against a scripted socket: GSO batching, kWouldBlock held in
// order and resumed, the hold bound, and other refusals.
#include "transport/quic/endpoint/socket_sink.h"

#include <gtest/gtest.h>

#include <deque>
#include <vector>

#include "transport/quic/endpoint/endpoint.h"

namespace p2pquic {
namespace {

// A socket whose SendSegments answers come from a script (default: all
// sent); it keeps every datagram it took and every call's shape.
class ScriptedSocket final : public DatagramSocket {
 public:
  struct Answer {
    SendResult result;
    size_t sent;  // Datagrams taken before the refusal.
  };
  struct Call {
    size_t bytes;
    size_t segment;
  };

  void Script(SendResult result, size_t sent) { answers_.push_back({result, sent}); }

  SendResult SendTo(const SocketAddress&, std::span<const uint8_t> payload) override {
    taken.emplace_back(payload.begin(), payload.end());
    return SendResult::kSent;
  }
  SendResult SendSegments(const SocketAddress& remote, std::span<const uint8_t> payload,
                          size_t segment_size, size_t* sent) override {
    calls.push_back({payload.size(), segment_size});
    Answer answer{SendResult::kSent, 0};
    if (!answers_.empty()) {
      answer = answers_.front();
      answers_.pop_front();
    }
    const size_t take = answer.result == SendResult::kSent
                            ? (payload.size() + segment_size - 1) / segment_size
                            : answer.sent;
    for (size_t i = 0; i < take; ++i) {
      const size_t offset = i * segment_size;
      SendTo(remote, payload.subspan(offset, std::min(segment_size, payload.size() - offset)));
    }
    *sent = answer.result == SendResult::kSent ? 0 : answer.sent;
    return answer.result;
  }
  void SetReceiveHandler(ReceiveHandler) override {}
  void SetBurstEndHandler(BurstEndHandler) override {}
  void SetWritableHandler(WritableHandler) override {}
  SocketAddress LocalAddress() const override { return SocketAddress::Loopback4(1); }
  RebindResult Rebind(const SocketAddress&) override { return RebindResult::kError; }

  std::vector<std::vector<uint8_t>> taken;
  std::vector<Call> calls;

 private:
  std::deque<Answer> answers_;
};

const NetworkPath kPath{SocketAddress::Loopback4(1), SocketAddress::Loopback4(2)};
const NetworkPath kOtherPath{SocketAddress::Loopback4(1), SocketAddress::Loopback4(3)};

// Datagram `n`: `size` bytes that say which one it is.
std::vector<uint8_t> Datagram(uint8_t n, size_t size = 100) {
  return std::vector<uint8_t>(size, n);
}

class SocketSinkTest : public ::testing::Test {
 protected:
  explicit SocketSinkTest(size_t max_held = 16) : sink_(socket_, max_held, stats_, tracer_) {}

  SendResult Send(uint8_t n, size_t size = 100, const NetworkPath& path = kPath) {
    const std::vector<uint8_t> d = Datagram(n, size);
    return sink_.Send(path, d);
  }
  // The first byte of each datagram the socket took, in order.
  std::vector<uint8_t> Taken() const {
    std::vector<uint8_t> ids;
    for (const auto& d : socket_.taken) ids.push_back(d.front());
    return ids;
  }

  ScriptedSocket socket_;
  EndpointStats stats_;
  EndpointTracer* tracer_ = nullptr;
  SocketSink sink_;
};

TEST_F(SocketSinkTest, RunsOfEqualSizeDatagramsToOnePathLeaveAsOneSegmentedSend) {
  EXPECT_EQ(Send(1), SendResult::kSent);
  EXPECT_EQ(Send(2), SendResult::kSent);
  EXPECT_EQ(Send(3, 60), SendResult::kSent);  // Shorter: ends the run.
  EXPECT_EQ(Send(4), SendResult::kSent);
  EXPECT_EQ(Send(5, 100, kOtherPath), SendResult::kSent);
  sink_.Flush();
  ASSERT_EQ(socket_.calls.size(), 3u);
  EXPECT_EQ(socket_.calls[0].bytes, 260u);
  EXPECT_EQ(socket_.calls[0].segment, 100u);
  EXPECT_EQ(socket_.calls[1].bytes, 100u);
  EXPECT_EQ(socket_.calls[2].bytes, 100u);
  EXPECT_EQ(Taken(), (std::vector<uint8_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(stats_.datagrams_sent, 5u);
  EXPECT_EQ(stats_.bytes_sent, 460u);
  EXPECT_EQ(stats_.sends_blocked + stats_.datagrams_held + stats_.send_failures, 0u);
}

TEST_F(SocketSinkTest, WouldBlockMidBatchHoldsTheRestAndEverythingAfterUntilResume) {
  socket_.Script(SendResult::kWouldBlock, 2);  // Takes 1 and 2 of the batch, refuses 3.
  for (uint8_t n = 1; n <= 4; ++n) EXPECT_EQ(Send(n), SendResult::kSent);
  sink_.Flush();
  EXPECT_EQ(sink_.state(), WriteState::kBlocked);
  EXPECT_EQ(Send(5), SendResult::kWouldBlock);  // Behind the held ones, not to the socket.
  EXPECT_EQ(Send(6, 40, kOtherPath), SendResult::kWouldBlock);
  sink_.Flush();  // Nothing to flush while blocked.
  EXPECT_EQ(socket_.calls.size(), 1u);
  EXPECT_EQ(sink_.held(), 4u);
  EXPECT_EQ(Taken(), (std::vector<uint8_t>{1, 2}));
  EXPECT_EQ(stats_.sends_blocked, 1u);
  EXPECT_EQ(stats_.datagrams_held, 4u);
  EXPECT_EQ(stats_.datagrams_sent, 2u);
  EXPECT_EQ(stats_.send_failures, 0u);

  EXPECT_EQ(sink_.Resume(), WriteState::kWritable);
  EXPECT_EQ(sink_.held(), 0u);
  EXPECT_EQ(Taken(), (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(stats_.datagrams_sent, 6u);
  EXPECT_EQ(stats_.bytes_sent, 540u);
  EXPECT_EQ(stats_.datagrams_held, 4u) << "a resumed datagram is not held twice";
  EXPECT_EQ(Send(7), SendResult::kSent);
}

TEST_F(SocketSinkTest, AResumeThatBlocksAgainKeepsTheOrder) {
  socket_.Script(SendResult::kWouldBlock, 0);
  Send(1);
  sink_.Flush();
  for (uint8_t n = 2; n <= 5; ++n) EXPECT_EQ(Send(n), SendResult::kWouldBlock);
  socket_.Script(SendResult::kWouldBlock, 2);  // The resumed batch 1..5: takes 1, 2.
  EXPECT_EQ(sink_.Resume(), WriteState::kBlocked);
  EXPECT_EQ(Taken(), (std::vector<uint8_t>{1, 2}));
  EXPECT_EQ(sink_.held(), 3u);
  EXPECT_EQ(Send(6), SendResult::kWouldBlock);
  EXPECT_EQ(sink_.Resume(), WriteState::kWritable);
  EXPECT_EQ(Taken(), (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(stats_.sends_blocked, 2u);
  EXPECT_EQ(stats_.datagrams_held, 6u);
}

TEST_F(SocketSinkTest, ASpuriousResumeSendsNothing) {
  EXPECT_EQ(sink_.Resume(), WriteState::kWritable);
  EXPECT_TRUE(socket_.calls.empty());
}

TEST_F(SocketSinkTest, OtherRefusalsLoseThatDatagramAndTheRestStillGo) {
  socket_.Script(SendResult::kUnreachable, 1);  // Takes 1, refuses 2.
  for (uint8_t n = 1; n <= 3; ++n) Send(n);
  sink_.Flush();
  EXPECT_EQ(sink_.state(), WriteState::kWritable);
  EXPECT_EQ(Taken(), (std::vector<uint8_t>{1, 3}));
  EXPECT_EQ(stats_.send_failures, 1u);
  EXPECT_EQ(stats_.datagrams_sent, 2u);
  EXPECT_EQ(stats_.sends_blocked, 0u);
}

class BoundedSocketSinkTest : public SocketSinkTest {
 protected:
  BoundedSocketSinkTest() : SocketSinkTest(2) {}
};

TEST_F(BoundedSocketSinkTest, PastTheBoundTheNewestAreDroppedAndCounted) {
  socket_.Script(SendResult::kWouldBlock, 0);
  Send(1);
  Send(2);
  sink_.Flush();
  EXPECT_EQ(Send(3), SendResult::kWouldBlock);
  EXPECT_EQ(Send(4), SendResult::kWouldBlock);
  EXPECT_EQ(sink_.held(), 2u);
  EXPECT_EQ(stats_.datagrams_held, 4u);
  EXPECT_EQ(stats_.held_dropped, 2u);
  EXPECT_EQ(sink_.Resume(), WriteState::kWritable);
  EXPECT_EQ(Taken(), (std::vector<uint8_t>{1, 2})) << "the oldest are kept";
}

}  // namespace
}  // namespace p2pquic
