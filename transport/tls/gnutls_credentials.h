// GnutlsCredentials: the parsed certificate and key, and the parsed
// priority string, that every GnuTLS session of one endpoint shares.
// Parsing them once per endpoint instead of once per connection saved a
// key/certificate check per handshake and ~14 KiB per connection.
//
// Empty TlsCredentials make anonymous credentials: a client that shows no
// certificate (which a libp2p server must refuse). Immutable after Create;
// must outlive every session using it.
#pragma once

#include <gnutls/gnutls.h>

#include <memory>

#include "transport/tls/tls_credentials.h"

namespace p2pquic {

enum class TlsSetupResult : uint8_t {
  kOk,
  kBadCredentials,  // GnuTLS refused the certificate or key.
  kEmptyAlpn,       // libp2p needs an ALPN protocol.
  kLibraryError,    // Any other GnuTLS or ngtcp2 glue failure.
};
const char* ToString(TlsSetupResult result);

class GnutlsCredentials {
 public:
  static TlsSetupResult Create(const TlsCredentials& credentials,
                               std::unique_ptr<GnutlsCredentials>* out);
  ~GnutlsCredentials();
  GnutlsCredentials(const GnutlsCredentials&) = delete;
  GnutlsCredentials& operator=(const GnutlsCredentials&) = delete;

  gnutls_certificate_credentials_t certificate() const { return certificate_; }
  gnutls_priority_t priority() const { return priority_; }
  bool anonymous() const { return anonymous_; }

 private:
  GnutlsCredentials() = default;

  gnutls_certificate_credentials_t certificate_ = nullptr;
  gnutls_priority_t priority_ = nullptr;
  bool anonymous_ = false;
};

}  // namespace p2pquic
