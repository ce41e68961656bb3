#include "transport/identity/peer_id.h"

#include <openssl/sha.h>

#include "transport/identity/base32.h"
#include "transport/identity/base58.h"
#include "transport/identity/varint.h"

namespace p2pquic {
namespace {

// Multihash codes and the CID parts of the peer-ids spec.
constexpr uint64_t kIdentityMultihash = 0x00;
constexpr uint64_t kSha256Multihash = 0x12;
constexpr uint64_t kCidVersion1 = 0x01;
constexpr uint64_t kLibp2pKeyCodec = 0x72;
constexpr char kMultibaseBase32 = 'b';
constexpr char kMultibaseBase58 = 'z';

struct MultihashParts {
  uint64_t code = 0;
  std::span<const uint8_t> digest;
};

PeerIdStatus SplitMultihash(std::span<const uint8_t> bytes, MultihashParts* parts) {
  uint64_t code = 0;
  uint64_t length = 0;
  size_t code_bytes = 0;
  size_t length_bytes = 0;
  if (Varint::Read(bytes, &code, &code_bytes) != VarintStatus::kOk ||
      Varint::Read(bytes.subspan(code_bytes), &length, &length_bytes) != VarintStatus::kOk ||
      bytes.size() - code_bytes - length_bytes != length) {
    return PeerIdStatus::kMalformedMultihash;
  }
  parts->code = code;
  parts->digest = bytes.subspan(code_bytes + length_bytes);
  return PeerIdStatus::kOk;
}

PeerIdStatus CheckMultihash(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return PeerIdStatus::kEmpty;
  MultihashParts parts;
  const PeerIdStatus status = SplitMultihash(bytes, &parts);
  if (status != PeerIdStatus::kOk) return status;
  if (parts.code == kIdentityMultihash) {
    return parts.digest.size() <= kMaxInlineKeyBytes ? PeerIdStatus::kOk
                                                     : PeerIdStatus::kInlineKeyTooLong;
  }
  if (parts.code == kSha256Multihash) {
    return parts.digest.size() == SHA256_DIGEST_LENGTH ? PeerIdStatus::kOk
                                                       : PeerIdStatus::kBadDigestLength;
  }
  return PeerIdStatus::kUnsupportedHash;
}

// <version 1><libp2p-key><multihash>, the CID inside a multibase text.
PeerIdStatus FromCidBytes(std::span<const uint8_t> cid, PeerId* out) {
  uint64_t version = 0;
  uint64_t codec = 0;
  size_t version_bytes = 0;
  size_t codec_bytes = 0;
  if (Varint::Read(cid, &version, &version_bytes) != VarintStatus::kOk || version != kCidVersion1) {
    return PeerIdStatus::kNotCidV1;
  }
  if (Varint::Read(cid.subspan(version_bytes), &codec, &codec_bytes) != VarintStatus::kOk ||
      codec != kLibp2pKeyCodec) {
    return PeerIdStatus::kNotLibp2pKey;
  }
  return PeerId::FromBytes(cid.subspan(version_bytes + codec_bytes), out);
}

PeerIdStatus ParseCid(std::string_view text, PeerId* out) {
  std::vector<uint8_t> cid;
  if (text.front() == kMultibaseBase32) {
    if (Base32::Decode(text.substr(1), &cid) != Base32Status::kOk) return PeerIdStatus::kBadBase32;
  } else if (Base58::Decode(text.substr(1), &cid) != Base58Status::kOk) {
    return PeerIdStatus::kBadBase58;
  }
  return FromCidBytes(cid, out);
}

}  // namespace

const char* ToString(PeerIdStatus status) {
  switch (status) {
    case PeerIdStatus::kOk:
      return "ok";
    case PeerIdStatus::kEmpty:
      return "empty peer ID";
    case PeerIdStatus::kTooLong:
      return "peer ID text is too long";
    case PeerIdStatus::kBadBase58:
      return "peer ID is not valid base58btc";
    case PeerIdStatus::kBadBase32:
      return "peer ID CID is not valid lowercase base32";
    case PeerIdStatus::kUnsupportedMultibase:
      return "not a peer ID: expected base58btc ('12D3KooW...', 'Qm...') or a CIDv1 ('bafz...')";
    case PeerIdStatus::kMalformedMultihash:
      return "peer ID is not a well-formed multihash";
    case PeerIdStatus::kUnsupportedHash:
      return "peer ID multihash is neither identity nor sha2-256";
    case PeerIdStatus::kBadDigestLength:
      return "peer ID sha2-256 digest is not 32 bytes";
    case PeerIdStatus::kInlineKeyTooLong:
      return "peer ID inlines more than 42 bytes of key";
    case PeerIdStatus::kNotCidV1:
      return "peer ID CID is not CIDv1";
    case PeerIdStatus::kNotLibp2pKey:
      return "peer ID CID codec is not libp2p-key (0x72)";
    case PeerIdStatus::kKeyNotInlined:
      return "peer ID is a sha2-256 hash: the public key is not inside it";
    case PeerIdStatus::kBadInlinedKey:
      return "peer ID inlines bytes that are not a valid public key";
    case PeerIdStatus::kNonCanonicalInlinedKey:
      return "peer ID inlines a non-canonical key encoding (not that key's peer ID)";
  }
  return "unknown peer ID status";
}

PeerId PeerId::FromPublicKey(const PublicKey& key) {
  PeerId id;
  if (key.empty()) return id;
  const std::vector<uint8_t> encoded = key.Encode();
  if (encoded.size() <= kMaxInlineKeyBytes) {
    Varint::Append(kIdentityMultihash, &id.multihash_);
    Varint::Append(encoded.size(), &id.multihash_);
    id.multihash_.insert(id.multihash_.end(), encoded.begin(), encoded.end());
  } else {
    uint8_t digest[SHA256_DIGEST_LENGTH];
    SHA256(encoded.data(), encoded.size(), digest);
    Varint::Append(kSha256Multihash, &id.multihash_);
    Varint::Append(sizeof(digest), &id.multihash_);
    id.multihash_.insert(id.multihash_.end(), digest, digest + sizeof(digest));
  }
  return id;
}

PeerIdStatus PeerId::FromBytes(std::span<const uint8_t> multihash, PeerId* out) {
  const PeerIdStatus status = CheckMultihash(multihash);
  if (status != PeerIdStatus::kOk) return status;
  out->multihash_.assign(multihash.begin(), multihash.end());
  return PeerIdStatus::kOk;
}

PeerIdStatus PeerId::Parse(std::string_view text, PeerId* out) {
  if (text.empty()) return PeerIdStatus::kEmpty;
  if (text.size() > kMaxPeerIdTextLength) return PeerIdStatus::kTooLong;
  // The spec's dispatch: raw base58btc multihashes start with '1' (identity)
  // or "Qm" (sha2-256); anything else must carry a multibase prefix.
  if (text.front() == '1' || text.starts_with("Qm")) {
    std::vector<uint8_t> multihash;
    if (Base58::Decode(text, &multihash) != Base58Status::kOk) return PeerIdStatus::kBadBase58;
    return FromBytes(multihash, out);
  }
  if (text.front() == kMultibaseBase32 || text.front() == kMultibaseBase58) {
    return ParseCid(text, out);
  }
  return PeerIdStatus::kUnsupportedMultibase;
}

std::string PeerId::ToString() const { return Base58::Encode(multihash_); }

std::string PeerId::ToCidString() const {
  std::vector<uint8_t> cid;
  Varint::Append(kCidVersion1, &cid);
  Varint::Append(kLibp2pKeyCodec, &cid);
  cid.insert(cid.end(), multihash_.begin(), multihash_.end());
  return std::string(1, kMultibaseBase32) + Base32::Encode(cid);
}

bool PeerId::Matches(const PublicKey& key) const {
  return !key.empty() && !empty() && FromPublicKey(key) == *this;
}

PeerIdStatus PeerId::ExtractPublicKey(PublicKey* out, KeyStatus* key_status) const {
  MultihashParts parts;
  const PeerIdStatus status = SplitMultihash(multihash_, &parts);
  if (status != PeerIdStatus::kOk) return empty() ? PeerIdStatus::kEmpty : status;
  if (parts.code != kIdentityMultihash) return PeerIdStatus::kKeyNotInlined;
  PublicKey key;
  const KeyStatus decoded = PublicKey::Decode(parts.digest, &key);
  if (key_status != nullptr) *key_status = decoded;
  if (decoded != KeyStatus::kOk) return PeerIdStatus::kBadInlinedKey;
  // A key spelled non-canonically (extra fields, other field order) decodes,
  // but its peer ID is not this one: it must not pass as this peer's key.
  if (!Matches(key)) return PeerIdStatus::kNonCanonicalInlinedKey;
  *out = std::move(key);
  return PeerIdStatus::kOk;
}

}  // namespace p2pquic
