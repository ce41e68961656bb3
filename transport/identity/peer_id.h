// PeerId: a libp2p peer ID — the multihash of a peer's encoded public key
// (peer-ids spec): the identity multihash (code 0x00) when the encoded
// PublicKey protobuf is at most kMaxInlineKeyBytes (Ed25519, secp256k1), so
// the key can be read back out of the ID; else sha2-256 (code 0x12, 32-byte
// digest; RSA, ECDSA). Written as base58btc ("12D3KooW...", "Qm..."); parsing
// also takes the CIDv1 form ("bafz...", multibase base32 or base58btc, codec
// libp2p-key). Every PeerId that exists holds a well-formed multihash of one
// of those two kinds; a default-constructed one is empty (equal only to
// other empty ones, and matching no key).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "transport/identity/key_limits.h"
#include "transport/identity/key_status.h"
#include "transport/identity/public_key.h"

namespace p2pquic {

// A peer ID's multihash is at most a one-byte code, a one-byte length and
// an inlined key.
inline constexpr size_t kMaxPeerIdBytes = 2 + kMaxInlineKeyBytes;
// Longest text Parse considers (a CID of the longest peer ID is ~75 characters).
inline constexpr size_t kMaxPeerIdTextLength = 128;

enum class PeerIdStatus : uint8_t {
  kOk,
  kEmpty,                   // No text or no bytes.
  kTooLong,                 // Text over kMaxPeerIdTextLength characters.
  kBadBase58,               // A character outside the base58btc alphabet.
  kBadBase32,               // Not valid lowercase, unpadded base32 after the 'b' prefix.
  kUnsupportedMultibase,    // Neither raw base58btc ('1...', 'Qm...') nor a 'b'/'z' CID.
  kMalformedMultihash,      // Truncated or bad varints, or a length that disagrees with the bytes.
  kUnsupportedHash,         // A multihash other than identity and sha2-256.
  kBadDigestLength,         // sha2-256 with a digest that is not 32 bytes.
  kInlineKeyTooLong,        // Identity multihash of more than kMaxInlineKeyBytes.
  kNotCidV1,                // A CID whose version is not 1.
  kNotLibp2pKey,            // A CID whose codec is not libp2p-key (0x72).
  kKeyNotInlined,           // ExtractPublicKey on a sha2-256 peer ID.
  kBadInlinedKey,           // The inlined bytes are not a valid public key.
  kNonCanonicalInlinedKey,  // A valid key, but not canonically encoded: not its peer ID.
};

const char* ToString(PeerIdStatus status);

class PeerId {
 public:
  PeerId() = default;

  static PeerId FromPublicKey(const PublicKey& key);

  // From the binary multihash (e.g. a /p2p multiaddr component).
  static PeerIdStatus FromBytes(std::span<const uint8_t> multihash, PeerId* out);
  // From text (base58btc multihash or CIDv1). On error `out` is unchanged.
  static PeerIdStatus Parse(std::string_view text, PeerId* out);

  bool empty() const { return multihash_.empty(); }
  std::span<const uint8_t> bytes() const { return multihash_; }

  // The canonical text: base58btc of the multihash.
  std::string ToString() const;
  // The CIDv1 text: 'b' + base32(0x01, 0x72, multihash).
  std::string ToCidString() const;

  // True when this is the peer ID of `key`.
  bool Matches(const PublicKey& key) const;

  // The public key inlined in an identity-multihash peer ID. kKeyNotInlined
  // for sha2-256 IDs (the key must come from elsewhere, e.g. the TLS
  // certificate); kBadInlinedKey (with `key_status` saying why) for bytes
  // that are no key, kNonCanonicalInlinedKey for a key whose own peer ID is
  // not this one. On error `out` is unchanged.
  PeerIdStatus ExtractPublicKey(PublicKey* out, KeyStatus* key_status = nullptr) const;

  friend bool operator==(const PeerId&, const PeerId&) = default;

  template <typename H>
  friend H AbslHashValue(H h, const PeerId& id) {
    return H::combine_contiguous(std::move(h), id.multihash_.data(), id.multihash_.size());
  }

 private:
  std::vector<uint8_t> multihash_;
};

}  // namespace p2pquic

template <>
struct std::hash<p2pquic::PeerId> {
  size_t operator()(const p2pquic::PeerId& id) const {
    const auto bytes = id.bytes();
    return std::hash<std::string_view>{}(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
};
