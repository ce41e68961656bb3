// Sizes and limits of libp2p keys, named once for every codec that checks them.
#pragma once

#include <cstddef>

namespace p2pquic {

// RSA: smaller keys are refused (breakable), larger ones too (a peer could
// make us spend seconds verifying; go-libp2p has the same cap).
inline constexpr int kMinRsaBits = 2048;
inline constexpr int kMaxRsaBits = 8192;

// Ed25519 (RFC 8032).
inline constexpr size_t kEd25519PublicKeyBytes = 32;
inline constexpr size_t kEd25519SeedBytes = 32;
inline constexpr size_t kEd25519SignatureBytes = 64;
// The libp2p private key forms: seed || public, and the legacy
// seed || public || public.
inline constexpr size_t kEd25519PrivateKeyBytes = kEd25519SeedBytes + kEd25519PublicKeyBytes;
inline constexpr size_t kEd25519LegacyPrivateKeyBytes =
    kEd25519PrivateKeyBytes + kEd25519PublicKeyBytes;

// Both elliptic curves here (secp256k1, P-256) have 256-bit scalars.
inline constexpr size_t kEcScalarBytes = 32;
inline constexpr size_t kEcCompressedPointBytes = 1 + kEcScalarBytes;
inline constexpr size_t kEcUncompressedPointBytes = 1 + 2 * kEcScalarBytes;

// Any encoded key (protobuf, or its Data field) longer than this is refused
// before parsing: an 8192-bit RSA private key in PKCS#1 is ~4.7 KB.
inline constexpr size_t kMaxEncodedKeyBytes = 16 * 1024;

// The peer-ids spec inlines encoded public keys up to this size into the
// peer ID (identity multihash); longer ones are hashed with SHA-256.
inline constexpr size_t kMaxInlineKeyBytes = 42;

}  // namespace p2pquic
