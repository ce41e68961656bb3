#include "transport/quic/endpoint/address_validator.h"

#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>

namespace p2pquic {
namespace {

// The lifetime used to tell an expired token from a bad one: ngtcp2's
// verify says only "no" for both, so a token refused under its real
// lifetime is checked again under this one (~146 years; ngtcp2 adds it to
// the token's time, which stays far below 2^64).
constexpr uint64_t kForeverNs = uint64_t{1} << 62;

ngtcp2_cid ToNgtcp2(const ConnectionId& cid) {
  ngtcp2_cid out;
  ngtcp2_cid_init(&out, cid.bytes().data(), cid.size());
  return out;
}

uint64_t Nanoseconds(Duration d) { return static_cast<uint64_t>(d.count()); }

}  // namespace

const char* ToString(TokenKind kind) {
  switch (kind) {
    case TokenKind::kNone:
      return "no token";
    case TokenKind::kRetry:
      return "Retry token";
    case TokenKind::kRegular:
      return "NEW_TOKEN token";
    case TokenKind::kUnknown:
      return "unknown token";
  }
  return "?";
}

const char* ToString(TokenCheck check) {
  switch (check) {
    case TokenCheck::kValid:
      return "valid";
    case TokenCheck::kInvalid:
      return "invalid";
    case TokenCheck::kExpired:
      return "expired";
  }
  return "?";
}

const char* ToString(TokenMintResult result) {
  switch (result) {
    case TokenMintResult::kOk:
      return "ok";
    case TokenMintResult::kBadAddress:
      return "client address has no family";
    case TokenMintResult::kFailed:
      return "token encryption failed";
  }
  return "?";
}

AddressValidator::AddressValidator(const Settings& settings, const TokenSecret& secret)
    : settings_(settings), secret_(secret) {}

TokenKind AddressValidator::KindOf(std::span<const uint8_t> token) {
  if (token.empty()) return TokenKind::kNone;
  if (token[0] == NGTCP2_CRYPTO_TOKEN_MAGIC_RETRY) return TokenKind::kRetry;
  if (token[0] == NGTCP2_CRYPTO_TOKEN_MAGIC_REGULAR) return TokenKind::kRegular;
  return TokenKind::kUnknown;
}

TokenMintResult AddressValidator::MintRetryToken(const SocketAddress& client,
                                                 const ConnectionId& retry_scid,
                                                 const ConnectionId& original_dcid,
                                                 uint32_t version, Timestamp now,
                                                 std::vector<uint8_t>* token) const {
  sockaddr_storage addr;
  const socklen_t addrlen = client.ToSockaddr(&addr);
  // ngtcp2 aborts on an address family it does not know.
  if (addrlen == 0) return TokenMintResult::kBadAddress;
  const ngtcp2_cid scid = ToNgtcp2(retry_scid);
  const ngtcp2_cid odcid = ToNgtcp2(original_dcid);
  token->resize(NGTCP2_CRYPTO_MAX_RETRY_TOKENLEN);
  const ngtcp2_ssize n =
      ngtcp2_crypto_generate_retry_token(token->data(), secret_.data(), secret_.size(), version,
                                         reinterpret_cast<const ngtcp2_sockaddr*>(&addr), addrlen,
                                         &scid, &odcid, ToNgtcp2Timestamp(now));
  if (n < 0) {
    token->clear();
    return TokenMintResult::kFailed;
  }
  token->resize(static_cast<size_t>(n));
  return TokenMintResult::kOk;
}

TokenCheck AddressValidator::CheckRetryToken(std::span<const uint8_t> token,
                                             const SocketAddress& client, const ConnectionId& dcid,
                                             uint32_t version, Timestamp now,
                                             ConnectionId* original_dcid) const {
  sockaddr_storage addr;
  const socklen_t addrlen = client.ToSockaddr(&addr);
  if (addrlen == 0 || KindOf(token) != TokenKind::kRetry) return TokenCheck::kInvalid;
  const ngtcp2_cid ndcid = ToNgtcp2(dcid);
  const auto verify = [&](uint64_t lifetime, ngtcp2_cid* odcid) {
    return ngtcp2_crypto_verify_retry_token(odcid, token.data(), token.size(), secret_.data(),
                                            secret_.size(), version,
                                            reinterpret_cast<const ngtcp2_sockaddr*>(&addr),
                                            addrlen, &ndcid, lifetime, ToNgtcp2Timestamp(now));
  };
  ngtcp2_cid odcid;
  if (verify(Nanoseconds(settings_.retry_token_lifetime), &odcid) == 0) {
    ConnectionId::FromBytes({odcid.data, odcid.datalen}, original_dcid);
    return TokenCheck::kValid;
  }
  return verify(kForeverNs, &odcid) == 0 ? TokenCheck::kExpired : TokenCheck::kInvalid;
}

TokenMintResult AddressValidator::MintRegularToken(const SocketAddress& client, Timestamp now,
                                                   std::vector<uint8_t>* token) const {
  sockaddr_storage addr;
  const socklen_t addrlen = client.ToSockaddr(&addr);
  if (addrlen == 0) return TokenMintResult::kBadAddress;
  token->resize(NGTCP2_CRYPTO_MAX_REGULAR_TOKENLEN);
  const ngtcp2_ssize n = ngtcp2_crypto_generate_regular_token(
      token->data(), secret_.data(), secret_.size(),
      reinterpret_cast<const ngtcp2_sockaddr*>(&addr), addrlen, ToNgtcp2Timestamp(now));
  if (n < 0) {
    token->clear();
    return TokenMintResult::kFailed;
  }
  token->resize(static_cast<size_t>(n));
  return TokenMintResult::kOk;
}

TokenCheck AddressValidator::CheckRegularToken(std::span<const uint8_t> token,
                                               const SocketAddress& client, Timestamp now) const {
  sockaddr_storage addr;
  const socklen_t addrlen = client.ToSockaddr(&addr);
  if (addrlen == 0 || KindOf(token) != TokenKind::kRegular) return TokenCheck::kInvalid;
  const auto verify = [&](uint64_t lifetime) {
    return ngtcp2_crypto_verify_regular_token(
        token.data(), token.size(), secret_.data(), secret_.size(),
        reinterpret_cast<const ngtcp2_sockaddr*>(&addr), addrlen, lifetime, ToNgtcp2Timestamp(now));
  };
  if (verify(Nanoseconds(settings_.regular_token_lifetime)) == 0) return TokenCheck::kValid;
  return verify(kForeverNs) == 0 ? TokenCheck::kExpired : TokenCheck::kInvalid;
}

}  // namespace p2pquic
