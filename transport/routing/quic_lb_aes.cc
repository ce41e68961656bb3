#include "transport/routing/quic_lb_aes.h"

#include <openssl/evp.h>

namespace p2pquic {
namespace {

enum class Direction : uint8_t { kDecrypt = 0, kEncrypt = 1 };  // EVP's `enc` argument.
enum class ContextState : uint8_t { kUnkeyed, kKeyed };
constexpr size_t kDirections = 2;

// One thread's EVP objects for one direction. EVP_CIPHER_CTX carries
// mutable state through every update, so contexts are never shared between
// threads; the fetched cipher is kept so re-keying needs no lookup.
struct ThreadContext {
  EVP_CIPHER* cipher = nullptr;
  EVP_CIPHER_CTX* ctx = nullptr;
  QuicLbConfig::Key key{};
  ContextState state = ContextState::kUnkeyed;

  ~ThreadContext() {
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(cipher);
  }
};

thread_local ThreadContext t_contexts[kDirections];

QuicLbAesStatus RunBlock(Direction direction, const QuicLbConfig::Key& key,
                         const QuicLbAes::Block& in, QuicLbAes::Block* out) {
  ThreadContext& context = t_contexts[static_cast<size_t>(direction)];
  if (context.ctx == nullptr) {
    if (context.cipher == nullptr) {
      context.cipher = EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr);
      if (context.cipher == nullptr) return QuicLbAesStatus::kCipherUnavailable;
    }
    context.ctx = EVP_CIPHER_CTX_new();
    if (context.ctx == nullptr) return QuicLbAesStatus::kCipherUnavailable;
  }
  if (context.state != ContextState::kKeyed || context.key != key) {
    context.state = ContextState::kUnkeyed;
    if (EVP_CipherInit_ex2(context.ctx, context.cipher, key.data(), nullptr,
                           static_cast<int>(direction), nullptr) != 1 ||
        EVP_CIPHER_CTX_set_padding(context.ctx, 0) != 1) {
      return QuicLbAesStatus::kCipherUnavailable;
    }
    context.key = key;
    context.state = ContextState::kKeyed;
  }
  // ECB without padding on exactly one block leaves nothing buffered in the
  // context, so the next call starts clean without a Final.
  QuicLbAes::Block result;
  int written = 0;
  if (EVP_CipherUpdate(context.ctx, result.data(), &written, in.data(),
                       static_cast<int>(in.size())) != 1 ||
      written != static_cast<int>(QuicLbAes::kBlockLength)) {
    context.state = ContextState::kUnkeyed;
    return QuicLbAesStatus::kCipherUnavailable;
  }
  *out = result;
  return QuicLbAesStatus::kOk;
}

}  // namespace

const char* ToString(QuicLbAesStatus status) {
  switch (status) {
    case QuicLbAesStatus::kOk:
      return "ok";
    case QuicLbAesStatus::kCipherUnavailable:
      return "OpenSSL could not run AES-128-ECB";
  }
  return "unknown";
}

QuicLbAesStatus QuicLbAes::Encrypt(const Block& in, Block* out) const {
  return RunBlock(Direction::kEncrypt, key_, in, out);
}

QuicLbAesStatus QuicLbAes::Decrypt(const Block& in, Block* out) const {
  return RunBlock(Direction::kDecrypt, key_, in, out);
}

}  // namespace p2pquic
