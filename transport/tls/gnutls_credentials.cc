#include "transport/tls/gnutls_credentials.h"

#include <gnutls/x509.h>

namespace p2pquic {
namespace {

// TLS 1.3 only, the AEADs QUIC allows (RFC 9001 §5.3), the usual groups.
constexpr char kPriority[] =
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:"
    "+AES-128-CCM:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:"
    "%DISABLE_TLS13_COMPAT_MODE";

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

TlsSetupResult GnutlsCredentials::Create(const TlsCredentials& credentials,
                                         std::unique_ptr<GnutlsCredentials>* out) {
  std::unique_ptr<GnutlsCredentials> made(new GnutlsCredentials());
  if (gnutls_certificate_allocate_credentials(&made->certificate_) != 0 ||
      gnutls_priority_init(&made->priority_, kPriority, nullptr) != 0) {
    return TlsSetupResult::kLibraryError;
  }
  made->anonymous_ = credentials.certificate_der.empty() && credentials.private_key_der.empty();
  if (!made->anonymous_) {
    const gnutls_datum_t cert{const_cast<unsigned char*>(credentials.certificate_der.data()),
                              static_cast<unsigned>(credentials.certificate_der.size())};
    const gnutls_datum_t key{const_cast<unsigned char*>(credentials.private_key_der.data()),
                             static_cast<unsigned>(credentials.private_key_der.size())};
    if (gnutls_certificate_set_x509_key_mem2(made->certificate_, &cert, &key, GNUTLS_X509_FMT_DER,
                                             nullptr, 0) < 0) {
      return TlsSetupResult::kBadCredentials;
    }
  }
  *out = std::move(made);
  return TlsSetupResult::kOk;
}

GnutlsCredentials::~GnutlsCredentials() {
  if (priority_ != nullptr) gnutls_priority_deinit(priority_);
  if (certificate_ != nullptr) gnutls_certificate_free_credentials(certificate_);
}

}  // namespace p2pquic
