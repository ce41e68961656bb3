// ScopedFlush: nested scopes flush the sink once, when the outermost ends;
// scopes one after another flush each.
#include "transport/quic/endpoint/scoped_flush.h"

#include <gtest/gtest.h>

#include <vector>

#include "testing/recording_socket.h"
#include "transport/quic/endpoint/endpoint.h"

namespace p2pquic {
namespace {

// Counts the socket calls (a GSO send of a collected run is one call).
class ScopedFlushTest : public ::testing::Test {
 protected:
  // Collected by the sink (a run to one path), not yet sent.
  void Write() {
    ASSERT_EQ(sink_.Send({SocketAddress::Loopback4(1), SocketAddress::Loopback4(2)}, datagram_),
              SendResult::kSent);
  }

  ::p2pquic::testing::RecordingSocket socket_;
  EndpointStats stats_;
  EndpointTracer* tracer_ = nullptr;
  SocketSink sink_{socket_, /*max_held=*/0, stats_, tracer_};
  FlushNesting nesting_ = FlushNesting::kNone;
  std::vector<uint8_t> datagram_ = std::vector<uint8_t>(100, 0x40);
};

TEST_F(ScopedFlushTest, OneScopeFlushesWhenItEnds) {
  {
    ScopedFlush flush(nesting_, sink_);
    EXPECT_TRUE(flush.outermost());
    EXPECT_EQ(nesting_, FlushNesting::kOpen);
    Write();
    EXPECT_EQ(socket_.calls, 0);
  }
  EXPECT_EQ(socket_.calls, 1);
  EXPECT_EQ(stats_.datagrams_sent, 1u);
  EXPECT_EQ(nesting_, FlushNesting::kNone);
}

TEST_F(ScopedFlushTest, NestedScopesFlushOnceWhenTheOutermostEnds) {
  {
    ScopedFlush outer(nesting_, sink_);
    Write();
    {
      ScopedFlush inner(nesting_, sink_);
      EXPECT_FALSE(inner.outermost());
      Write();
      {
        ScopedFlush innermost(nesting_, sink_);
        EXPECT_FALSE(innermost.outermost());
        Write();
      }
      EXPECT_EQ(nesting_, FlushNesting::kOpen);
    }
    // The inner scopes ended without a flush: nothing left yet.
    EXPECT_EQ(socket_.calls, 0);
    EXPECT_EQ(nesting_, FlushNesting::kOpen);
    Write();
  }
  // All four datagrams went out as one run, in one send.
  EXPECT_EQ(socket_.calls, 1);
  EXPECT_EQ(stats_.datagrams_sent, 4u);
  EXPECT_EQ(nesting_, FlushNesting::kNone);
}

TEST_F(ScopedFlushTest, ScopesOneAfterAnotherFlushEach) {
  {
    ScopedFlush first(nesting_, sink_);
    Write();
  }
  {
    ScopedFlush second(nesting_, sink_);
    EXPECT_TRUE(second.outermost());
    Write();
  }
  EXPECT_EQ(socket_.calls, 2);
}

TEST(FlushNestingTest, Names) {
  EXPECT_STREQ(ToString(FlushNesting::kNone), "none");
  EXPECT_STREQ(ToString(FlushNesting::kOpen), "open");
}

}  // namespace
}  // namespace p2pquic
