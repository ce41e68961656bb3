// Libp2pCertificate: makes the self-signed certificate a libp2p host shows
// in the TLS handshake (libp2p TLS spec): a fresh ECDSA P-256 certificate
// key, and the libp2p extension (OID 1.3.6.1.4.1.53594.1.1, critical)
// holding the host's public key and its signature over
// "libp2p-tls-handshake:" || the certificate key's SubjectPublicKeyInfo.
#pragma once

#include <chrono>
#include <cstdint>

#include "transport/identity/private_key.h"
#include "transport/runtime/random.h"
#include "transport/base/time.h"
#include "transport/tls/tls_credentials.h"

namespace p2pquic {

inline constexpr char kLibp2pExtensionOid[] = "1.3.6.1.4.1.53594.1.1";
inline constexpr char kLibp2pSignaturePrefix[] = "libp2p-tls-handshake:";

enum class CertificateStatus : uint8_t { kOk, kEmptyHostKey, kHostSignFailed, kOpenSslError };
const char* ToString(CertificateStatus status);

struct CertificateOptions {
  // Validity starts this long before `now`, for peers whose clocks lag.
  std::chrono::seconds backdate = std::chrono::hours(1);
  std::chrono::seconds lifetime = std::chrono::hours(24 * 365);
};

class Libp2pCertificate {
 public:
  // The certificate key and serial come from `random`; `now` is wall time.
  static CertificateStatus Create(const PrivateKey& host_key, Random& random, UnixTime now,
                                  const CertificateOptions& options, TlsCredentials* out);
};

}  // namespace p2pquic
