// HandshakeAdmission::kPendingConnectionBytes against the heap a pending
// server connection really holds: the server accepts kProbeConnections
// client Initials (replayed from as many ports, so every handshake stays
// pending) and the process's allocated heap bytes (glibc's mallinfo2, or
// ASan's allocator under ASan: both count ngtcp2's and GnuTLS's mallocs,
// which an operator-new counter would miss) grow by what they hold. The
// estimate must cover the measurement, and not exceed it more than
// kMaxOverestimate times (a stale guess would then show).
#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "tests/transport/quic/endpoint_pair_test_base.h"

#if defined(__SANITIZE_ADDRESS__)
#define P2PQUIC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define P2PQUIC_ASAN 1
#endif
#endif
#ifdef P2PQUIC_ASAN
// The sanitizer runtime's own count (its header is not installed with
// every compiler; the runtime always exports the function).
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace p2pquic::testing {
namespace {

constexpr size_t kProbeConnections = 200;
constexpr size_t kMaxOverestimate = 3;

size_t HeapBytes() {
#ifdef P2PQUIC_ASAN
  return __sanitizer_get_current_allocated_bytes();
#else
  return mallinfo2().uordblks;
#endif
}

class PendingConnectionBytesTest : public EndpointPairTest {};

TEST_F(PendingConnectionBytesTest, TheEstimateCoversWhatAPendingConnectionHolds) {
  EndpointConfig config;
  config.retry_policy = RetryPolicy::kNever;
  config.max_unvalidated_per_source = kProbeConnections;
  config.max_pending_handshakes = kProbeConnections;
  config.max_pending_memory = SIZE_MAX;
  MakeEndpoints(config);
  auto trap = OpenSocket();
  std::vector<uint8_t> initial;
  trap->SetReceiveHandler([&](const ReceivedDatagram& d) {
    if (initial.empty()) initial.assign(d.payload.begin(), d.payload.end());
  });
  ConnectionHandle handle;
  ASSERT_EQ(client_->Dial(trap->LocalAddress(), &handle), DialResult::kOk);
  ASSERT_TRUE(RunUntil([&] { return !initial.empty(); }));
  trap->SetReceiveHandler(nullptr);
  std::vector<std::unique_ptr<AsioUdpSocket>> senders;
  for (size_t i = 0; i < kProbeConnections; ++i) senders.push_back(OpenSocket());
  // One connection first, so one-time allocations (tables, TLS state
  // shared by the endpoint) are not charged to the probe.
  ASSERT_EQ(senders[0]->SendTo(server_->local_address(), initial), SendResult::kSent);
  ASSERT_TRUE(RunUntil([&] { return server_->stats().connections_accepted == 1; }));
  const size_t before = HeapBytes();
  for (size_t i = 1; i < kProbeConnections; ++i) {
    ASSERT_EQ(senders[i]->SendTo(server_->local_address(), initial), SendResult::kSent);
  }
  ASSERT_TRUE(RunUntil([&] { return server_->stats().connections_accepted == kProbeConnections; }));
  const size_t after = HeapBytes();
  ASSERT_GT(after, before);
  const size_t per_connection = (after - before) / (kProbeConnections - 1);
  std::printf("heap per pending connection: %zu bytes (estimate %zu)\n", per_connection,
              HandshakeAdmission::kPendingConnectionBytes);
  EXPECT_LE(per_connection, HandshakeAdmission::kPendingConnectionBytes);
  EXPECT_GE(per_connection * kMaxOverestimate, HandshakeAdmission::kPendingConnectionBytes);
  EXPECT_EQ(server_->admission().pending(), kProbeConnections);
}

}  // namespace
}  // namespace p2pquic::testing
