// AddressValidator: Retry tokens bound to the client's address (port
// included), the Retry SCID and carrying the original DCID; regular tokens
// bound to the IP only; lifetimes; tampering; another secret.
#include "transport/quic/endpoint/address_validator.h"

#include <gtest/gtest.h>

#include <chrono>

#include "testing/packet_builder.h"

namespace p2pquic {
namespace {

using std::chrono::seconds;

constexpr uint32_t kVersion = 1;
const TokenSecret kSecret = {1, 2, 3, 4, 5, 6, 7, 8};

class AddressValidatorTest : public ::testing::Test {
 protected:
  AddressValidator validator_{{seconds(10), std::chrono::hours(1)}, kSecret};
  const SocketAddress client_ = SocketAddress::Ipv4({192, 0, 2, 7}, 4433);
  const ConnectionId retry_scid_ = testing::MakeCid(0xabc, 8);
  const ConnectionId odcid_ = testing::MakeCid(0x1234, 18);
  const Timestamp t0_ = Timestamp(seconds(1000));
};

TEST_F(AddressValidatorTest, RetryTokenRoundTripsTheOriginalDcid) {
  std::vector<uint8_t> token;
  ASSERT_EQ(validator_.MintRetryToken(client_, retry_scid_, odcid_, kVersion, t0_, &token),
            TokenMintResult::kOk);
  EXPECT_EQ(AddressValidator::KindOf(token), TokenKind::kRetry);
  ConnectionId original;
  EXPECT_EQ(validator_.CheckRetryToken(token, client_, retry_scid_, kVersion, t0_ + seconds(1),
                                       &original),
            TokenCheck::kValid);
  EXPECT_EQ(original, odcid_);
}

TEST_F(AddressValidatorTest, RetryTokenIsBoundToPortIpAndRetryScid) {
  std::vector<uint8_t> token;
  ASSERT_EQ(validator_.MintRetryToken(client_, retry_scid_, odcid_, kVersion, t0_, &token),
            TokenMintResult::kOk);
  ConnectionId original;
  EXPECT_EQ(validator_.CheckRetryToken(token, client_.WithPort(4434), retry_scid_, kVersion, t0_,
                                       &original),
            TokenCheck::kInvalid);
  EXPECT_EQ(validator_.CheckRetryToken(token, SocketAddress::Ipv4({192, 0, 2, 8}, 4433),
                                       retry_scid_, kVersion, t0_, &original),
            TokenCheck::kInvalid);
  EXPECT_EQ(validator_.CheckRetryToken(token, client_, testing::MakeCid(0xabd, 8), kVersion, t0_,
                                       &original),
            TokenCheck::kInvalid);
}

TEST_F(AddressValidatorTest, RetryTokenExpiresAfterItsLifetime) {
  std::vector<uint8_t> token;
  ASSERT_EQ(validator_.MintRetryToken(client_, retry_scid_, odcid_, kVersion, t0_, &token),
            TokenMintResult::kOk);
  ConnectionId original;
  EXPECT_EQ(validator_.CheckRetryToken(token, client_, retry_scid_, kVersion, t0_ + seconds(9),
                                       &original),
            TokenCheck::kValid);
  EXPECT_EQ(validator_.CheckRetryToken(token, client_, retry_scid_, kVersion, t0_ + seconds(10),
                                       &original),
            TokenCheck::kExpired);
}

TEST_F(AddressValidatorTest, EveryAlteredByteOfARetryTokenIsInvalid) {
  std::vector<uint8_t> token;
  ASSERT_EQ(validator_.MintRetryToken(client_, retry_scid_, odcid_, kVersion, t0_, &token),
            TokenMintResult::kOk);
  ConnectionId original;
  // Byte 0 is the magic: altering it makes it another kind, also refused.
  for (size_t i = 0; i < token.size(); ++i) {
    std::vector<uint8_t> bad = token;
    bad[i] ^= 0x01;
    EXPECT_EQ(validator_.CheckRetryToken(bad, client_, retry_scid_, kVersion, t0_, &original),
              TokenCheck::kInvalid)
        << "byte " << i;
  }
  std::vector<uint8_t> truncated(token.begin(), token.end() - 1);
  EXPECT_EQ(validator_.CheckRetryToken(truncated, client_, retry_scid_, kVersion, t0_, &original),
            TokenCheck::kInvalid);
}

TEST_F(AddressValidatorTest, AnotherSecretRefusesTheToken) {
  std::vector<uint8_t> token;
  ASSERT_EQ(validator_.MintRetryToken(client_, retry_scid_, odcid_, kVersion, t0_, &token),
            TokenMintResult::kOk);
  TokenSecret other = kSecret;
  other[31] ^= 1;
  AddressValidator stranger({}, other);
  ConnectionId original;
  EXPECT_EQ(stranger.CheckRetryToken(token, client_, retry_scid_, kVersion, t0_, &original),
            TokenCheck::kInvalid);
}

TEST_F(AddressValidatorTest, RegularTokenIsBoundToTheIpNotThePort) {
  std::vector<uint8_t> token;
  ASSERT_EQ(validator_.MintRegularToken(client_, t0_, &token), TokenMintResult::kOk);
  EXPECT_EQ(AddressValidator::KindOf(token), TokenKind::kRegular);
  EXPECT_EQ(validator_.CheckRegularToken(token, client_, t0_), TokenCheck::kValid);
  EXPECT_EQ(validator_.CheckRegularToken(token, client_.WithPort(9999), t0_), TokenCheck::kValid);
  EXPECT_EQ(validator_.CheckRegularToken(token, SocketAddress::Ipv4({192, 0, 2, 8}, 4433), t0_),
            TokenCheck::kInvalid);
  EXPECT_EQ(validator_.CheckRegularToken(token, client_, t0_ + std::chrono::minutes(59)),
            TokenCheck::kValid);
  EXPECT_EQ(validator_.CheckRegularToken(token, client_, t0_ + std::chrono::hours(1)),
            TokenCheck::kExpired);
  std::vector<uint8_t> bad = token;
  bad.back() ^= 0x80;
  EXPECT_EQ(validator_.CheckRegularToken(bad, client_, t0_), TokenCheck::kInvalid);
}

TEST_F(AddressValidatorTest, KindsAreToldByTheFirstByte) {
  EXPECT_EQ(AddressValidator::KindOf({}), TokenKind::kNone);
  const std::vector<uint8_t> foreign = {0x00, 1, 2, 3};
  EXPECT_EQ(AddressValidator::KindOf(foreign), TokenKind::kUnknown);
  // A token of one kind never passes the other kind's check.
  std::vector<uint8_t> regular;
  ASSERT_EQ(validator_.MintRegularToken(client_, t0_, &regular), TokenMintResult::kOk);
  ConnectionId original;
  EXPECT_EQ(validator_.CheckRetryToken(regular, client_, retry_scid_, kVersion, t0_, &original),
            TokenCheck::kInvalid);
}

TEST_F(AddressValidatorTest, AnUnspecifiedAddressIsRefusedNotPassedToNgtcp2) {
  std::vector<uint8_t> token;
  EXPECT_EQ(validator_.MintRegularToken(SocketAddress(), t0_, &token),
            TokenMintResult::kBadAddress);
  EXPECT_EQ(validator_.MintRetryToken(SocketAddress(), retry_scid_, odcid_, kVersion, t0_, &token),
            TokenMintResult::kBadAddress);
}

}  // namespace
}  // namespace p2pquic
