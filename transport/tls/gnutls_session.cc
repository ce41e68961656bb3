#include "transport/tls/gnutls_session.h"

#include <gnutls/x509.h>
#include <ngtcp2/ngtcp2_crypto_gnutls.h>

#include <vector>

namespace p2pquic {
namespace {

// TLS 1.3 only, the AEADs QUIC allows (RFC 9001 §5.3), the usual groups.
constexpr char kPriority[] =
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:"
    "+AES-128-CCM:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:"
    "%DISABLE_TLS13_COMPAT_MODE";

// GnuTLS keeps one user pointer per session and ngtcp2 takes it, so the
// verifier reaches its GnutlsSession through this registry-free trick:
// the GnutlsSession pointer rides in GnuTLS's transport pointer slot,
// unused under QUIC (no record layer I/O through GnuTLS).
GnutlsSession* SessionOf(gnutls_session_t session) {
  return static_cast<GnutlsSession*>(gnutls_transport_get_ptr(session));
}

}  // namespace

const char* ToString(TlsSetupResult result) {
  switch (result) {
    case TlsSetupResult::kOk:
      return "ok";
    case TlsSetupResult::kBadCredentials:
      return "the TLS library refused the certificate or private key";
    case TlsSetupResult::kEmptyAlpn:
      return "an ALPN protocol is required";
    case TlsSetupResult::kLibraryError:
      return "TLS library setup failed";
  }
  return "unknown";
}

TlsSetupResult GnutlsSession::Create(TlsRole role, const TlsCredentials& credentials,
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

TlsSetupResult GnutlsSession::Configure(TlsRole role, const TlsCredentials& credentials,
                                        std::string_view alpn) {
  const unsigned flags =
      role == TlsRole::kServer ? GNUTLS_SERVER | GNUTLS_NO_AUTO_SEND_TICKET : GNUTLS_CLIENT;
  if (gnutls_init(&session_, flags) != 0) return TlsSetupResult::kLibraryError;
  if (gnutls_priority_set_direct(session_, kPriority, nullptr) != 0) {
    return TlsSetupResult::kLibraryError;
  }
  const int glue = role == TlsRole::kServer
                       ? ngtcp2_crypto_gnutls_configure_server_session(session_)
                       : ngtcp2_crypto_gnutls_configure_client_session(session_);
  if (glue != 0) return TlsSetupResult::kLibraryError;
  gnutls_session_set_ptr(session_, conn_ref_);
  gnutls_transport_set_ptr(session_, this);

  if (gnutls_certificate_allocate_credentials(&credentials_) != 0) {
    return TlsSetupResult::kLibraryError;
  }
  const gnutls_datum_t cert{const_cast<unsigned char*>(credentials.certificate_der.data()),
                            static_cast<unsigned>(credentials.certificate_der.size())};
  const gnutls_datum_t key{const_cast<unsigned char*>(credentials.private_key_der.data()),
                           static_cast<unsigned>(credentials.private_key_der.size())};
  const bool anonymous = credentials.certificate_der.empty() && credentials.private_key_der.empty();
  if (anonymous && role == TlsRole::kServer) return TlsSetupResult::kBadCredentials;
  // A client without a certificate is legal TLS; libp2p servers refuse it.
  if (!anonymous && gnutls_certificate_set_x509_key_mem2(credentials_, &cert, &key,
                                                         GNUTLS_X509_FMT_DER, nullptr, 0) < 0) {
    return TlsSetupResult::kBadCredentials;
  }
  if (gnutls_credentials_set(session_, GNUTLS_CRD_CERTIFICATE, credentials_) != 0) {
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
  if (credentials_ != nullptr) gnutls_certificate_free_credentials(credentials_);
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
