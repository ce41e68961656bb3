#include "transport/tls/signed_key_codec.h"

namespace p2pquic {
namespace {

constexpr uint8_t kSequenceTag = 0x30;
constexpr uint8_t kOctetStringTag = 0x04;

void AppendLength(size_t length, std::vector<uint8_t>* out) {
  if (length < 0x80) {
    out->push_back(static_cast<uint8_t>(length));
    return;
  }
  uint8_t bytes[sizeof(size_t)];
  int count = 0;
  for (size_t rest = length; rest != 0; rest >>= 8) bytes[count++] = static_cast<uint8_t>(rest);
  out->push_back(static_cast<uint8_t>(0x80 | count));
  while (count > 0) out->push_back(bytes[--count]);
}

void AppendTlv(uint8_t tag, std::span<const uint8_t> value, std::vector<uint8_t>* out) {
  out->push_back(tag);
  AppendLength(value.size(), out);
  out->insert(out->end(), value.begin(), value.end());
}

// Reads one TLV with `tag` from the front of `in`; strict DER lengths.
bool ReadTlv(uint8_t tag, std::span<const uint8_t>* in, std::span<const uint8_t>* value) {
  if (in->size() < 2 || (*in)[0] != tag) return false;
  size_t length = (*in)[1];
  size_t header = 2;
  if (length >= 0x80) {
    const size_t count = length & 0x7f;
    if (count == 0 || count > 2 || in->size() < 2 + count) return false;  // <= 64 KiB.
    length = 0;
    for (size_t i = 0; i < count; ++i) length = (length << 8) | (*in)[2 + i];
    if (length < 0x80 || (count == 2 && length < 0x100)) return false;  // Not minimal.
    header += count;
  }
  if (in->size() - header < length) return false;
  *value = in->subspan(header, length);
  *in = in->subspan(header + length);
  return true;
}

}  // namespace

const char* ToString(SignedKeyStatus status) {
  switch (status) {
    case SignedKeyStatus::kOk:
      return "ok";
    case SignedKeyStatus::kMalformed:
      return "not a DER SEQUENCE of two OCTET STRINGs";
    case SignedKeyStatus::kTooLarge:
      return "larger than any libp2p key and signature";
    case SignedKeyStatus::kTrailingBytes:
      return "bytes after the SignedKey";
  }
  return "unknown";
}

std::vector<uint8_t> SignedKeyCodec::Encode(const SignedKey& key) {
  std::vector<uint8_t> body;
  AppendTlv(kOctetStringTag, key.public_key, &body);
  AppendTlv(kOctetStringTag, key.signature, &body);
  std::vector<uint8_t> out;
  AppendTlv(kSequenceTag, body, &out);
  return out;
}

SignedKeyStatus SignedKeyCodec::Decode(std::span<const uint8_t> der, SignedKey* out) {
  if (der.size() > kMaxEncodedSize) return SignedKeyStatus::kTooLarge;
  std::span<const uint8_t> sequence, public_key, signature;
  if (!ReadTlv(kSequenceTag, &der, &sequence)) return SignedKeyStatus::kMalformed;
  if (!der.empty()) return SignedKeyStatus::kTrailingBytes;
  if (!ReadTlv(kOctetStringTag, &sequence, &public_key) ||
      !ReadTlv(kOctetStringTag, &sequence, &signature)) {
    return SignedKeyStatus::kMalformed;
  }
  if (!sequence.empty()) return SignedKeyStatus::kTrailingBytes;
  out->public_key.assign(public_key.begin(), public_key.end());
  out->signature.assign(signature.begin(), signature.end());
  return SignedKeyStatus::kOk;
}

}  // namespace p2pquic
