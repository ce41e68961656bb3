// libp2p TLS certificates: what we make verifies, and every forgery is
// refused with its own reason.
#include "transport/tls/libp2p_certificate.h"

#include <gtest/gtest.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <string_view>

#include "testing/test_certificate.h"
#include "transport/runtime/openssl/rsa_key_generator.h"
#include "transport/runtime/seeded_random.h"
#include "transport/tls/libp2p_certificate_verifier.h"
#include "transport/tls/signed_key_codec.h"

namespace p2pquic {
namespace {

using std::chrono::hours;

const UnixTime kNow = UnixTime(std::chrono::seconds(1764000000));  // 2025-11-24.

class WallClock final : public Clock {
 public:
  Timestamp Now() const override { return Timestamp{}; }
  UnixTime WallNow() const override { return wall; }
  TimerId ScheduleAt(Timestamp, TimerCallback) override { return {}; }
  CancelResult Cancel(TimerId) override { return CancelResult::kNotPending; }
  UnixTime wall = kNow;
};

PrivateKey HostKey(KeyType type, uint64_t seed) {
  PrivateKey key;
  if (type == KeyType::kRsa) {
    EXPECT_EQ(RsaKeyGenerator::Generate(2048, &key), KeyStatus::kOk);
  } else {
    SeededRandom random(seed);
    EXPECT_EQ(PrivateKey::Generate(type, random, &key), KeyStatus::kOk);
  }
  return key;
}

PeerCertificateStatus VerifyOne(const std::vector<uint8_t>& der, const Clock& clock,
                                std::optional<PeerId> expected = std::nullopt) {
  Libp2pCertificateVerifier verifier(clock, std::move(expected));
  const std::span<const uint8_t> chain[] = {der};
  verifier.Verify(chain);
  return verifier.status();
}

class Libp2pCertificateTest : public ::testing::TestWithParam<KeyType> {};

TEST_P(Libp2pCertificateTest, WhatWeMakeVerifiesAndNamesTheHost) {
  const PrivateKey host = HostKey(GetParam(), 11);
  SeededRandom random(5);
  TlsCredentials credentials;
  ASSERT_EQ(Libp2pCertificate::Create(host, random, kNow, {}, &credentials),
            CertificateStatus::kOk);
  WallClock clock;
  Libp2pCertificateVerifier verifier(clock, PeerId::FromPublicKey(host.public_key()));
  const std::span<const uint8_t> chain[] = {credentials.certificate_der};
  EXPECT_EQ(verifier.Verify(chain), CertificateCheck::kAccepted) << verifier.Describe();
  EXPECT_EQ(verifier.peer_id(), PeerId::FromPublicKey(host.public_key()));
  EXPECT_TRUE(verifier.peer_key() == host.public_key());
}

INSTANTIATE_TEST_SUITE_P(HostKeyTypes, Libp2pCertificateTest,
                         ::testing::Values(KeyType::kEd25519, KeyType::kSecp256k1, KeyType::kEcdsa,
                                           KeyType::kRsa));

// --- Forgeries ---------------------------------------------------------------------------

struct Forgery {
  bool omit_extension = false;
  bool sign_with_other_host = false;  // Signature by a key other than the one named.
  bool self_sign_with_other_key = false;
  bool add_unknown_critical = false;
  bool garble_extension = false;
  bool garble_host_key = false;
  long not_before = -3600;  // Seconds relative to kNow.
  long not_after = 3600;
};

std::vector<uint8_t> Forge(const Forgery& f) {
  const PrivateKey host = HostKey(KeyType::kEd25519, 1);
  const PrivateKey other = HostKey(KeyType::kEd25519, 2);
  SeededRandom random(3);
  PrivateKey cert_key, impostor;
  EXPECT_EQ(PrivateKey::Generate(KeyType::kEcdsa, random, &cert_key), KeyStatus::kOk);
  EXPECT_EQ(PrivateKey::Generate(KeyType::kEcdsa, random, &impostor), KeyStatus::kOk);
  EVP_PKEY* key = cert_key.openssl_key();
  std::vector<uint8_t> spki(static_cast<size_t>(i2d_PUBKEY(key, nullptr)));
  unsigned char* p = spki.data();
  i2d_PUBKEY(key, &p);
  std::vector<uint8_t> message(
      kLibp2pSignaturePrefix,
      kLibp2pSignaturePrefix + std::string_view(kLibp2pSignaturePrefix).size());
  message.insert(message.end(), spki.begin(), spki.end());
  SignedKey signed_key{host.public_key().Encode(), {}};
  EXPECT_EQ((f.sign_with_other_host ? other : host).Sign(message, &signed_key.signature),
            SignStatus::kOk);
  if (f.garble_host_key) signed_key.public_key = {0x08, 0x01, 0x12, 0x02, 0xff, 0xff};
  std::vector<uint8_t> extension = SignedKeyCodec::Encode(signed_key);
  if (f.garble_extension) extension.resize(extension.size() / 2);

  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 7);
  time_t now = static_cast<time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(kNow.time_since_epoch()).count());
  X509_time_adj_ex(X509_getm_notBefore(cert), 0, f.not_before, &now);
  X509_time_adj_ex(X509_getm_notAfter(cert), 0, f.not_after, &now);
  X509_set_pubkey(cert, key);
  auto add = [&](const char* oid_text, const std::vector<uint8_t>& value, int critical) {
    ASN1_OBJECT* oid = OBJ_txt2obj(oid_text, 1);
    ASN1_OCTET_STRING* data = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(data, value.data(), static_cast<int>(value.size()));
    X509_EXTENSION* ext = X509_EXTENSION_create_by_OBJ(nullptr, oid, critical, data);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    ASN1_OCTET_STRING_free(data);
    ASN1_OBJECT_free(oid);
  };
  if (!f.omit_extension) add(kLibp2pExtensionOid, extension, 1);
  if (f.add_unknown_critical) add("1.2.3.4.5.6.7", {0x05, 0x00}, 1);
  X509_sign(cert, f.self_sign_with_other_key ? impostor.openssl_key() : key, EVP_sha256());
  std::vector<uint8_t> der(static_cast<size_t>(i2d_X509(cert, nullptr)));
  p = der.data();
  i2d_X509(cert, &p);
  X509_free(cert);
  return der;
}

TEST(Libp2pCertificateForgeryTest, AnHonestForgeryBaselineVerifies) {
  WallClock clock;
  EXPECT_EQ(VerifyOne(Forge({}), clock), PeerCertificateStatus::kOk);
}

TEST(Libp2pCertificateForgeryTest, EachForgeryIsRefusedWithItsOwnReason) {
  WallClock clock;
  struct Case {
    Forgery forgery;
    PeerCertificateStatus expected;
  };
  const Case cases[] = {
      {{.omit_extension = true}, PeerCertificateStatus::kMissingLibp2pExtension},
      {{.sign_with_other_host = true}, PeerCertificateStatus::kBadExtensionSignature},
      {{.self_sign_with_other_key = true}, PeerCertificateStatus::kBadSelfSignature},
      {{.add_unknown_critical = true}, PeerCertificateStatus::kUnknownCriticalExtension},
      {{.garble_extension = true}, PeerCertificateStatus::kMalformedLibp2pExtension},
      {{.garble_host_key = true}, PeerCertificateStatus::kBadHostKey},
      {{.not_before = -7200, .not_after = -3600}, PeerCertificateStatus::kExpired},
      {{.not_before = 3600, .not_after = 7200}, PeerCertificateStatus::kNotYetValid},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(VerifyOne(Forge(c.forgery), clock), c.expected) << ToString(c.expected);
  }
}

TEST(Libp2pCertificateForgeryTest, APlainCertificateWithoutTheExtensionIsRefused) {
  WallClock clock;
  clock.wall = UnixTime(
      std::chrono::duration_cast<Duration>(std::chrono::system_clock::now().time_since_epoch()));
  EXPECT_EQ(VerifyOne(testing::MakeSelfSignedCredentials().certificate_der, clock),
            PeerCertificateStatus::kMissingLibp2pExtension);
}

TEST(Libp2pCertificateForgeryTest, ChainsMustHoldExactlyOneParsableCertificate) {
  WallClock clock;
  const std::vector<uint8_t> der = Forge({});
  Libp2pCertificateVerifier verifier(clock);
  EXPECT_EQ(verifier.Verify({}), CertificateCheck::kRejected);
  EXPECT_EQ(verifier.status(), PeerCertificateStatus::kNoCertificate);
  const std::span<const uint8_t> two[] = {der, der};
  verifier.Verify(two);
  EXPECT_EQ(verifier.status(), PeerCertificateStatus::kChainNotSingle);
  const std::vector<uint8_t> garbage = {0x30, 0x82, 0x01};
  const std::span<const uint8_t> bad[] = {garbage};
  verifier.Verify(bad);
  EXPECT_EQ(verifier.status(), PeerCertificateStatus::kMalformedCertificate);
  std::vector<uint8_t> trailing = der;
  trailing.push_back(0);
  const std::span<const uint8_t> extra[] = {trailing};
  verifier.Verify(extra);
  EXPECT_EQ(verifier.status(), PeerCertificateStatus::kMalformedCertificate);
}

TEST(Libp2pCertificateForgeryTest, AMismatchedPeerIdIsRefusedNamingBothIds) {
  WallClock clock;
  const PeerId wanted = PeerId::FromPublicKey(HostKey(KeyType::kEd25519, 99).public_key());
  Libp2pCertificateVerifier verifier(clock, wanted);
  const std::vector<uint8_t> der = Forge({});
  const std::span<const uint8_t> chain[] = {der};
  EXPECT_EQ(verifier.Verify(chain), CertificateCheck::kRejected);
  EXPECT_EQ(verifier.status(), PeerCertificateStatus::kPeerIdMismatch);
  const std::string reason = verifier.Describe();
  EXPECT_NE(reason.find(wanted.ToString()), std::string::npos) << reason;
  EXPECT_NE(reason.find(verifier.peer_id().ToString()), std::string::npos) << reason;
}

TEST(SignedKeyCodecTest, RoundTripsAndRejectsNonDer) {
  SignedKey key{std::vector<uint8_t>(300, 1), std::vector<uint8_t>(70, 2)};
  const std::vector<uint8_t> der = SignedKeyCodec::Encode(key);
  SignedKey decoded;
  ASSERT_EQ(SignedKeyCodec::Decode(der, &decoded), SignedKeyStatus::kOk);
  EXPECT_EQ(decoded.public_key, key.public_key);
  EXPECT_EQ(decoded.signature, key.signature);
  std::vector<uint8_t> trailing = der;
  trailing.push_back(0);
  EXPECT_EQ(SignedKeyCodec::Decode(trailing, &decoded), SignedKeyStatus::kTrailingBytes);
  const std::vector<uint8_t> long_form_short = {0x30, 0x81, 0x05, 0x04, 0x00, 0x04, 0x01, 0x00};
  EXPECT_EQ(SignedKeyCodec::Decode(long_form_short, &decoded), SignedKeyStatus::kMalformed);
  SeededRandom random(8);
  for (int i = 0; i < 5000; ++i) {  // Garbage never crashes (run under ASan).
    std::vector<uint8_t> junk(random.NextU64() % 64);
    random.Fill(junk);
    if (!junk.empty() && i % 2) junk[0] = 0x30;
    SignedKeyCodec::Decode(junk, &decoded);
  }
}

}  // namespace
}  // namespace p2pquic
