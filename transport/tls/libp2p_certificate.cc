#include "transport/tls/libp2p_certificate.h"

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string_view>

#include "transport/tls/signed_key_codec.h"

namespace p2pquic {
namespace {

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct Asn1ObjectDeleter {
  void operator()(ASN1_OBJECT* o) const { ASN1_OBJECT_free(o); }
};
struct OctetStringDeleter {
  void operator()(ASN1_OCTET_STRING* s) const { ASN1_OCTET_STRING_free(s); }
};
struct ExtensionDeleter {
  void operator()(X509_EXTENSION* e) const { X509_EXTENSION_free(e); }
};
struct Pkcs8Deleter {
  void operator()(PKCS8_PRIV_KEY_INFO* p) const { PKCS8_PRIV_KEY_INFO_free(p); }
};

constexpr size_t kSerialBytes = 8;

std::vector<uint8_t> SpkiDer(EVP_PKEY* key) {
  const int len = i2d_PUBKEY(key, nullptr);
  if (len <= 0) return {};
  std::vector<uint8_t> out(static_cast<size_t>(len));
  unsigned char* p = out.data();
  i2d_PUBKEY(key, &p);
  return out;
}

std::vector<uint8_t> Pkcs8Der(EVP_PKEY* key) {
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, Pkcs8Deleter> info(EVP_PKEY2PKCS8(key));
  if (!info) return {};
  const int len = i2d_PKCS8_PRIV_KEY_INFO(info.get(), nullptr);
  if (len <= 0) return {};
  std::vector<uint8_t> out(static_cast<size_t>(len));
  unsigned char* p = out.data();
  i2d_PKCS8_PRIV_KEY_INFO(info.get(), &p);
  return out;
}

bool AddLibp2pExtension(X509* cert, const std::vector<uint8_t>& signed_key) {
  std::unique_ptr<ASN1_OBJECT, Asn1ObjectDeleter> oid(OBJ_txt2obj(kLibp2pExtensionOid, 1));
  std::unique_ptr<ASN1_OCTET_STRING, OctetStringDeleter> value(ASN1_OCTET_STRING_new());
  if (!oid || !value ||
      ASN1_OCTET_STRING_set(value.get(), signed_key.data(), static_cast<int>(signed_key.size())) !=
          1) {
    return false;
  }
  std::unique_ptr<X509_EXTENSION, ExtensionDeleter> extension(
      X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), /*crit=*/1, value.get()));
  return extension && X509_add_ext(cert, extension.get(), -1) == 1;
}

}  // namespace

const char* ToString(CertificateStatus status) {
  switch (status) {
    case CertificateStatus::kOk:
      return "ok";
    case CertificateStatus::kEmptyHostKey:
      return "no host key";
    case CertificateStatus::kHostSignFailed:
      return "the host key could not sign the certificate key";
    case CertificateStatus::kOpenSslError:
      return "OpenSSL could not build the certificate";
  }
  return "unknown";
}

CertificateStatus Libp2pCertificate::Create(const PrivateKey& host_key, Random& random,
                                            UnixTime now, const CertificateOptions& options,
                                            TlsCredentials* out) {
  if (host_key.empty()) return CertificateStatus::kEmptyHostKey;
  PrivateKey certificate_key;
  if (PrivateKey::Generate(KeyType::kEcdsa, random, &certificate_key) != KeyStatus::kOk) {
    return CertificateStatus::kOpenSslError;
  }
  EVP_PKEY* key = certificate_key.openssl_key();
  const std::vector<uint8_t> spki = SpkiDer(key);
  std::vector<uint8_t> message(
      kLibp2pSignaturePrefix,
      kLibp2pSignaturePrefix + std::string_view(kLibp2pSignaturePrefix).size());
  message.insert(message.end(), spki.begin(), spki.end());
  SignedKey signed_key{host_key.public_key().Encode(), {}};
  if (host_key.Sign(message, &signed_key.signature) != SignStatus::kOk) {
    return CertificateStatus::kHostSignFailed;
  }
  std::unique_ptr<X509, X509Deleter> cert(X509_new());
  uint8_t serial[kSerialBytes];
  random.Fill(serial);
  serial[0] &= 0x7f;  // A positive INTEGER.
  BIGNUM* serial_bn = BN_bin2bn(serial, sizeof(serial), nullptr);
  time_t seconds = static_cast<time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  X509_NAME* name = X509_get_subject_name(cert.get());
  const bool built =
      X509_set_version(cert.get(), 2) == 1 && serial_bn != nullptr &&
      BN_to_ASN1_INTEGER(serial_bn, X509_get_serialNumber(cert.get())) != nullptr &&
      X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0,
                       -static_cast<long>(options.backdate.count()), &seconds) != nullptr &&
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), 0,
                       static_cast<long>(options.lifetime.count()), &seconds) != nullptr &&
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("libp2p"), -1, -1,
                                 0) == 1 &&
      X509_set_issuer_name(cert.get(), name) == 1 && X509_set_pubkey(cert.get(), key) == 1 &&
      AddLibp2pExtension(cert.get(), SignedKeyCodec::Encode(signed_key)) &&
      X509_sign(cert.get(), key, EVP_sha256()) > 0;
  BN_free(serial_bn);
  if (!built) return CertificateStatus::kOpenSslError;
  const int len = i2d_X509(cert.get(), nullptr);
  out->certificate_der.resize(static_cast<size_t>(len));
  unsigned char* p = out->certificate_der.data();
  i2d_X509(cert.get(), &p);
  out->private_key_der = Pkcs8Der(key);
  return out->private_key_der.empty() ? CertificateStatus::kOpenSslError : CertificateStatus::kOk;
}

}  // namespace p2pquic
