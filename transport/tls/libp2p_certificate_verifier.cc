#include "transport/tls/libp2p_certificate_verifier.h"

#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string_view>

#include "transport/tls/libp2p_certificate.h"
#include "transport/tls/signed_key_codec.h"

namespace p2pquic {
namespace {

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct Asn1ObjectDeleter {
  void operator()(ASN1_OBJECT* o) const { ASN1_OBJECT_free(o); }
};

// Extensions a libp2p certificate may carry as critical without us
// refusing it: the libp2p one, and the X.509 ones whose meaning is plain.
bool UnderstoodCritical(const ASN1_OBJECT* oid, const ASN1_OBJECT* libp2p) {
  if (OBJ_cmp(oid, libp2p) == 0) return true;
  switch (OBJ_obj2nid(oid)) {
    case NID_basic_constraints:
    case NID_key_usage:
    case NID_ext_key_usage:
    case NID_subject_alt_name:
    case NID_subject_key_identifier:
    case NID_authority_key_identifier:
      return true;
    default:
      return false;
  }
}

// The certificate's SubjectPublicKeyInfo as it was received (re-encoding
// the key through OpenSSL 3's encoders cost a tenth of a handshake).
std::vector<uint8_t> SpkiDer(X509* cert) {
  const X509_PUBKEY* spki = X509_get_X509_PUBKEY(cert);
  const int len = i2d_X509_PUBKEY(spki, nullptr);
  if (len <= 0) return {};
  std::vector<uint8_t> out(static_cast<size_t>(len));
  unsigned char* p = out.data();
  i2d_X509_PUBKEY(spki, &p);
  return out;
}

}  // namespace

const char* ToString(PeerCertificateStatus status) {
  switch (status) {
    case PeerCertificateStatus::kNotVerified:
      return "no peer certificate was verified";
    case PeerCertificateStatus::kOk:
      return "ok";
    case PeerCertificateStatus::kNoCertificate:
      return "the peer sent no certificate";
    case PeerCertificateStatus::kChainNotSingle:
      return "the peer sent more than one certificate";
    case PeerCertificateStatus::kMalformedCertificate:
      return "the peer's certificate does not parse";
    case PeerCertificateStatus::kNotYetValid:
      return "the peer's certificate is not yet valid";
    case PeerCertificateStatus::kExpired:
      return "the peer's certificate has expired";
    case PeerCertificateStatus::kBadSelfSignature:
      return "the peer's certificate is not validly self-signed";
    case PeerCertificateStatus::kMissingLibp2pExtension:
      return "the peer's certificate lacks the libp2p extension";
    case PeerCertificateStatus::kMalformedLibp2pExtension:
      return "the peer's libp2p extension is malformed";
    case PeerCertificateStatus::kBadHostKey:
      return "the libp2p extension's host key does not decode";
    case PeerCertificateStatus::kBadExtensionSignature:
      return "the host key's signature over the certificate key is invalid";
    case PeerCertificateStatus::kUnknownCriticalExtension:
      return "the peer's certificate has an unknown critical extension";
    case PeerCertificateStatus::kPeerIdMismatch:
      return "the peer is not the one dialed";
  }
  return "unknown";
}

CertificateCheck Libp2pCertificateVerifier::Verify(
    std::span<const std::span<const uint8_t>> chain_der) {
  status_ = Check(chain_der);
  return status_ == PeerCertificateStatus::kOk ? CertificateCheck::kAccepted
                                               : CertificateCheck::kRejected;
}

PeerCertificateStatus Libp2pCertificateVerifier::Check(
    std::span<const std::span<const uint8_t>> chain_der) {
  if (chain_der.empty()) return PeerCertificateStatus::kNoCertificate;
  if (chain_der.size() != 1) return PeerCertificateStatus::kChainNotSingle;
  const unsigned char* p = chain_der[0].data();
  std::unique_ptr<X509, X509Deleter> cert(
      d2i_X509(nullptr, &p, static_cast<long>(chain_der[0].size())));
  if (!cert || p != chain_der[0].data() + chain_der[0].size()) {
    return PeerCertificateStatus::kMalformedCertificate;
  }
  time_t now = static_cast<time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(clock_.WallNow().time_since_epoch())
          .count());
  if (X509_cmp_time(X509_get0_notBefore(cert.get()), &now) >= 0) {
    return PeerCertificateStatus::kNotYetValid;
  }
  if (X509_cmp_time(X509_get0_notAfter(cert.get()), &now) <= 0) {
    return PeerCertificateStatus::kExpired;
  }
  EVP_PKEY* certificate_key = X509_get0_pubkey(cert.get());
  if (certificate_key == nullptr || X509_verify(cert.get(), certificate_key) != 1) {
    return PeerCertificateStatus::kBadSelfSignature;
  }
  std::unique_ptr<ASN1_OBJECT, Asn1ObjectDeleter> libp2p_oid(OBJ_txt2obj(kLibp2pExtensionOid, 1));
  const ASN1_OCTET_STRING* value = nullptr;
  for (int i = 0; i < X509_get_ext_count(cert.get()); ++i) {
    X509_EXTENSION* extension = X509_get_ext(cert.get(), i);
    const ASN1_OBJECT* oid = X509_EXTENSION_get_object(extension);
    if (X509_EXTENSION_get_critical(extension) && !UnderstoodCritical(oid, libp2p_oid.get())) {
      return PeerCertificateStatus::kUnknownCriticalExtension;
    }
    if (OBJ_cmp(oid, libp2p_oid.get()) == 0) value = X509_EXTENSION_get_data(extension);
  }
  if (value == nullptr) return PeerCertificateStatus::kMissingLibp2pExtension;
  SignedKey signed_key;
  if (SignedKeyCodec::Decode(
          {ASN1_STRING_get0_data(value), static_cast<size_t>(ASN1_STRING_length(value))},
          &signed_key) != SignedKeyStatus::kOk) {
    return PeerCertificateStatus::kMalformedLibp2pExtension;
  }
  PublicKey host_key;
  if (PublicKey::Decode(signed_key.public_key, &host_key) != KeyStatus::kOk) {
    return PeerCertificateStatus::kBadHostKey;
  }
  std::vector<uint8_t> message(
      kLibp2pSignaturePrefix,
      kLibp2pSignaturePrefix + std::string_view(kLibp2pSignaturePrefix).size());
  const std::vector<uint8_t> spki = SpkiDer(cert.get());
  message.insert(message.end(), spki.begin(), spki.end());
  if (host_key.Verify(message, signed_key.signature) != SignatureStatus::kValid) {
    return PeerCertificateStatus::kBadExtensionSignature;
  }
  peer_id_ = PeerId::FromPublicKey(host_key);
  peer_key_ = std::move(host_key);
  if (expected_.has_value() && !(*expected_ == peer_id_)) {
    return PeerCertificateStatus::kPeerIdMismatch;
  }
  return PeerCertificateStatus::kOk;
}

std::string Libp2pCertificateVerifier::Describe() const {
  std::string text = ToString(status_);
  if (status_ == PeerCertificateStatus::kPeerIdMismatch) {
    text += ": dialed " + expected_->ToString() + ", reached " + peer_id_.ToString();
  }
  return text;
}

}  // namespace p2pquic
