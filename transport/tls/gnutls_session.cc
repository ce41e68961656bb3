#include "transport/tls/gnutls_session.h"

#include <gnutls/x509.h>
#include <ngtcp2/ngtcp2_crypto_gnutls.h>

#include <vector>

namespace p2pquic {
namespace {

// GnuTLS keeps one user pointer per session and ngtcp2 takes it, so the
// verifier reaches its GnutlsSession through this registry-free trick:
// the GnutlsSession pointer rides in GnuTLS's transport pointer slot,
// unused under QUIC (no record layer I/O through GnuTLS).
GnutlsSession* SessionOf(gnutls_session_t session) {
  return static_cast<GnutlsSession*>(gnutls_transport_get_ptr(session));
}

}  // namespace

TlsSetupResult GnutlsSession::Create(TlsRole role, const GnutlsCredentials& credentials,
                                     std::string_view alpn, PeerCertificateVerifier& verifier,
                                     ngtcp2_crypto_conn_ref* conn_ref,
                                     std::unique_ptr<GnutlsSession>* out) {
  if (alpn.empty() || alpn.size() > 255) return TlsSetupResult::kEmptyAlpn;
  std::unique_ptr<GnutlsSession> session(new GnutlsSession());
  session->verifier_ = &verifier;
  session->conn_ref_ = conn_ref;
  session->alpn_ = std::string(alpn);
  const TlsSetupResult result = session->Configure(role, credentials, alpn);
  if (result == TlsSetupResult::kOk) *out = std::move(session);
  return result;
}

TlsSetupResult GnutlsSession::Configure(TlsRole role, const GnutlsCredentials& credentials,
                                        std::string_view alpn) {
  if (credentials.anonymous() && role == TlsRole::kServer) return TlsSetupResult::kBadCredentials;
  const unsigned flags =
      role == TlsRole::kServer ? GNUTLS_SERVER | GNUTLS_NO_AUTO_SEND_TICKET : GNUTLS_CLIENT;
  if (gnutls_init(&session_, flags) != 0) return TlsSetupResult::kLibraryError;
  if (gnutls_priority_set(session_, credentials.priority()) != 0) {
    return TlsSetupResult::kLibraryError;
  }
  const int glue = role == TlsRole::kServer
                       ? ngtcp2_crypto_gnutls_configure_server_session(session_)
                       : ngtcp2_crypto_gnutls_configure_client_session(session_);
  if (glue != 0) return TlsSetupResult::kLibraryError;
  gnutls_session_set_ptr(session_, conn_ref_);
  gnutls_transport_set_ptr(session_, this);
  // A client without a certificate is legal TLS; libp2p servers refuse it.
  if (gnutls_credentials_set(session_, GNUTLS_CRD_CERTIFICATE, credentials.certificate()) != 0) {
    return TlsSetupResult::kLibraryError;
  }
  gnutls_session_set_verify_function(session_, &GnutlsSession::VerifyPeer);
  if (role == TlsRole::kServer) {
    gnutls_certificate_server_set_request(session_, GNUTLS_CERT_REQUIRE);
  }
  gnutls_datum_t protocol{reinterpret_cast<unsigned char*>(const_cast<char*>(alpn.data())),
                          static_cast<unsigned>(alpn.size())};
  if (gnutls_alpn_set_protocols(session_, &protocol, 1, GNUTLS_ALPN_MANDATORY) != 0) {
    return TlsSetupResult::kLibraryError;
  }
  return TlsSetupResult::kOk;
}

GnutlsSession::~GnutlsSession() {
  if (session_ != nullptr) gnutls_deinit(session_);
}

int GnutlsSession::VerifyPeer(gnutls_session_t session) {
  GnutlsSession* self = SessionOf(session);
  unsigned count = 0;
  const gnutls_datum_t* peers = gnutls_certificate_get_peers(session, &count);
  std::vector<std::span<const uint8_t>> chain;
  for (unsigned i = 0; i < count; ++i) chain.emplace_back(peers[i].data, peers[i].size);
  if (self->verifier_->Verify(chain) == CertificateCheck::kAccepted) return 0;
  self->peer_rejected_ = true;
  return GNUTLS_E_CERTIFICATE_ERROR;
}

std::string GnutlsSession::SelectedAlpn() const {
  gnutls_datum_t selected;
  if (gnutls_alpn_get_selected_protocol(session_, &selected) != 0) return {};
  return std::string(reinterpret_cast<const char*>(selected.data), selected.size);
}

}  // namespace p2pquic
