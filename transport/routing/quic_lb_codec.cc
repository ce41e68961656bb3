#include "transport/routing/quic_lb_codec.h"

#include <algorithm>

namespace p2pquic {
namespace {

constexpr size_t kConfigIdShift = 5;  // §3.4: 3 config-rotation bits over 5 length bits.
constexpr uint8_t kLengthBitsMask = 0x1f;
constexpr size_t kSinglePassLength = QuicLbAes::kBlockLength;
// expand() (§5.4.2.2): the plaintext length in the fifteenth octet of the
// block, the pass number in the sixteenth.
constexpr size_t kExpandLengthOffset = 14;
constexpr size_t kExpandPassOffset = 15;
// An odd plaintext splits its middle octet: the left half keeps its high
// nibble, the right half its low nibble (§5.4.2.3 step 2).
constexpr uint8_t kLeftNibble = 0xf0;
constexpr uint8_t kRightNibble = 0x0f;

}  // namespace

const char* ToString(QuicLbCipherMode mode) {
  switch (mode) {
    case QuicLbCipherMode::kPlaintext:
      return "plaintext";
    case QuicLbCipherMode::kSinglePass:
      return "single-pass";
    case QuicLbCipherMode::kFourPass:
      return "four-pass";
  }
  return "unknown";
}

const char* ToString(QuicLbCodecStatus status) {
  switch (status) {
    case QuicLbCodecStatus::kOk:
      return "ok";
    case QuicLbCodecStatus::kBadConfig:
      return "bad QUIC-LB config";
    case QuicLbCodecStatus::kCipherUnavailable:
      return "OpenSSL could not run AES-128-ECB for the config's key";
  }
  return "unknown";
}

const char* ToString(QuicLbEncodeResult result) {
  switch (result) {
    case QuicLbEncodeResult::kOk:
      return "ok";
    case QuicLbEncodeResult::kWrongServerIdLength:
      return "server ID length differs from the config's server_id_length";
    case QuicLbEncodeResult::kWrongNonceLength:
      return "nonce length differs from the config's nonce_length";
    case QuicLbEncodeResult::kCipherUnavailable:
      return "OpenSSL could not run AES-128-ECB";
  }
  return "unknown";
}

const char* ToString(QuicLbDecodeResult result) {
  switch (result) {
    case QuicLbDecodeResult::kOk:
      return "ok";
    case QuicLbDecodeResult::kWrongLength:
      return "CID length differs from the config's CID length";
    case QuicLbDecodeResult::kUnroutable:
      return "unroutable CID (config-rotation bits 0b111)";
    case QuicLbDecodeResult::kOtherConfig:
      return "CID of another config (config-rotation bits differ)";
    case QuicLbDecodeResult::kCipherUnavailable:
      return "OpenSSL could not run AES-128-ECB";
  }
  return "unknown";
}

QuicLbCodec::Creation QuicLbCodec::Create(const QuicLbConfig& config) {
  Creation creation;
  creation.config_status = CheckQuicLbConfig(config);
  if (creation.config_status != QuicLbConfigStatus::kOk) {
    creation.status = QuicLbCodecStatus::kBadConfig;
    return creation;
  }
  QuicLbCipherMode mode = QuicLbCipherMode::kPlaintext;
  if (config.key.has_value()) {
    mode = config.server_id_length + config.nonce_length == kSinglePassLength
               ? QuicLbCipherMode::kSinglePass
               : QuicLbCipherMode::kFourPass;
    // Both directions once: a missing or broken AES shows at setup.
    const QuicLbAes aes(*config.key);
    QuicLbAes::Block block{};
    if (aes.Encrypt(block, &block) != QuicLbAesStatus::kOk ||
        aes.Decrypt(block, &block) != QuicLbAesStatus::kOk) {
      creation.status = QuicLbCodecStatus::kCipherUnavailable;
      return creation;
    }
  }
  creation.status = QuicLbCodecStatus::kOk;
  creation.codec = std::shared_ptr<const QuicLbCodec>(new QuicLbCodec(config, mode));
  return creation;
}

QuicLbCodec::QuicLbCodec(const QuicLbConfig& config, QuicLbCipherMode mode)
    : config_(config), mode_(mode) {
  if (config_.key.has_value()) aes_.emplace(*config_.key);
}

uint8_t QuicLbCodec::FirstOctet() const {
  return static_cast<uint8_t>((config_.config_id << kConfigIdShift) |
                              ((config_.cid_length() - 1) & kLengthBitsMask));
}

QuicLbAesStatus QuicLbCodec::Pass(uint8_t pass, const Half& source, Half* target) const {
  const size_t half = half_length();
  QuicLbAes::Block block{};
  std::copy_n(source.begin(), half, block.begin());
  block[kExpandLengthOffset] = static_cast<uint8_t>(plaintext_length());
  block[kExpandPassOffset] = pass;
  const QuicLbAesStatus status = aes_->Encrypt(block, &block);
  if (status != QuicLbAesStatus::kOk) return status;
  for (size_t i = 0; i < half; ++i) (*target)[i] ^= block[i];
  return QuicLbAesStatus::kOk;
}

// The Feistel network of §5.4.2.3 (steps 1-12) and its inverse (§5.5.2).
// Both split their input the same way; after every pass the half just
// written loses the nibble that belongs to the other half when the length
// is odd, so left and right never overlap when merged.
namespace {

struct Halves {
  std::array<uint8_t, QuicLbAes::kBlockLength> left{};
  std::array<uint8_t, QuicLbAes::kBlockLength> right{};
};

void ClearLeft(size_t length, size_t half, std::array<uint8_t, QuicLbAes::kBlockLength>* left) {
  if (length % 2 == 1) (*left)[half - 1] &= kLeftNibble;
}

void ClearRight(size_t length, std::array<uint8_t, QuicLbAes::kBlockLength>* right) {
  if (length % 2 == 1) (*right)[0] &= kRightNibble;
}

Halves Split(const uint8_t* bytes, size_t length, size_t half) {
  Halves halves;
  std::copy_n(bytes, half, halves.left.begin());
  std::copy_n(bytes + (length - half), half, halves.right.begin());
  ClearLeft(length, half, &halves.left);
  ClearRight(length, &halves.right);
  return halves;
}

void Merge(const Halves& halves, size_t length, size_t half, uint8_t* out) {
  std::fill_n(out, length, 0);
  for (size_t i = 0; i < half; ++i) {
    out[i] |= halves.left[i];
    out[length - half + i] |= halves.right[i];
  }
}

}  // namespace

QuicLbAesStatus QuicLbCodec::FeistelEncrypt(const uint8_t* plaintext, uint8_t* ciphertext) const {
  const size_t length = plaintext_length();
  const size_t half = half_length();
  Halves h = Split(plaintext, length, half);
  QuicLbAesStatus status = Pass(1, h.left, &h.right);  // right_1
  if (status != QuicLbAesStatus::kOk) return status;
  ClearRight(length, &h.right);
  status = Pass(2, h.right, &h.left);  // left_1
  if (status != QuicLbAesStatus::kOk) return status;
  ClearLeft(length, half, &h.left);
  status = Pass(3, h.left, &h.right);  // right_2
  if (status != QuicLbAesStatus::kOk) return status;
  ClearRight(length, &h.right);
  status = Pass(4, h.right, &h.left);  // left_2
  if (status != QuicLbAesStatus::kOk) return status;
  ClearLeft(length, half, &h.left);
  Merge(h, length, half, ciphertext);
  return QuicLbAesStatus::kOk;
}

QuicLbAesStatus QuicLbCodec::FeistelDecrypt(const uint8_t* ciphertext, uint8_t* plaintext,
                                            QuicLbDecodeDepth depth) const {
  const size_t length = plaintext_length();
  const size_t half = half_length();
  Halves h = Split(ciphertext, length, half);          // left_2, right_2
  QuicLbAesStatus status = Pass(4, h.right, &h.left);  // left_1
  if (status != QuicLbAesStatus::kOk) return status;
  ClearLeft(length, half, &h.left);
  status = Pass(3, h.left, &h.right);  // right_1
  if (status != QuicLbAesStatus::kOk) return status;
  ClearRight(length, &h.right);
  status = Pass(2, h.right, &h.left);  // left_0
  if (status != QuicLbAesStatus::kOk) return status;
  ClearLeft(length, half, &h.left);
  // left_0 holds the first floor(length / 2) octets whole: the whole server
  // ID when it is no longer than the nonce, so the last pass only matters
  // for the nonce or a longer server ID (§5.5.2).
  if (depth == QuicLbDecodeDepth::kServerIdAndNonce ||
      config_.server_id_length > config_.nonce_length) {
    status = Pass(1, h.left, &h.right);  // right_0
    if (status != QuicLbAesStatus::kOk) return status;
    ClearRight(length, &h.right);
  }
  Merge(h, length, half, plaintext);
  return QuicLbAesStatus::kOk;
}

QuicLbEncodeResult QuicLbCodec::Encode(std::span<const uint8_t> server_id,
                                       std::span<const uint8_t> nonce, ConnectionId* out) const {
  if (server_id.size() != config_.server_id_length) {
    return QuicLbEncodeResult::kWrongServerIdLength;
  }
  if (nonce.size() != config_.nonce_length) return QuicLbEncodeResult::kWrongNonceLength;
  uint8_t plaintext[QuicLbPlaintext::kMaxLength];
  std::copy(server_id.begin(), server_id.end(), plaintext);
  std::copy(nonce.begin(), nonce.end(), plaintext + server_id.size());
  uint8_t cid[kMaxConnectionIdLength];
  cid[0] = FirstOctet();
  switch (mode_) {
    case QuicLbCipherMode::kPlaintext:
      std::copy_n(plaintext, plaintext_length(), cid + 1);
      break;
    case QuicLbCipherMode::kSinglePass: {
      QuicLbAes::Block block;
      std::copy_n(plaintext, block.size(), block.begin());
      if (aes_->Encrypt(block, &block) != QuicLbAesStatus::kOk) {
        return QuicLbEncodeResult::kCipherUnavailable;
      }
      std::copy(block.begin(), block.end(), cid + 1);
      break;
    }
    case QuicLbCipherMode::kFourPass:
      if (FeistelEncrypt(plaintext, cid + 1) != QuicLbAesStatus::kOk) {
        return QuicLbEncodeResult::kCipherUnavailable;
      }
      break;
  }
  ConnectionId::FromBytes({cid, cid_length()}, out);
  return QuicLbEncodeResult::kOk;
}

QuicLbDecodeResult QuicLbCodec::Decode(std::span<const uint8_t> cid, QuicLbPlaintext* out,
                                       QuicLbDecodeDepth depth) const {
  if (cid.size() != cid_length()) return QuicLbDecodeResult::kWrongLength;
  const uint8_t config_bits = static_cast<uint8_t>(cid[0] >> kConfigIdShift);
  if (config_bits == QuicLbConfig::kUnroutableConfigId) return QuicLbDecodeResult::kUnroutable;
  if (config_bits != config_.config_id) return QuicLbDecodeResult::kOtherConfig;
  out->server_id_length = config_.server_id_length;
  out->nonce_length = config_.nonce_length;
  const uint8_t* body = cid.data() + 1;
  switch (mode_) {
    case QuicLbCipherMode::kPlaintext:
      std::copy_n(body, plaintext_length(), out->bytes.begin());
      break;
    case QuicLbCipherMode::kSinglePass: {
      QuicLbAes::Block block;
      std::copy_n(body, block.size(), block.begin());
      if (aes_->Decrypt(block, &block) != QuicLbAesStatus::kOk) {
        return QuicLbDecodeResult::kCipherUnavailable;
      }
      std::copy(block.begin(), block.end(), out->bytes.begin());
      break;
    }
    case QuicLbCipherMode::kFourPass:
      if (FeistelDecrypt(body, out->bytes.data(), depth) != QuicLbAesStatus::kOk) {
        return QuicLbDecodeResult::kCipherUnavailable;
      }
      break;
  }
  return QuicLbDecodeResult::kOk;
}

}  // namespace p2pquic
