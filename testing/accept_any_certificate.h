// AcceptAnyCertificate: a PeerCertificateVerifier that accepts whatever the
// peer shows, for tests and simulations about the network and the
// transport rather than about libp2p's certificate rules
// (tests/transport/tls pins those).
#pragma once

#include <cstdint>
#include <span>

#include "transport/tls/peer_certificate_verifier.h"

namespace p2pquic::testing {

class AcceptAnyCertificate final : public PeerCertificateVerifier {
 public:
  CertificateCheck Verify(std::span<const std::span<const uint8_t>>) override {
    return CertificateCheck::kAccepted;
  }
};

}  // namespace p2pquic::testing
