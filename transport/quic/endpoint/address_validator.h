// AddressValidator: the tokens a server hands out to validate a client's
// address (RFC 9000 §8.1) and checks when they come back in an Initial:
//
// - Retry tokens (§8.1.2), sent in a Retry packet: bound to the client's
//   full address (IP and port), the Retry's SCID (the DCID the client's next
//   Initial must carry) and the DCID of the Initial that was retried (the
//   original DCID, which the token carries back so that the server can
//   state it in its transport parameters: §7.3). Short-lived
//   (Settings::retry_token_lifetime): a client follows a Retry at once.
// - Regular tokens (§8.1.3), sent in NEW_TOKEN after a handshake: bound to
//   the client's IP address only (ngtcp2 0.12.1 leaves the port out of the
//   regular token's AAD: a client comes back from a new port), longer-lived
//   (Settings::regular_token_lifetime), so a returning client skips the
//   Retry.
//
// Both are ngtcp2's AEAD tokens (AES-128-GCM under keys derived from the
// TokenSecret with a random per-token salt, the creation time inside), so a
// token cannot be forged, altered or moved to another address without the
// secret. The token's first byte says which kind it is (KindOf).
//
// The secret: every endpoint that may receive a client's next Initial must
// check tokens with the same secret. All workers of a node (a retried
// client's next Initial may be steered to another worker) and all hosts of
// a deployment behind one address (a NEW_TOKEN may come back to any of
// them) must therefore share it; p2pquic-node derives it from the node's
// identity key as it does the reset secret. An endpoint given none draws
// one from its Random: then only it accepts its tokens, for its life.
//
// Versions: ngtcp2 0.12.1 omits the QUIC version from the Retry token's AAD
// (upstream fixed it in 1.1.0), so a Retry token minted for one version
// would verify in an Initial of another. We speak QUIC v1 only: an Initial
// of any other version never reaches the validator (the endpoint answers it
// with Version Negotiation), so no token can cross versions here. A server
// that adds a version (v2, RFC 9369) must bind the version itself (e.g. in
// the secret it derives per version) until it runs ngtcp2 >= 1.1.0.
//
// Contract: sans I/O (the time comes from the caller); single-threaded use,
// but every method is const and keeps no state beyond the secret.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "transport/base/connection_id.h"
#include "transport/base/socket_address.h"
#include "transport/base/time.h"

namespace p2pquic {

// The key material tokens are encrypted under (ngtcp2 derives the AEAD key
// from it and each token's salt).
using TokenSecret = std::array<uint8_t, 32>;

// What a token's first byte says it is.
enum class TokenKind : uint8_t {
  kNone,     // No token.
  kRetry,    // Ours from a Retry (or claims to be).
  kRegular,  // Ours from NEW_TOKEN (or claims to be).
  kUnknown,  // Not a token of ours (another server's): treated as none.
};
const char* ToString(TokenKind kind);

enum class TokenCheck : uint8_t {
  kValid,
  kInvalid,  // Not ours, altered, or bound to another address or CID.
  kExpired,  // Ours and intact, but older than its lifetime.
};
const char* ToString(TokenCheck check);

enum class TokenMintResult : uint8_t {
  kOk,
  kBadAddress,  // The client address has no family (unspecified).
  kFailed,      // ngtcp2 could not encrypt.
};
const char* ToString(TokenMintResult result);

class AddressValidator {
 public:
  struct Settings {
    // How long a Retry token is accepted after it was minted: one round
    // trip is what a client needs; 10 s covers slow links and retransmits.
    Duration retry_token_lifetime = std::chrono::seconds(10);
    // How long a NEW_TOKEN token is accepted: a client coming back within
    // the hour skips the Retry (quic-go's default MaxTokenAge is 24 h; an
    // hour bounds how long a leaked token lets its IP skip validation).
    Duration regular_token_lifetime = std::chrono::hours(1);
  };

  AddressValidator(const Settings& settings, const TokenSecret& secret);

  static TokenKind KindOf(std::span<const uint8_t> token);

  // A token for a Retry answering an Initial from `client` whose DCID was
  // `original_dcid`; `retry_scid` is the SCID the Retry carries.
  TokenMintResult MintRetryToken(const SocketAddress& client, const ConnectionId& retry_scid,
                                 const ConnectionId& original_dcid, uint32_t version, Timestamp now,
                                 std::vector<uint8_t>* token) const;
  // Checks a Retry token from an Initial from `client` whose DCID is `dcid`
  // (which must be the Retry's SCID); on kValid, `*original_dcid` is the
  // DCID of the Initial that was retried.
  TokenCheck CheckRetryToken(std::span<const uint8_t> token, const SocketAddress& client,
                             const ConnectionId& dcid, uint32_t version, Timestamp now,
                             ConnectionId* original_dcid) const;

  // A NEW_TOKEN token for `client`'s IP address.
  TokenMintResult MintRegularToken(const SocketAddress& client, Timestamp now,
                                   std::vector<uint8_t>* token) const;
  TokenCheck CheckRegularToken(std::span<const uint8_t> token, const SocketAddress& client,
                               Timestamp now) const;

  const Settings& settings() const { return settings_; }

 private:
  Settings settings_;
  TokenSecret secret_;
};

}  // namespace p2pquic
