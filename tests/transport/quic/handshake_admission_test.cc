// HandshakeAdmission: the accept / Retry / refuse rule its header states.
#include "transport/quic/endpoint/handshake_admission.h"

#include <gtest/gtest.h>

namespace p2pquic {
namespace {

constexpr AdmissionDecision kAccept{AdmissionVerdict::kAccept, AdmissionReason::kNone};

SocketAddress V4(uint8_t last, uint16_t port = 1000) {
  return SocketAddress::Ipv4({10, 0, 0, last}, port);
}

HandshakeAdmission::Settings Small(RetryPolicy policy) {
  HandshakeAdmission::Settings s;
  s.policy = policy;
  s.max_connections = 100;
  s.max_pending_handshakes = 10;
  s.retry_threshold = 6;
  s.max_unvalidated_per_source = 3;
  s.max_pending_memory = 1000 * HandshakeAdmission::kPendingConnectionBytes;
  return s;
}

TEST(HandshakeAdmissionTest, AlwaysRetriesUnvalidatedAndAcceptsValidated) {
  HandshakeAdmission admission(Small(RetryPolicy::kAlways));
  EXPECT_EQ(admission.Decide(V4(1), AddressProof::kNone, 0),
            (AdmissionDecision{AdmissionVerdict::kRetry, AdmissionReason::kPolicy}));
  EXPECT_EQ(admission.Decide(V4(1), AddressProof::kValidated, 0), kAccept);
}

TEST(HandshakeAdmissionTest, AutoRetriesOnlyFromTheThreshold) {
  HandshakeAdmission admission(Small(RetryPolicy::kAuto));
  for (uint8_t i = 0; i < 6; ++i) {
    ASSERT_EQ(admission.Decide(V4(i), AddressProof::kNone, i), kAccept) << int{i};
    admission.Started(V4(i), false);
  }
  EXPECT_EQ(admission.Decide(V4(50), AddressProof::kNone, 6),
            (AdmissionDecision{AdmissionVerdict::kRetry, AdmissionReason::kLoad}));
  // Validated handshakes do not count towards the threshold.
  EXPECT_EQ(admission.Decide(V4(50), AddressProof::kValidated, 6), kAccept);
  admission.Finished(V4(0), false);
  EXPECT_EQ(admission.Decide(V4(50), AddressProof::kNone, 5), kAccept);
}

TEST(HandshakeAdmissionTest, NeverAcceptsBelowTheLimitsAndRefusesAtThem) {
  HandshakeAdmission admission(Small(RetryPolicy::kNever));
  for (uint8_t i = 0; i < 10; ++i) {
    ASSERT_EQ(admission.Decide(V4(i), AddressProof::kNone, i), kAccept) << int{i};
    admission.Started(V4(i), false);
  }
  EXPECT_EQ(admission.Decide(V4(50), AddressProof::kNone, 10),
            (AdmissionDecision{AdmissionVerdict::kRefuse, AdmissionReason::kPendingFull}));
  EXPECT_EQ(admission.Decide(V4(50), AddressProof::kValidated, 10),
            (AdmissionDecision{AdmissionVerdict::kRefuse, AdmissionReason::kPendingFull}));
}

TEST(HandshakeAdmissionTest, PerSourceLimitIgnoresThePort) {
  HandshakeAdmission retrying(Small(RetryPolicy::kAuto));
  HandshakeAdmission refusing(Small(RetryPolicy::kNever));
  for (uint16_t port = 1; port <= 3; ++port) {
    retrying.Started(V4(1, port), false);
    refusing.Started(V4(1, port), false);
  }
  EXPECT_EQ(retrying.unvalidated_from(V4(1, 9)), 3u);
  EXPECT_EQ(retrying.Decide(V4(1, 4), AddressProof::kNone, 3),
            (AdmissionDecision{AdmissionVerdict::kRetry, AdmissionReason::kPerSourceLimit}));
  EXPECT_EQ(refusing.Decide(V4(1, 4), AddressProof::kNone, 3),
            (AdmissionDecision{AdmissionVerdict::kRefuse, AdmissionReason::kPerSourceLimit}));
  // Another IP is not held to the first one's count; a validated one is
  // not held to any.
  EXPECT_EQ(refusing.Decide(V4(2), AddressProof::kNone, 3), kAccept);
  EXPECT_EQ(refusing.Decide(V4(1, 4), AddressProof::kValidated, 3), kAccept);
  refusing.Finished(V4(1, 2), false);
  EXPECT_EQ(refusing.Decide(V4(1, 4), AddressProof::kNone, 2), kAccept);
}

TEST(HandshakeAdmissionTest, Ipv6SourcesCountByTheirSlash64) {
  HandshakeAdmission admission(Small(RetryPolicy::kNever));
  std::array<uint8_t, 16> bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1};
  for (uint8_t host = 1; host <= 3; ++host) {
    bytes[15] = host;
    admission.Started(SocketAddress::Ipv6(bytes, 443), false);
  }
  bytes[15] = 200;
  bytes[9] = 0x77;  // Same /64, other interface id.
  EXPECT_EQ(admission.Decide(SocketAddress::Ipv6(bytes, 443), AddressProof::kNone, 3).reason,
            AdmissionReason::kPerSourceLimit);
  bytes[7] = 2;  // Another /64.
  EXPECT_EQ(admission.Decide(SocketAddress::Ipv6(bytes, 443), AddressProof::kNone, 3), kAccept);
}

TEST(HandshakeAdmissionTest, MemoryCapRetriesOrRefuses) {
  HandshakeAdmission::Settings s = Small(RetryPolicy::kAuto);
  s.max_pending_memory = 2 * HandshakeAdmission::kPendingConnectionBytes;
  HandshakeAdmission admission(s);
  admission.Started(V4(1), false);
  admission.Started(V4(2), true);
  EXPECT_EQ(admission.pending_memory(), 2 * HandshakeAdmission::kPendingConnectionBytes);
  EXPECT_EQ(admission.Decide(V4(3), AddressProof::kNone, 2),
            (AdmissionDecision{AdmissionVerdict::kRetry, AdmissionReason::kMemoryCap}));
  EXPECT_EQ(admission.Decide(V4(3), AddressProof::kValidated, 2),
            (AdmissionDecision{AdmissionVerdict::kRefuse, AdmissionReason::kMemoryCap}));
  admission.Finished(V4(2), true);
  EXPECT_EQ(admission.Decide(V4(3), AddressProof::kNone, 1), kAccept);
}

TEST(HandshakeAdmissionTest, BadRetryTokensAndFullConnectionsAreRefused) {
  HandshakeAdmission admission(Small(RetryPolicy::kAuto));
  EXPECT_EQ(admission.Decide(V4(1), AddressProof::kInvalidRetryToken, 0),
            (AdmissionDecision{AdmissionVerdict::kRefuse, AdmissionReason::kInvalidRetryToken}));
  EXPECT_EQ(admission.Decide(V4(1), AddressProof::kExpiredRetryToken, 0),
            (AdmissionDecision{AdmissionVerdict::kRefuse, AdmissionReason::kExpiredRetryToken}));
  EXPECT_EQ(admission.Decide(V4(1), AddressProof::kValidated, 100),
            (AdmissionDecision{AdmissionVerdict::kRefuse, AdmissionReason::kConnectionsFull}));
}

}  // namespace
}  // namespace p2pquic
