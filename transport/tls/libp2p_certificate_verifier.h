// Libp2pCertificateVerifier: judges a peer's certificate by the libp2p TLS
// spec, for one handshake: exactly one certificate; a valid self-signature;
// inside its validity window at the injected wall clock; the libp2p
// extension present, its host key decodable and its signature over
// "libp2p-tls-handshake:" || SPKI valid; no critical extension we do not
// understand; and, when dialing a /p2p/<id> address, that id.
//
// It remembers the verdict (status, and on success the peer's key and id),
// so the connection can report why a handshake failed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "transport/runtime/clock.h"
#include "transport/identity/peer_id.h"
#include "transport/identity/public_key.h"
#include "transport/tls/peer_certificate_verifier.h"

namespace p2pquic {

enum class PeerCertificateStatus : uint8_t {
  kNotVerified,  // No certificate seen yet.
  kOk,
  kNoCertificate,
  kChainNotSingle,  // The spec allows exactly one certificate.
  kMalformedCertificate,
  kNotYetValid,
  kExpired,
  kBadSelfSignature,
  kMissingLibp2pExtension,
  kMalformedLibp2pExtension,
  kBadHostKey,             // The extension's public key does not decode.
  kBadExtensionSignature,  // The host key did not sign this certificate key.
  kUnknownCriticalExtension,
  kPeerIdMismatch,  // Not the peer the dialer asked for.
};
const char* ToString(PeerCertificateStatus status);

class Libp2pCertificateVerifier final : public PeerCertificateVerifier {
 public:
  // `expected` set: only that peer is accepted (dialing /p2p/<id>).
  Libp2pCertificateVerifier(const Clock& clock, std::optional<PeerId> expected = std::nullopt)
      : clock_(clock), expected_(std::move(expected)) {}

  CertificateCheck Verify(std::span<const std::span<const uint8_t>> chain_der) override;

  PeerCertificateStatus status() const { return status_; }
  // A one-line reason, naming both peer IDs on a mismatch.
  std::string Describe() const;
  const PeerId& peer_id() const { return peer_id_; }
  const PublicKey& peer_key() const { return peer_key_; }

 private:
  PeerCertificateStatus Check(std::span<const std::span<const uint8_t>> chain_der);

  const Clock& clock_;
  std::optional<PeerId> expected_;
  PeerCertificateStatus status_ = PeerCertificateStatus::kNotVerified;
  PeerId peer_id_;
  PublicKey peer_key_;
};

}  // namespace p2pquic
