#include "tests/support/test_certificate.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>

namespace p2pquic::testing {
namespace {

std::vector<uint8_t> CertDer(X509* cert) {
  const int len = i2d_X509(cert, nullptr);
  std::vector<uint8_t> out(static_cast<size_t>(len));
  unsigned char* p = out.data();
  i2d_X509(cert, &p);
  return out;
}

// PKCS#8, the one DER key form GnuTLS imports for every algorithm.
std::vector<uint8_t> KeyDer(EVP_PKEY* key) {
  PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(key);
  const int len = i2d_PKCS8_PRIV_KEY_INFO(info, nullptr);
  std::vector<uint8_t> out(static_cast<size_t>(len));
  unsigned char* p = out.data();
  i2d_PKCS8_PRIV_KEY_INFO(info, &p);
  PKCS8_PRIV_KEY_INFO_free(info);
  return out;
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "test certificate: %s failed\n", what);
    std::abort();
  }
}

}  // namespace

TlsCredentials MakeSelfSignedCredentials(TestKeyType type, std::chrono::seconds valid_for) {
  EVP_PKEY* key = type == TestKeyType::kEd25519
                      ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                      : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  Check(key != nullptr, "key generation");
  X509* cert = X509_new();
  Check(X509_set_version(cert, 2) == 1, "version");
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), static_cast<long>(valid_for.count()));
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("p2pquic test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  Check(X509_set_pubkey(cert, key) == 1, "public key");
  const EVP_MD* digest = type == TestKeyType::kEd25519 ? nullptr : EVP_sha256();
  Check(X509_sign(cert, key, digest) > 0, "signing");
  TlsCredentials credentials{CertDer(cert), KeyDer(key)};
  X509_free(cert);
  EVP_PKEY_free(key);
  return credentials;
}

}  // namespace p2pquic::testing
