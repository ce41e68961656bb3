// PeerCertificateVerifier: decides whether the certificate chain a peer
// presented in the TLS handshake is acceptable. libp2p TLS plugs in here
// (the peer's identity is in the certificate, there is no CA); tests plug
// in forgeries and fakes.
//
// Contract: Verify is called once per handshake, on the connection's
// thread, from inside the TLS library, with DER certificates leaf first.
// It must not call back into the connection. A verifier that rejects
// keeps its own account of why (the handshake only fails).
#pragma once

#include <cstdint>
#include <span>

#include "transport/base/time.h"

namespace p2pquic {

enum class CertificateCheck : uint8_t { kAccepted, kRejected };

class PeerCertificateVerifier {
 public:
  virtual ~PeerCertificateVerifier() = default;
  virtual CertificateCheck Verify(std::span<const std::span<const uint8_t>> chain_der) = 0;
};

}  // namespace p2pquic
