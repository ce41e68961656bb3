#include "testing/test_certificate.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "transport/identity/private_key.h"

namespace p2pquic::testing {
namespace {

constexpr long kBackdateSeconds = 3600;  // Valid from an hour before `now`.

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

// Signs a certificate for `key`, valid from now - 1 h for `valid_for`.
TlsCredentials SelfSign(EVP_PKEY* key, TestKeyType type, time_t now,
                        std::chrono::seconds valid_for) {
  X509* cert = X509_new();
  Check(X509_set_version(cert, 2) == 1, "version");
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  Check(X509_time_adj_ex(X509_getm_notBefore(cert), 0, -kBackdateSeconds, &now) != nullptr,
        "not before");
  Check(X509_time_adj_ex(X509_getm_notAfter(cert), 0, static_cast<long>(valid_for.count()), &now) !=
            nullptr,
        "not after");
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("p2pquic test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  Check(X509_set_pubkey(cert, key) == 1, "public key");
  const EVP_MD* digest = type == TestKeyType::kEd25519 ? nullptr : EVP_sha256();
  Check(X509_sign(cert, key, digest) > 0, "signing");
  TlsCredentials credentials{CertDer(cert), KeyDer(key)};
  X509_free(cert);
  return credentials;
}

}  // namespace

TlsCredentials MakeSelfSignedCredentials(TestKeyType type, std::chrono::seconds valid_for) {
  EVP_PKEY* key = type == TestKeyType::kEd25519
                      ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                      : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  Check(key != nullptr, "key generation");
  TlsCredentials credentials = SelfSign(key, type, std::time(nullptr), valid_for);
  EVP_PKEY_free(key);
  return credentials;
}

TlsCredentials MakeSelfSignedCredentials(Random& random, UnixTime now, TestKeyType type,
                                         std::chrono::seconds valid_for) {
  PrivateKey key;
  Check(PrivateKey::Generate(type == TestKeyType::kEd25519 ? KeyType::kEd25519 : KeyType::kEcdsa,
                             random, &key) == KeyStatus::kOk,
        "key generation");
  const time_t seconds = static_cast<time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  return SelfSign(key.openssl_key(), type, seconds, valid_for);
}

}  // namespace p2pquic::testing
