#include "transport/identity/der_key_codec.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "transport/identity/key_limits.h"

namespace p2pquic {
namespace {

// Copies an i2d_* result into `out` and frees (wiping) OpenSSL's buffer.
KeyStatus TakeEncoding(int length, unsigned char* encoded, std::vector<uint8_t>* out) {
  if (length <= 0 || encoded == nullptr) {
    ERR_clear_error();
    return KeyStatus::kOpenSslError;
  }
  out->assign(encoded, encoded + length);
  OPENSSL_clear_free(encoded, static_cast<size_t>(length));
  return KeyStatus::kOk;
}

}  // namespace

KeyStatus DerKeyCodec::ParseSpki(std::span<const uint8_t> der, UniqueEvpPkey* out) {
  if (der.size() > kMaxEncodedKeyBytes) return KeyStatus::kTooLarge;
  const unsigned char* cursor = der.data();
  UniqueEvpPkey key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
  ERR_clear_error();
  if (!key || cursor != der.data() + der.size()) return KeyStatus::kMalformedDer;
  *out = std::move(key);
  return KeyStatus::kOk;
}

KeyStatus DerKeyCodec::EncodeSpki(const EVP_PKEY& key, std::vector<uint8_t>* out) {
  unsigned char* encoded = nullptr;
  const int length = i2d_PUBKEY(&key, &encoded);
  return TakeEncoding(length, encoded, out);
}

KeyStatus DerKeyCodec::ParsePrivateKey(int evp_type, std::span<const uint8_t> der,
                                       UniqueEvpPkey* out) {
  if (der.size() > kMaxEncodedKeyBytes) return KeyStatus::kTooLarge;
  const unsigned char* cursor = der.data();
  UniqueEvpPkey key(d2i_PrivateKey(evp_type, nullptr, &cursor, static_cast<long>(der.size())));
  ERR_clear_error();
  if (!key || cursor != der.data() + der.size()) return KeyStatus::kMalformedDer;
  if (EVP_PKEY_get_base_id(key.get()) != evp_type) return KeyStatus::kWrongAlgorithm;
  *out = std::move(key);
  return KeyStatus::kOk;
}

KeyStatus DerKeyCodec::EncodePrivateKey(const EVP_PKEY& key, std::vector<uint8_t>* out) {
  unsigned char* encoded = nullptr;
  const int length = i2d_PrivateKey(&key, &encoded);
  return TakeEncoding(length, encoded, out);
}

KeyStatus DerKeyCodec::CheckRsa(const EVP_PKEY& key) {
  if (EVP_PKEY_get_base_id(&key) != EVP_PKEY_RSA) return KeyStatus::kWrongAlgorithm;
  const int bits = EVP_PKEY_get_bits(&key);
  if (bits < kMinRsaBits) return KeyStatus::kRsaTooSmall;
  if (bits > kMaxRsaBits) return KeyStatus::kRsaTooLarge;
  return KeyStatus::kOk;
}

}  // namespace p2pquic
