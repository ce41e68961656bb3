// GnutlsSession: a GnuTLS session set up for QUIC through ngtcp2's GnuTLS
// glue, with libp2p's requirements built in: TLS 1.3 only, one mandatory
// ALPN protocol, no SNI, a certificate on both sides (the server requires
// the client's from the first flight: py-libp2p #1345 forgot), and every
// peer certificate judged by the injected PeerCertificateVerifier, not by
// GnuTLS's CA logic.
//
// Ownership: the session does not own the verifier or the conn_ref; both
// must outlive it. Not thread-safe (one connection, one thread).
#pragma once

#include <gnutls/gnutls.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <memory>
#include <string>
#include <string_view>

#include "transport/tls/gnutls_credentials.h"
#include "transport/tls/peer_certificate_verifier.h"

namespace p2pquic {

enum class TlsRole : uint8_t { kClient, kServer };

class GnutlsSession {
 public:
  // Anonymous credentials are allowed for a client only (it then shows no
  // certificate, which a libp2p server must refuse). `credentials` must
  // outlive the session.
  // ngtcp2's GnuTLS glue finds the connection through `conn_ref`, which
  // must be the first member of whatever `conn_ref->user_data` describes.
  static TlsSetupResult Create(TlsRole role, const GnutlsCredentials& credentials,
                               std::string_view alpn, PeerCertificateVerifier& verifier,
                               ngtcp2_crypto_conn_ref* conn_ref,
                               std::unique_ptr<GnutlsSession>* out);
  ~GnutlsSession();
  GnutlsSession(const GnutlsSession&) = delete;
  GnutlsSession& operator=(const GnutlsSession&) = delete;

  gnutls_session_t native_handle() const { return session_; }
  // The negotiated ALPN protocol; empty before the handshake settles it.
  std::string SelectedAlpn() const;
  // Whether the verifier ran and rejected the peer (the handshake fails).
  bool peer_rejected() const { return peer_rejected_; }

 private:
  GnutlsSession() = default;
  TlsSetupResult Configure(TlsRole role, const GnutlsCredentials& credentials,
                           std::string_view alpn);
  static int VerifyPeer(gnutls_session_t session);

  gnutls_session_t session_ = nullptr;
  PeerCertificateVerifier* verifier_ = nullptr;
  ngtcp2_crypto_conn_ref* conn_ref_ = nullptr;
  std::string alpn_;
  bool peer_rejected_ = false;
};

}  // namespace p2pquic
